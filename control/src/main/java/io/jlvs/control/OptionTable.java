package io.jlvs.control;

import io.jlvs.control.OptionScanner.ArgKind;
import io.jlvs.control.OptionScanner.Def;
import java.util.EnumSet;
import java.util.List;

/**
 * ipvsadm 1.31's options, its option flags (optnames) and the table of which options each command requires,
 * forbids or treats as mutually exclusive (commands_v_options), with ipvsadm's messages for violations.
 */
final class OptionTable {
    private OptionTable() {}

    static final List<Def> DEFS = List.of(
            new Def("add-service", 'A', ArgKind.NONE), new Def("edit-service", 'E', ArgKind.NONE),
            new Def("delete-service", 'D', ArgKind.NONE), new Def("clear", 'C', ArgKind.NONE),
            new Def("list", 'L', ArgKind.NONE), new Def("list", 'l', ArgKind.NONE),
            new Def("zero", 'Z', ArgKind.NONE), new Def("add-server", 'a', ArgKind.NONE),
            new Def("edit-server", 'e', ArgKind.NONE), new Def("delete-server", 'd', ArgKind.NONE),
            new Def("set", '\0', ArgKind.NONE), new Def("help", 'h', ArgKind.NONE),
            new Def("version", 'v', ArgKind.NONE), new Def("restore", 'R', ArgKind.NONE),
            new Def("save", 'S', ArgKind.NONE),
            new Def("start-daemon", '\0', ArgKind.REQUIRED), new Def("stop-daemon", '\0', ArgKind.REQUIRED),
            new Def("tcp-service", 't', ArgKind.REQUIRED), new Def("udp-service", 'u', ArgKind.REQUIRED),
            new Def("sctp-service", '\0', ArgKind.REQUIRED), new Def("fwmark-service", 'f', ArgKind.REQUIRED),
            new Def("scheduler", 's', ArgKind.REQUIRED), new Def("persistent", 'p', ArgKind.OPTIONAL),
            new Def("netmask", 'M', ArgKind.REQUIRED), new Def("real-server", 'r', ArgKind.REQUIRED),
            new Def("masquerading", 'm', ArgKind.NONE), new Def("ipip", 'i', ArgKind.NONE),
            new Def("gatewaying", 'g', ArgKind.NONE), new Def("weight", 'w', ArgKind.REQUIRED),
            new Def("u-threshold", 'x', ArgKind.REQUIRED), new Def("l-threshold", 'y', ArgKind.REQUIRED),
            new Def("numeric", 'n', ArgKind.NONE), new Def("connection", 'c', ArgKind.NONE),
            new Def("mcast-interface", '\0', ArgKind.REQUIRED), new Def("syncid", '\0', ArgKind.REQUIRED),
            new Def("timeout", '\0', ArgKind.NONE), new Def("daemon", '\0', ArgKind.NONE),
            new Def("stats", '\0', ArgKind.NONE), new Def("rate", '\0', ArgKind.NONE),
            new Def("thresholds", '\0', ArgKind.NONE), new Def("persistent-conn", '\0', ArgKind.NONE),
            new Def("nosort", '\0', ArgKind.NONE), new Def("sort", '\0', ArgKind.NONE),
            new Def("exact", 'X', ArgKind.NONE), new Def("ipv6", '6', ArgKind.NONE),
            new Def("ops", 'o', ArgKind.NONE), new Def("pe", '\0', ArgKind.REQUIRED),
            new Def("sched-flags", 'b', ArgKind.REQUIRED), new Def("mcast-group", '\0', ArgKind.REQUIRED),
            new Def("mcast-port", '\0', ArgKind.REQUIRED), new Def("mcast-ttl", '\0', ArgKind.REQUIRED),
            new Def("sync-maxlen", '\0', ArgKind.REQUIRED), new Def("tun-info", '\0', ArgKind.NONE),
            new Def("tun-type", '\0', ArgKind.REQUIRED), new Def("tun-port", '\0', ArgKind.REQUIRED),
            new Def("tun-nocsum", '\0', ArgKind.NONE), new Def("tun-csum", '\0', ArgKind.NONE),
            new Def("tun-remcsum", '\0', ArgKind.NONE),
            // jlvs extension: the director answers SYNs itself with cookies (DPVS's synproxy)
            new Def("synproxy", '\0', ArgKind.NONE),
            // jlvs extensions: FullNAT (DPVS's), its local addresses per service, the PROXY v2 header per server
            new Def("fullnat", '\0', ArgKind.NONE), new Def("laddr", 'z', ArgKind.REQUIRED),
            new Def("add-laddr", 'P', ArgKind.NONE), new Def("del-laddr", 'Q', ArgKind.NONE),
            new Def("get-laddr", 'G', ArgKind.NONE),
            new Def("proxy-protocol", '\0', ArgKind.NONE),
            // jlvs extension: sloppy_tcp for one service (a tier behind ECMP takes flows moved to it mid-flow)
            new Def("sloppy-tcp", '\0', ArgKind.NONE),
            // jlvs extension: IPVS knobs (expire_nodest_conn, sloppy_tcp, ...)
            new Def("sysctl", '\0', ArgKind.REQUIRED));

    static final OptionScanner.Index INDEX = new OptionScanner.Index(DEFS);

    /** ipvsadm's option flags, in the order of its optnames table (the order errors are reported in). */
    enum Opt {
        NUMERIC("numeric"), CONNECTION("connection"), SERVICE("service-address"), SCHEDULER("scheduler"),
        PERSISTENT("persistent"), NETMASK("netmask"), SERVER("real-server"), FORWARD("forwarding-method"),
        WEIGHT("weight"), UTHRESHOLD("u-threshold"), LTHRESHOLD("l-threshold"), MCAST("mcast-interface"),
        TIMEOUT("timeout"), DAEMON("daemon"), STATS("stats"), RATE("rate"), THRESHOLDS("thresholds"),
        PERSISTENTCONN("persistent-conn"), NOSORT("nosort"), SYNCID("syncid"), EXACT("exact"), ONEPACKET("ops"),
        PE("pe"), SCHED_FLAGS("sched-flags"), MCAST_GROUP("mcast-group"), MCAST_PORT("mcast-port"),
        MCAST_TTL("mcast-ttl"), SYNC_MAXLEN("sync-maxlen"), TUN_INFO("tun-info"), TUN_TYPE("tun-type"),
        TUN_PORT("tun-port"), TUN_NOCSUM("tun-nocsum"), TUN_CSUM("tun-csum"), TUN_REMCSUM("tun-remcsum"),
        SYNPROXY("synproxy"), LADDR("laddr"), PROXY_PROTOCOL("proxy-protocol"), SLOPPY_TCP("sloppy-tcp");

        final String optName;

        Opt(String optName) { this.optName = optName; }
    }

    /** ipvsadm's commands with their cmdnames and their row of the table ('+' required, 'x' illegal,
     *  '1' exclusive, '.' optional), one column per {@link Opt}. */
    enum Cmd {
        ADD("add-service", "xx+..." + x(15) + "..." + x(10) + "." + ".x" + "."),
        EDIT("edit-service", "xx+..." + x(15) + "..." + x(10) + "." + ".x" + "."),
        DEL("delete-service", "xx+" + x(31) + "x" + "xx" + "x"),
        FLUSH("flush", x(34) + "x" + "xx" + "x"),
        LIST("list", ".11" + x(9) + "11" + "....." + "x" + "." + x(7) + "." + x(5) + "x" + "xx" + "x"),
        ADDDEST("add-server", "xx+xxx+...." + x(17) + "x" + "....." + "x" + "x." + "x"),
        DELDEST("delete-server", "xx+xxx+" + x(27) + "x" + "xx" + "x"),
        EDITDEST("edit-server", "xx+xxx+...." + x(17) + "x" + "....." + "x" + "x." + "x"),
        TIMEOUT("set", x(34) + "x" + "xx" + "x"),
        STARTDAEMON("start-daemon", x(11) + "." + x(7) + "." + x(4) + "...." + x(6) + "x" + "xx" + "x"),
        STOPDAEMON("stop-daemon", x(19) + "." + x(14) + "x" + "xx" + "x"),
        RESTORE("restore", x(34) + "x" + "xx" + "x"),
        SAVE("save", "." + x(33) + "x" + "xx" + "x"),
        ZERO("zero", "xx." + x(31) + "x" + "xx" + "x"),
        SYSCTL("sysctl", x(34) + "x" + "xx" + "x"),
        ADDLADDR("add-laddr", "xx+" + x(32) + "+x" + "x"),
        DELLADDR("del-laddr", "xx+" + x(32) + "+x" + "x"),
        GETLADDR("get-laddr", ".x." + x(32) + "xx" + "x");

        final String cmdName;
        final String row;

        Cmd(String cmdName, String row) {
            if (row.length() != Opt.values().length) throw new AssertionError(cmdName + " row length " + row.length());
            this.cmdName = cmdName;
            this.row = row;
        }
    }

    private static String x(int n) { return "x".repeat(n); }

    /** ipvsadm's generic_opt_check. */
    static void check(Cmd cmd, EnumSet<Opt> options) throws AdmException {
        Opt firstExclusive = null;
        for (Opt opt : Opt.values()) {
            char rule = cmd.row.charAt(opt.ordinal());
            if (!options.contains(opt)) {
                if (rule == '+')
                    throw AdmException.syntax("You need to supply the '" + opt.optName + "' option for the '"
                            + cmd.cmdName + "' command");
            } else {
                if (rule == 'x')
                    throw AdmException.syntax("Illegal '" + opt.optName + "' option with the '" + cmd.cmdName + "' command");
                if (rule == '1') {
                    if (firstExclusive == null) {
                        firstExclusive = opt;
                        continue;
                    }
                    throw AdmException.syntax("The option '" + opt.optName + "' conflicts with the '"
                            + firstExclusive.optName + "' option in the '" + cmd.cmdName + "' command");
                }
            }
        }
    }
}
