package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.command.RealServerSpec;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.Timeouts;

import io.jlvs.control.OptionScanner.Token;
import io.jlvs.control.OptionTable.Cmd;
import io.jlvs.control.OptionTable.Opt;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import java.util.OptionalInt;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Parses an ipvsadm 1.31 command line (without the program name) into an {@link AdmCommand}, with ipvsadm's
 * checks, messages and exit codes. Checks that need the running director (does the service exist, is the
 * scheduler known) are the executor's, as they are the kernel's for ipvsadm.
 */
public final class IpvsadmParser {
    /** The program name used in messages. */
    public static final String PROGRAM = "jlvsadm";
    /** ipvsadm's MAX_TIMEOUT: 31 days. */
    static final int MAX_TIMEOUT = 86400 * 31;
    /** IPVS_SVC_PERSISTENT_TIMEOUT: -p without a value. */
    static final int DEFAULT_PERSISTENCE = 360;
    static final String DEFAULT_SCHEDULER = "wlc";

    private IpvsadmParser() {}

    public static AdmCommand parse(String[] argv) throws AdmException {
        if (MarkCommandParser.handles(argv)) return MarkCommandParser.parse(argv);
        return new State().parse(argv, false);
    }

    /** Parses one line of -R input: a nested -R is refused as ipvsadm refuses it. */
    static AdmCommand parseRestoreLine(String[] argv) throws AdmException {
        if (MarkCommandParser.handles(argv)) return MarkCommandParser.parse(argv);
        return new State().parse(argv, true);
    }

    static AdmException tryHelp() {
        return new AdmException("Try `" + PROGRAM + " -h' or '" + PROGRAM + " --help' for more information.",
                AdmException.REFUSED);
    }

    /** ipvsadm's struct ipvs_command_entry, filled option by option. */
    private static final class State {
        Cmd cmd;
        final EnumSet<Opt> options = EnumSet.noneOf(Opt.class);
        final ListFlags format = new ListFlags();
        // service
        Protocol protocol;
        int af;
        long addrHi, addrLo;
        int port;
        int fwmark;
        String scheduler = "";
        int persistTimeout;
        boolean persistent;
        long netmaskV4 = 0xFFFF_FFFFL;
        int netmaskV6 = 128;
        boolean onePacket;
        boolean synproxy;
        boolean sloppyTcp;
        LocalAddressArgs.Pool localAddresses = LocalAddressArgs.Pool.EMPTY;
        String pe;
        String schedFlagsArg;
        // destination
        long destHi, destLo;
        int destAf;
        int destPort;
        ForwardMethod method;
        int weight = 1;
        int upperThreshold, lowerThreshold;
        String tunType;
        int tunPort;
        String tunCsum;
        boolean proxyProtocol;
        // others
        String daemonState;
        String mcastInterface, mcastGroup;
        int syncId, syncMaxLength, mcastPort = AdmCommand.StartDaemon.DEFAULT_PORT,
                mcastTtl = AdmCommand.StartDaemon.DEFAULT_TTL;
        String sysctl;

        AdmCommand parse(String[] argv, boolean restoring) throws AdmException {
            if (argv.length == 0) return new AdmCommand.List(AdmCommand.ListWhat.ALL, null, ListFormat.DEFAULT);
            OptionScanner scanner = new OptionScanner(OptionTable.INDEX, argv);
            Token first = scanner.next();
            if (first.isEnd() || first.isError()) throw tryHelp();
            switch (first.def().longName()) {
                case "add-service" -> cmd = Cmd.ADD;
                case "edit-service" -> cmd = Cmd.EDIT;
                case "delete-service" -> cmd = Cmd.DEL;
                case "add-server" -> cmd = Cmd.ADDDEST;
                case "edit-server" -> cmd = Cmd.EDITDEST;
                case "delete-server" -> cmd = Cmd.DELDEST;
                case "clear" -> cmd = Cmd.FLUSH;
                case "list" -> cmd = Cmd.LIST;
                case "zero" -> cmd = Cmd.ZERO;
                case "set" -> cmd = Cmd.TIMEOUT;
                case "restore" -> cmd = Cmd.RESTORE;
                case "save" -> cmd = Cmd.SAVE;
                case "add-laddr" -> cmd = Cmd.ADDLADDR;
                case "del-laddr" -> cmd = Cmd.DELLADDR;
                case "get-laddr" -> cmd = Cmd.GETLADDR;
                case "start-daemon" -> {
                    cmd = Cmd.STARTDAEMON;
                    daemonState = daemonState(first.value(), "illegal start-daemon parameter specified");
                }
                case "stop-daemon" -> {
                    cmd = Cmd.STOPDAEMON;
                    daemonState = daemonState(first.value(), "illegal start_daemon specified");
                }
                case "sysctl" -> {
                    cmd = Cmd.SYSCTL;
                    sysctl = first.value();
                }
                case "help" -> { return new AdmCommand.Help(); }
                case "version" -> { return new AdmCommand.Version(); }
                default -> throw tryHelp();
            }
            Token t;
            while (!(t = scanner.next()).isEnd()) {
                if (t.isError()) throw AdmException.refused(t.raw() + ": " + t.error());
                option(t);
            }
            if (schedFlagsArg != null) parseSchedFlags();
            List<String> args = scanner.leftover();
            int used = 0;
            int[] timeouts = new int[3];
            if (cmd == Cmd.TIMEOUT) {
                if (args.size() < 3) throw AdmException.syntax("--set option requires 3 timeout values");
                for (int i = 0; i < 3; i++) timeouts[i] = parseTimeout(args.get(i), 0, MAX_TIMEOUT);
                used = 3;
            }
            if (args.size() > used) throw AdmException.syntax("unexpected argument " + args.get(used));
            OptionTable.check(cmd, options);
            return build(restoring, timeouts);
        }

        private AdmCommand build(boolean restoring, int[] timeouts) throws AdmException {
            if (cmd == Cmd.ADD || cmd == Cmd.EDIT) {
                if (fwmark == 0 && port == 0 && !persistent)
                    throw AdmException.syntax("Zero port specified for non-persistent service");
                if (onePacket && fwmark == 0 && protocol != Protocol.UDP)
                    throw AdmException.syntax("One-Packet Scheduling is only for UDP virtual services");
                if (synproxy && fwmark == 0 && protocol != Protocol.TCP)
                    throw AdmException.syntax("--synproxy is only for TCP virtual services");
                if (sloppyTcp && fwmark == 0 && protocol != Protocol.TCP)
                    throw AdmException.syntax("--sloppy-tcp is only for TCP virtual services");
                if (!localAddresses.isEmpty() && localAddresses.af() != af)
                    throw AdmException.syntax(FullNatChecks.LOCAL_ADDRESS_FAMILY);
                if (scheduler.isEmpty()) scheduler = DEFAULT_SCHEDULER;
            }
            if (cmd == Cmd.ADDDEST || cmd == Cmd.EDITDEST) {
                // Before the family check: a FullNAT server of the other family is NAT64, which jlvs does not do.
                if (method == ForwardMethod.FULLNAT && destAf != af)
                    throw AdmException.syntax("--fullnat needs a real server of the service's family"
                            + " (IPv4 to IPv4 or IPv6 to IPv6; no NAT64)");
                if (method != null && method != ForwardMethod.TUNNEL && destAf != af)
                    throw AdmException.syntax("Different address family is allowed only for tunneling servers");
                boolean tunnelOptions = options.contains(Opt.TUN_TYPE) || options.contains(Opt.TUN_PORT)
                        || options.contains(Opt.TUN_NOCSUM) || options.contains(Opt.TUN_CSUM)
                        || options.contains(Opt.TUN_REMCSUM);
                if (tunnelOptions && method != null && method != ForwardMethod.TUNNEL)
                    throw AdmException.syntax("Tunnel options conflict with forward method");
                TunnelOptions.check(tunType == null ? "ipip" : tunType, options);
                if (proxyProtocol && method != null && method != ForwardMethod.FULLNAT)
                    throw AdmException.syntax("--proxy-protocol is only for --fullnat real servers");
            }
            if (cmd == Cmd.LIST) {
                // As ipvsadm: -c takes --persistent-conn (its pe columns), --timeout and --daemon take neither.
                boolean special = options.contains(Opt.CONNECTION) || options.contains(Opt.TIMEOUT)
                        || options.contains(Opt.DAEMON);
                boolean columns = options.contains(Opt.STATS) || options.contains(Opt.RATE)
                        || options.contains(Opt.THRESHOLDS);
                boolean settings = options.contains(Opt.TIMEOUT) || options.contains(Opt.DAEMON);
                if ((special && columns) || (settings && options.contains(Opt.PERSISTENTCONN)))
                    throw AdmException.syntax("options conflicts in the list command");
            }
            return switch (cmd) {
                case ADD -> new AdmCommand.AddService(serviceConfig());
                case EDIT -> new AdmCommand.EditService(serviceConfig());
                case DEL -> new AdmCommand.DeleteService(serviceKey());
                case FLUSH -> new AdmCommand.Clear();
                case ADDDEST -> new AdmCommand.AddServer(serviceKey(), serverSpec());
                case EDITDEST -> new AdmCommand.EditServer(serviceKey(), serverSpec());
                case DELDEST -> new AdmCommand.DeleteServer(serviceKey(), destHi, destLo, deletePort());
                case LIST -> listCommand();
                case RESTORE -> {
                    if (restoring) throw tryHelp();
                    yield new AdmCommand.Restore();
                }
                case SAVE -> new AdmCommand.Save(format.numeric);
                case ZERO -> new AdmCommand.Zero(options.contains(Opt.SERVICE) ? serviceKey() : null);
                case TIMEOUT -> new AdmCommand.SetTimeouts(new Timeouts(timeouts[0], timeouts[1], timeouts[2]));
                case STARTDAEMON -> new AdmCommand.StartDaemon(daemonState, mcastInterface, syncId, syncMaxLength,
                        mcastGroup, mcastPort, mcastTtl);
                case STOPDAEMON -> new AdmCommand.StopDaemon(daemonState);
                case SYSCTL -> sysctlCommand();
                case ADDLADDR -> new AdmCommand.AddLocalAddresses(serviceKey(), localAddresses.v4(), localAddresses.v6());
                case DELLADDR -> new AdmCommand.DeleteLocalAddresses(serviceKey(), localAddresses.v4(),
                        localAddresses.v6());
                case GETLADDR -> new AdmCommand.ListLocalAddresses(options.contains(Opt.SERVICE) ? serviceKey() : null);
            };
        }

        private void option(Token t) throws AdmException {
            String v = t.value();
            switch (t.def().longName()) {
                case "tcp-service", "udp-service", "sctp-service" -> {
                    set(Opt.SERVICE);
                    protocol = switch (t.def().longName()) {
                        case "tcp-service" -> Protocol.TCP;
                        case "udp-service" -> Protocol.UDP;
                        default -> Protocol.SCTP;
                    };
                    AddressArgs.HostPort hp = AddressArgs.parse(v, protocol.servicesName());
                    if (hp == null) throw AdmException.syntax("illegal virtual server address[:port] specified");
                    addrHi = hp.hi();
                    addrLo = hp.lo();
                    af = hp.af();
                    if (af == 6) netmaskV6 = 128;
                    if (hp.port() >= 0) port = hp.port();
                }
                case "fwmark-service" -> {
                    set(Opt.SERVICE);
                    af = 4;
                    protocol = Protocol.TCP;   // as ipvsadm: "a sane value, even though it is not used"
                    fwmark = parseFwmark(v);
                }
                case "scheduler" -> {
                    set(Opt.SCHEDULER);
                    scheduler = v.length() > 15 ? v.substring(0, 15) : v;
                }
                case "persistent" -> {
                    set(Opt.PERSISTENT);
                    persistent = true;
                    persistTimeout = v == null ? DEFAULT_PERSISTENCE : parseTimeout(v, 1, MAX_TIMEOUT);
                }
                case "netmask" -> {
                    set(Opt.NETMASK);
                    if (af != 6) {
                        long mask = AddressArgs.resolveV4(v);
                        if (mask < 0) throw AdmException.syntax("illegal virtual server persistent mask specified");
                        netmaskV4 = mask;
                    } else {
                        int prefix = atoi(v);
                        if (prefix < 1 || prefix > 128) throw AdmException.syntax("illegal ipv6 netmask specified");
                        netmaskV6 = prefix;
                    }
                }
                case "real-server" -> {
                    set(Opt.SERVER);
                    AddressArgs.HostPort hp = AddressArgs.parse(v, protocol == null ? null : protocol.servicesName());
                    if (hp == null) throw AdmException.syntax("illegal real server address[:port] specified");
                    destHi = hp.hi();
                    destLo = hp.lo();
                    destAf = hp.af();
                    destPort = hp.port() >= 0 ? hp.port() : port;   // copy vport to dport if not specified
                }
                case "masquerading" -> { set(Opt.FORWARD); method = ForwardMethod.MASQ; }
                case "ipip" -> { set(Opt.FORWARD); method = ForwardMethod.TUNNEL; }
                case "gatewaying" -> { set(Opt.FORWARD); method = ForwardMethod.ROUTE; }
                case "fullnat" -> { set(Opt.FORWARD); method = ForwardMethod.FULLNAT; }
                case "proxy-protocol" -> { set(Opt.PROXY_PROTOCOL); proxyProtocol = true; }
                case "laddr" -> { set(Opt.LADDR); localAddresses = LocalAddressArgs.parse(v); }
                case "weight" -> {
                    set(Opt.WEIGHT);
                    weight = AddressArgs.parseNumber(v, 0, 65535);
                    if (weight < 0) throw AdmException.syntax("illegal weight specified");
                }
                case "u-threshold" -> {
                    set(Opt.UTHRESHOLD);
                    upperThreshold = AddressArgs.parseNumber(v, 0, Integer.MAX_VALUE);
                    if (upperThreshold < 0) throw AdmException.syntax("illegal u_threshold specified");
                }
                case "l-threshold" -> {
                    set(Opt.LTHRESHOLD);
                    lowerThreshold = AddressArgs.parseNumber(v, 0, Integer.MAX_VALUE);
                    if (lowerThreshold < 0) throw AdmException.syntax("illegal l_threshold specified");
                }
                case "numeric" -> { set(Opt.NUMERIC); format.numeric = true; }
                case "connection" -> set(Opt.CONNECTION);
                case "mcast-interface" -> { set(Opt.MCAST); mcastInterface = v; }
                case "syncid" -> {
                    set(Opt.SYNCID);
                    syncId = AddressArgs.parseNumber(v, 0, 255);
                    if (syncId < 0) throw AdmException.syntax("illegal syncid specified");
                }
                case "mcast-group" -> {
                    set(Opt.MCAST_GROUP);
                    if (!AddressArgs.isMulticastV4(v)) throw AdmException.syntax("illegal IP address");
                    mcastGroup = v;
                }
                case "mcast-port" -> {
                    set(Opt.MCAST_PORT);
                    mcastPort = AddressArgs.parseNumber(v, 1, 65535);
                    if (mcastPort < 0) throw AdmException.syntax("illegal mcast-port specified");
                }
                case "mcast-ttl" -> {
                    set(Opt.MCAST_TTL);
                    mcastTtl = AddressArgs.parseNumber(v, 1, 255);
                    if (mcastTtl < 0) throw AdmException.syntax("illegal mcast-ttl specified");
                }
                case "sync-maxlen" -> {
                    set(Opt.SYNC_MAXLEN);
                    syncMaxLength = AddressArgs.parseNumber(v, 1, 65535 - 20 - 8);
                    if (syncMaxLength < 0) throw AdmException.syntax("illegal sync-maxlen specified");
                }
                case "timeout" -> set(Opt.TIMEOUT);
                case "daemon" -> set(Opt.DAEMON);
                case "stats" -> { set(Opt.STATS); format.stats = true; }
                case "rate" -> { set(Opt.RATE); format.rate = true; }
                case "thresholds" -> { set(Opt.THRESHOLDS); format.thresholds = true; }
                case "persistent-conn" -> { set(Opt.PERSISTENTCONN); format.persistentConn = true; }
                case "nosort" -> { set(Opt.NOSORT); format.noSort = true; }
                case "sort" -> { /* the default; accepted for compatibility */ }
                case "exact" -> { set(Opt.EXACT); format.exact = true; }
                case "ipv6" -> {
                    if (fwmark == 0) throw AdmException.syntax("-6 used before -f\n");
                    af = 6;
                    netmaskV6 = 128;
                }
                case "ops" -> { set(Opt.ONEPACKET); onePacket = true; }
                case "synproxy" -> { set(Opt.SYNPROXY); synproxy = true; }
                case "sloppy-tcp" -> { set(Opt.SLOPPY_TCP); sloppyTcp = true; }
                case "pe" -> { set(Opt.PE); pe = v; }
                case "sched-flags" -> { set(Opt.SCHED_FLAGS); schedFlagsArg = v; }
                case "tun-info" -> { set(Opt.TUN_INFO); format.tunInfo = true; }
                case "tun-type" -> {
                    set(Opt.TUN_TYPE);
                    if (!TunnelOptions.TYPES.contains(v)) throw AdmException.syntax("illegal tunnel type specified");
                    tunType = v;
                }
                case "tun-port" -> {
                    set(Opt.TUN_PORT);
                    tunPort = AddressArgs.parseNumber(v, 1, 65535);
                    if (tunPort < 0) throw AdmException.syntax("illegal tunnel port specified");
                }
                case "tun-nocsum" -> { set(Opt.TUN_NOCSUM); tunCsum = "nocsum"; }
                case "tun-csum" -> { set(Opt.TUN_CSUM); tunCsum = "csum"; }
                case "tun-remcsum" -> { set(Opt.TUN_REMCSUM); tunCsum = "remcsum"; }
                // a second command, -h or -v after the command: popt hands it back and ipvsadm rejects it
                default -> throw AdmException.syntax("invalid option `" + t.raw() + "'");
            }
        }

        private void set(Opt opt) throws AdmException {
            if (!options.add(opt)) throw AdmException.syntax("multiple '" + opt.optName + "' options specified");
        }

        /** ipvsadm's parse_sched_flags, against the scheduler named so far (wlc when none). */
        private void parseSchedFlags() throws AdmException {
            String sched = scheduler.isEmpty() ? DEFAULT_SCHEDULER : scheduler;
            for (String flag : schedFlagsArg.split(",")) {
                if (flag.isEmpty()) continue;
                switch (flag) {
                    case "flag-1", "flag-2", "flag-3" -> { }
                    case "sh-fallback", "sh-port" -> {
                        if (!sched.equals("sh")) throw AdmException.syntax("incompatible scheduler flag `" + flag + "'");
                    }
                    case "mh-fallback", "mh-port" -> {
                        if (!sched.equals("mh")) throw AdmException.syntax("incompatible scheduler flag `" + flag + "'");
                    }
                    default -> throw AdmException.syntax("invalid scheduler flag `" + flag + "'");
                }
            }
        }

        /** Flags as IPVS keeps them (three bits), named the way ipvsadm prints them for the scheduler. */
        private Set<String> schedFlags() {
            if (schedFlagsArg == null) return Set.of();
            boolean[] bits = new boolean[3];
            for (String flag : schedFlagsArg.split(",")) {
                switch (flag) {
                    case "flag-1", "sh-fallback", "mh-fallback" -> bits[0] = true;
                    case "flag-2", "sh-port", "mh-port" -> bits[1] = true;
                    case "flag-3" -> bits[2] = true;
                    default -> { }
                }
            }
            return SchedFlags.names(scheduler, bits);
        }

        private ServiceKey serviceKey() {
            if (fwmark != 0) return ServiceKey.ofFwmark(fwmark, af);
            return new ServiceKey(protocol, addrHi, addrLo, port, 0, af);
        }

        private ServiceConfig serviceConfig() {
            long maskHi, maskLo;
            if (af == 6) {
                maskHi = netmaskV6 >= 64 ? -1L : netmaskV6 == 0 ? 0 : -1L << (64 - netmaskV6);
                maskLo = netmaskV6 <= 64 ? 0 : netmaskV6 == 128 ? -1L : -1L << (128 - netmaskV6);
            } else {
                maskHi = -1L;
                maskLo = 0xFFFF_FFFF_0000_0000L | (netmaskV4 & 0xFFFF_FFFFL);
            }
            return new ServiceConfig(serviceKey(), scheduler, schedFlags(), persistent ? persistTimeout : 0,
                    maskHi, maskLo, pe, onePacket, synproxy, localAddresses.v4(), sloppyTcp, localAddresses.v6());
        }

        private RealServerSpec serverSpec() {
            boolean tunnelOptions = tunType != null || tunPort != 0 || tunCsum != null;
            return new RealServerSpec(destHi, destLo, destPort, method, weight, upperThreshold, lowerThreshold,
                    tunType, tunPort, tunCsum, tunnelOptions, proxyProtocol);
        }

        /** -d: as ipvsadm, the port of a DR/tunnel server is the service's (the method defaults to -g). */
        /** ipvsadm forces the real port to the virtual one only for -a/-e with -g/-i; -d takes -r as given. */
        private int deletePort() {
            return destPort;
        }

        private AdmCommand listCommand() {
            ListFormat f = format.toFormat();
            if (options.contains(Opt.CONNECTION)) return new AdmCommand.List(AdmCommand.ListWhat.CONNECTIONS, null, f);
            if (options.contains(Opt.SERVICE)) return new AdmCommand.List(AdmCommand.ListWhat.SERVICE, serviceKey(), f);
            if (options.contains(Opt.TIMEOUT)) return new AdmCommand.List(AdmCommand.ListWhat.TIMEOUT, null, f);
            if (options.contains(Opt.DAEMON)) return new AdmCommand.List(AdmCommand.ListWhat.DAEMON, null, f);
            return new AdmCommand.List(AdmCommand.ListWhat.ALL, null, f);
        }

        private AdmCommand sysctlCommand() throws AdmException {
            int eq = sysctl.indexOf('=');
            String name = (eq < 0 ? sysctl : sysctl.substring(0, eq)).trim();
            IpvsSysctl knob = IpvsSysctl.byName(name);
            if (knob == null && !name.equals("all")) {
                if (name.startsWith(IpvsSysctl.PREFIX)) name = name.substring(IpvsSysctl.PREFIX.length());
                throw AdmException.syntax("unknown sysctl `" + name + "' (known: " + IpvsSysctl.names() + ")");
            }
            if (eq < 0) return new AdmCommand.Sysctl(knob, OptionalInt.empty());
            if (knob == null) throw AdmException.syntax("cannot set `all'");
            String value = sysctl.substring(eq + 1).trim();
            int number = AddressArgs.parseNumber(value, 0, Integer.MAX_VALUE);
            if (number < 0) {
                throw AdmException.syntax("invalid value `" + value + "' for " + knob.sysctlName()
                        + (knob == IpvsSysctl.SYNC_THRESHOLD && value.contains(" ")
                                ? " (the kernel's second value is jlvs's sync_period)" : ""));
            }
            if (!knob.allows(number)) throw AdmException.syntax(knob.sysctlName() + " " + knob.rangeText());
            return new AdmCommand.Sysctl(knob, OptionalInt.of(number));
        }
    }

    /** The FMT_* flags being collected. */
    private static final class ListFlags {
        boolean numeric, stats, rate, thresholds, persistentConn, tunInfo, noSort, exact;

        ListFormat toFormat() {
            return new ListFormat(numeric, stats, rate, thresholds, persistentConn, tunInfo, noSort, exact);
        }
    }

    private static String daemonState(String v, String error) throws AdmException {
        if (v.equals("master") || v.equals("backup")) return v;
        throw AdmException.syntax(error);
    }

    private static int parseTimeout(String v, int min, int max) throws AdmException {
        int t = AddressArgs.parseNumber(v, min, max);
        if (t < 0) throw AdmException.syntax("invalid timeout value `" + v + "' specified");
        return t;
    }

    private static int parseFwmark(String v) throws AdmException {
        int mark = AddressArgs.parseNumber(v, 1, Integer.MAX_VALUE);
        long unsigned = -1;
        if (mark < 0) {
            try {
                unsigned = Long.parseLong(v);
            } catch (NumberFormatException e) {
                unsigned = -1;
            }
            if (unsigned <= 0 || unsigned > 0xFFFF_FFFFL)
                throw AdmException.syntax("invalid fwmark value `" + v + "' specified");
            return (int) unsigned;
        }
        return mark;
    }

    /** C's atoi: leading digits, 0 when none. */
    private static int atoi(String s) {
        int i = 0, n = 0;
        boolean neg = false;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
        while (i < s.length() && Character.isDigit(s.charAt(i)) && n < 100000) n = n * 10 + (s.charAt(i++) - '0');
        return neg ? -n : n;
    }
}
