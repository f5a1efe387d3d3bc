package io.jlvs.control.l7;

import io.jlvs.control.l7.GetoptScanner.Token;
import io.jlvs.control.l7.TcpvsOptions.Cmd;
import io.jlvs.control.l7.TcpvsOptions.Opt;
import java.util.EnumSet;
import java.util.OptionalInt;

/**
 * Parses a tcpvsadm command line (without the program name) into an {@link L7Command}, with tcpvsadm's checks,
 * messages and exit codes: 255 with the "Try" line when the line does not start with a command, 2 for everything
 * else it refuses. Checks that need the table in force (does the service exist, is the scheduler known, is the
 * rule's server a server of the service) are L7Changes', as they were KTCPVS's.
 */
public final class TcpvsadmParser {
    /** The program name used in messages. */
    public static final String PROGRAM = "tcpvsadm";

    private TcpvsadmParser() {}

    public static L7Command parse(String[] argv) throws L7Exception {
        return new State().parse(argv);
    }

    static L7Exception tryHelp() {
        return new L7Exception("Try `" + PROGRAM + " -h' or '" + PROGRAM + " --help' for more information.",
                L7Exception.REFUSED);
    }

    /** The command and the values of its options, filled option by option. */
    private static final class State {
        Cmd cmd;
        final EnumSet<Opt> options = EnumSet.noneOf(Opt.class);
        String ident;
        String scheduler = L7Scheduler.DEFAULT.schedulerName();
        int listenAddress;
        int listenPort = L7Service.DEFAULT_PORT;
        L7Endpoint server;
        int weight = L7Server.DEFAULT_WEIGHT;
        String pattern;
        String header;
        int matchGroup;
        boolean numeric;
        boolean stats;
        String file;
        boolean forwardedFor;
        L7Options.ProxyProtocol proxyProtocol = L7Options.ProxyProtocol.NONE;
        OptionalInt source = OptionalInt.empty();
        L7Options.Splice splice = L7Options.Splice.AUTO;
        // the check's settings; null or -1 while not given
        L7Check.Kind checkKind;
        String checkPath;
        int checkStatus = -1;
        int checkInterval = -1;
        int checkTimeout = -1;
        int checkRetries = -1;

        L7Command parse(String[] argv) throws L7Exception {
            if (argv.length == 0) return new L7Command.List(null, false);
            GetoptScanner scanner = new GetoptScanner(PROGRAM, TcpvsOptions.DEFS, argv);
            Token first = scanner.next();
            if (first.isError()) throw new L7Exception(first.error() + "\n" + tryHelp().getMessage(), L7Exception.REFUSED);
            if (first.isEnd()) throw tryHelp();
            cmd = command(first);
            if (cmd == null) {
                switch (first.def().longName()) {
                    case "help" -> { return new L7Command.Help(); }
                    case "version" -> { return new L7Command.Version(); }
                    default -> throw tryHelp();
                }
            }
            if (cmd == Cmd.LOADCF) file = first.value();
            Token t;
            while (!(t = scanner.next()).isEnd()) {
                if (t.isError()) throw L7Exception.syntax(t.error() + "\ninvalid option");
                option(t);
            }
            if (!scanner.leftover().isEmpty()) throw L7Exception.syntax("unknown arguments found in command line");
            TcpvsOptions.check(cmd, options);
            return build();
        }

        /** The command an option names, or null when it names none. */
        private static Cmd command(Token t) {
            return switch (t.def().longName()) {
                case "add-service" -> Cmd.ADD;
                case "edit-service" -> Cmd.EDIT;
                case "delete-service" -> Cmd.DEL;
                case "flush" -> Cmd.FLUSH;
                case "list" -> Cmd.LIST;
                case "add-server" -> Cmd.ADDDEST;
                case "edit-server" -> Cmd.EDITDEST;
                case "delete-server" -> Cmd.DELDEST;
                case "add-rule" -> Cmd.ADDRULE;
                case "del-rule" -> Cmd.DELRULE;
                case "start" -> Cmd.START;
                case "stop" -> Cmd.STOP;
                case "load-configfile" -> Cmd.LOADCF;
                default -> null;
            };
        }

        private void option(Token t) throws L7Exception {
            String v = t.value();
            if (command(t) != null || t.def().longName().equals("help") || t.def().longName().equals("version"))
                throw L7Exception.syntax("multiple commands specified");
            switch (t.def().longName()) {
                case "ident" -> {
                    set(Opt.IDENT);
                    if (L7Service.identError(v) != null) throw L7Exception.syntax(L7Service.identError(v));
                    ident = v;
                }
                case "scheduler" -> {
                    set(Opt.SCHEDULER);
                    scheduler = v;
                }
                case "port" -> {
                    set(Opt.PORT);
                    // tcpvsadm's range, 1..65534
                    listenPort = L7Numbers.parse(v, 1, 65534);
                    if (listenPort < 0) throw L7Exception.syntax("illegal server port specified");
                }
                case "listen" -> {
                    set(Opt.LISTEN);
                    L7Endpoint listen = L7Endpoint.parse(v, listenPort);
                    if (listen == null) throw L7Exception.syntax("illegal address:port specified");
                    listenAddress = listen.address();
                    listenPort = listen.port();
                }
                case "real-server" -> {
                    set(Opt.REALSERVER);
                    server = L7Endpoint.parse(v, -1);
                    if (server == null) throw L7Exception.syntax("illegal address:port specified");
                }
                case "weight" -> {
                    set(Opt.WEIGHT);
                    weight = L7Numbers.parse(v, 0, L7Server.MAX_WEIGHT);
                    if (weight < 0) throw L7Exception.syntax("illegal weight specified");
                }
                case "pattern" -> {
                    set(Opt.PATTERN);
                    pattern = v;
                }
                case "match" -> {
                    set(Opt.MATCHNUM);
                    matchGroup = L7Numbers.parse(v, 0, L7Rule.MAX_MATCH_GROUP);
                    if (matchGroup < 0) throw L7Exception.syntax("illegal match number specified");
                }
                case "numeric" -> {
                    set(Opt.NUMERIC);
                    numeric = true;
                }
                case "stats" -> {
                    set(Opt.STATS);
                    stats = true;
                }
                case "header" -> {
                    set(Opt.HEADER);
                    String error = L7Patterns.headerError(v);
                    if (error != null) throw L7Exception.syntax(error);
                    header = v;
                }
                case "xff" -> {
                    set(Opt.XFF);
                    forwardedFor = true;
                }
                case "proxy-protocol" -> {
                    set(Opt.PROXY_PROTOCOL);
                    proxyProtocol = L7Options.ProxyProtocol.byText(v);
                    if (proxyProtocol == null) throw L7Exception.syntax("illegal proxy protocol version specified (v2)");
                }
                case "source" -> {
                    set(Opt.SOURCE);
                    long address = L7Endpoint.parseAddress(v);
                    if (address < 0) throw L7Exception.syntax("illegal source address specified");
                    source = OptionalInt.of((int) address);
                }
                case "splice" -> {
                    set(Opt.SPLICE);
                    splice = L7Options.Splice.byText(v);
                    if (splice == null) throw L7Exception.syntax("illegal splice mode specified (sockmap, pipe or copy)");
                }
                case "check" -> {
                    set(Opt.CHECK);
                    checkKind = L7Check.Kind.byText(v);
                    if (checkKind == null) throw L7Exception.syntax("illegal check specified (tcp, http or none)");
                }
                case "check-path" -> {
                    set(Opt.CHECK_PATH);
                    checkPath = v;
                }
                case "check-status" -> {
                    set(Opt.CHECK_STATUS);
                    checkStatus = L7Numbers.parse(v, L7Check.MIN_STATUS, L7Check.MAX_STATUS);
                    if (checkStatus < 0) throw L7Exception.syntax("illegal check status specified ("
                            + L7Check.MIN_STATUS + ".." + L7Check.MAX_STATUS + ")");
                }
                case "check-interval" -> {
                    set(Opt.CHECK_INTERVAL);
                    checkInterval = L7Numbers.parse(v, 1, L7Check.MAX_INTERVAL);
                    if (checkInterval < 0) throw L7Exception.syntax("illegal check interval specified (1.."
                            + L7Check.MAX_INTERVAL + " seconds)");
                }
                case "check-timeout" -> {
                    set(Opt.CHECK_TIMEOUT);
                    checkTimeout = L7Numbers.parse(v, 1, L7Check.MAX_TIMEOUT);
                    if (checkTimeout < 0) throw L7Exception.syntax("illegal check timeout specified (1.."
                            + L7Check.MAX_TIMEOUT + " seconds)");
                }
                case "check-retries" -> {
                    set(Opt.CHECK_RETRIES);
                    checkRetries = L7Numbers.parse(v, 0, L7Check.MAX_RETRIES);
                    if (checkRetries < 0) throw L7Exception.syntax("illegal check retries specified (0.."
                            + L7Check.MAX_RETRIES + ")");
                }
                default -> throw new IllegalStateException("unhandled option " + t.def().longName());
            }
        }

        private void set(Opt opt) throws L7Exception {
            if (!options.add(opt)) throw L7Exception.syntax("multiple '" + opt.label + "' options specified");
        }

        private L7Command build() throws L7Exception {
            return switch (cmd) {
                case ADD -> new L7Command.AddService(ident, settings());
                case EDIT -> new L7Command.EditService(ident, settings());
                case DEL -> new L7Command.DeleteService(ident);
                case FLUSH -> new L7Command.Flush();
                case LIST -> new L7Command.List(ident, numeric, stats);
                case ADDDEST -> new L7Command.AddServer(ident, new L7Server(server, weight));
                case EDITDEST -> new L7Command.EditServer(ident, new L7Server(server, weight));
                case DELDEST -> new L7Command.DeleteServer(ident, server);
                case ADDRULE -> new L7Command.AddRule(ident, rule());
                case DELRULE -> new L7Command.DeleteRule(ident, rule());
                case START -> new L7Command.Start(ident);
                case STOP -> new L7Command.Stop(ident);
                case LOADCF -> new L7Command.LoadFile(file);
            };
        }

        private L7ServiceSettings settings() throws L7Exception {
            L7Check check = L7Check.of(checkKind, checkPath, checkStatus, checkInterval, checkTimeout, checkRetries);
            return new L7ServiceSettings(new L7Endpoint(listenAddress, listenPort), scheduler,
                    new L7Options(forwardedFor, proxyProtocol, source, splice, check));
        }

        private L7Rule rule() throws L7Exception {
            String error = L7Patterns.ruleError(pattern, header, matchGroup);
            if (error != null) throw L7Exception.syntax(error);
            return new L7Rule(pattern, header, matchGroup, server);
        }
    }
}
