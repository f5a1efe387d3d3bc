package io.jlvs.control.l7;

import io.jlvs.control.l7.GetoptScanner.Def;
import java.util.EnumSet;
import java.util.List;

/**
 * tcpvsadm's options, its commands and option flags (cmdnames, optnames), and its table of which options each
 * command requires, forbids or allows (commands_v_options), with tcpvsadm's messages. jlvs adds -v, --header on
 * the rule commands, -l on -E, the service options --xff, --proxy-protocol, --source, --splice and the health
 * check's (--check, --check-path, --check-status, --check-interval, --check-timeout, --check-retries), and --stats on
 * -L (ipvsadm's spelling) for the proxy's and the splicer's figures.
 */
final class TcpvsOptions {
    private TcpvsOptions() {}

    static final List<Def> DEFS = List.of(
            new Def("add-service", 'A', false), new Def("edit-service", 'E', false),
            new Def("delete-service", 'D', false), new Def("flush", 'F', false), new Def("list", 'L', false),
            new Def("add-server", 'a', false), new Def("edit-server", 'e', false),
            new Def("delete-server", 'd', false), new Def("add-rule", '\0', false), new Def("del-rule", '\0', false),
            new Def("start", '\0', false), new Def("stop", '\0', false), new Def("help", 'h', false),
            new Def("version", 'v', false), new Def("load-configfile", 'f', true),
            new Def("ident", 'i', true), new Def("listen", 'l', true), new Def("port", 'P', true),
            new Def("scheduler", 's', true), new Def("real-server", 'r', true), new Def("weight", 'w', true),
            new Def("pattern", 'p', true), new Def("match", 'm', true), new Def("numeric", 'n', false),
            new Def("header", '\0', true), new Def("xff", '\0', false), new Def("proxy-protocol", '\0', true),
            new Def("source", '\0', true), new Def("splice", '\0', true), new Def("check", '\0', true),
            new Def("check-path", '\0', true), new Def("check-status", '\0', true),
            new Def("check-interval", '\0', true), new Def("check-timeout", '\0', true),
            new Def("check-retries", '\0', true), new Def("stats", '\0', false));

    /** The commands, in the order of tcpvsadm's cmdnames (the names its messages use). */
    enum Cmd {
        ADD("add-service"), EDIT("edit-service"), DEL("delete-service"), FLUSH("flush"), LIST("list"),
        ADDDEST("add-server"), EDITDEST("edit-server"), DELDEST("delete-server"), ADDRULE("add-rule"),
        DELRULE("del-rule"), START("start"), STOP("stop"), LOADCF("load-configfile");

        final String label;

        Cmd(String label) { this.label = label; }
    }

    /** The option flags, in the order of tcpvsadm's optnames (the order violations are reported in). */
    enum Opt {
        NUMERIC("numeric"), IDENT("ident"), SCHEDULER("scheduler"), PORT("port"), REALSERVER("real-server"),
        WEIGHT("weight"), PATTERN("pattern"), MATCHNUM("match"), LISTEN("listen"), HEADER("header"), XFF("xff"),
        PROXY_PROTOCOL("proxy-protocol"), SOURCE("source"), SPLICE("splice"), CHECK("check"),
        CHECK_PATH("check-path"), CHECK_STATUS("check-status"), CHECK_INTERVAL("check-interval"),
        CHECK_TIMEOUT("check-timeout"), CHECK_RETRIES("check-retries"), STATS("stats");

        final String label;

        Opt(String label) { this.label = label; }
    }

    /*
     * '+' compulsory, 'x' illegal, '1' at most one of the '1' options, ' ' optional; columns in Opt's order
     * (chk: check, cpa: check-path, cst: check-status, civ: check-interval, cto: check-timeout, crt: check-retries, sta: stats):
     *                                n    i    s    P    r    w    p    m    l   hdr  xff  pp   src  spl  chk  cpa  cst  civ  cto  crt  sta
     */
    private static final String[] TABLE = {
            /* ADD      */ "x+  xxxx x          x",
            /* EDIT     */ "x+  xxxx x          x",
            /* DEL      */ "x+xxxxxxxxxxxxxxxxxxx",
            /* FLUSH    */ "xxxxxxxxxxxxxxxxxxxxx",
            /* LIST     */ "  xxxxxxxxxxxxxxxxxx ",
            /* ADDDEST  */ "x+xx+ xxxxxxxxxxxxxxx",
            /* EDITDEST */ "x+xx+ xxxxxxxxxxxxxxx",
            /* DELDEST  */ "x+xx+xxxxxxxxxxxxxxxx",
            /* ADDRULE  */ "x+xx+x+ x xxxxxxxxxxx",
            /* DELRULE  */ "x+xx+x+xx xxxxxxxxxxx",
            /* START    */ "x1xxxxxxxxxxxxxxxxxxx",
            /* STOP     */ "x1xxxxxxxxxxxxxxxxxxx",
            /* LOADCF   */ "xxxxxxxxxxxxxxxxxxxxx",
    };

    /** tcpvsadm's generic_opt_check: the first violation in option order is an error (exit 2). */
    static void check(Cmd cmd, EnumSet<Opt> options) throws L7Exception {
        String row = TABLE[cmd.ordinal()];
        Opt exclusive = null;
        for (Opt opt : Opt.values()) {
            char rule = row.charAt(opt.ordinal());
            if (!options.contains(opt)) {
                if (rule == '+')
                    throw L7Exception.syntax("You need to supply the '" + opt.label + "' option for the '"
                            + cmd.label + "' command");
            } else {
                if (rule == 'x')
                    throw L7Exception.syntax("Illegal '" + opt.label + "' option with the '" + cmd.label + "' command");
                if (rule == '1') {
                    if (exclusive != null)
                        throw L7Exception.syntax("The option '" + opt.label + "' conflicts with the '" + exclusive.label
                                + "' option in the '" + cmd.label + "' command");
                    exclusive = opt;
                }
            }
        }
    }
}
