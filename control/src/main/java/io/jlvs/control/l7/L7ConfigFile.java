package io.jlvs.control.l7;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Reads a tcpvsadm config file (what -f loads, and what -L prints) into an {@link L7Config}, one setting per line:
 * <pre>
 * Virtual web {                      # any number of blocks; keywords without case
 *     listen = 0.0.0.0:80            # ADDR[:PORT], default port 8080
 *     scheduler = http
 *     server = 10.0.0.2:80 1         # ADDR:PORT [WEIGHT]
 *     rule = pattern "/images/.*" use server 10.0.0.2:80
 *     rule = pattern "/users/([^/]+)/.*" match 1 use server 10.0.0.3:80
 *     rule = header Host pattern "^api\." use server 10.0.0.4:80
 *     xff = on                       # jlvs: on|off; proxy-protocol = v2; source = ADDR; splice = sockmap|pipe|copy
 *     check = http /health 200       # jlvs: tcp (the default), none, or http [PATH [STATUS]]
 *     check-interval = 5             # jlvs: seconds between checks; check-timeout = 3; check-retries = 1
 * }
 * </pre>
 * A -L listing is such a file: its version line is passed over, its counters are comments. KTCPVS's startservers, maxclients, minspareservers and maxspareservers are checked and ignored with a warning
 * (jlvs sizes its proxy itself); redirect, which jlvs does not do, is an error. Every error is reported as
 * FILE:LINE: message, all of them at once; the file is refused as a whole (exit 1, as tcpvsadm exits).
 */
public final class L7ConfigFile {
    private L7ConfigFile() {}

    /** The config and the warnings (FILE:LINE: message) of a file without errors. */
    public record Result(L7Config config, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private static final List<String> SIZING = List.of("startservers", "maxclients", "minspareservers",
            "maxspareservers");

    public static Result parse(Path file) throws L7Exception {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new L7Exception("config file " + file + " opening error", L7Exception.CONFIG_FILE);
        }
        return parse(text, file.toString());
    }

    /** Parses text, naming it name in messages. */
    public static Result parse(String text, String name) throws L7Exception {
        Reader reader = new Reader(name);
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) reader.line(i + 1, lines[i]);
        reader.end(text.endsWith("\n") ? lines.length - 1 : lines.length);
        if (!reader.errors.isEmpty()) {
            // in line order: a block's servers and rules are checked when it closes
            List<String> errors = reader.errors.stream().sorted(Comparator.comparingInt(Message::line))
                    .map(m -> name + ":" + m.line() + ": " + m.text()).toList();
            throw new L7Exception(String.join("\n", errors), L7Exception.CONFIG_FILE);
        }
        return new Result(reader.config.build(), reader.warnings);
    }

    /** An error and its line. */
    private record Message(int line, String text) {}

    /** A setting that becomes a command when its block closes, with the line it came from. */
    private record Pending(int line, L7Command command) {}

    /** The state of one reading: the config so far, the open block, the messages. */
    private static final class Reader {
        final String name;
        final L7ConfigBuilder config = new L7ConfigBuilder();
        final List<Message> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        // the open Virtual block, if any
        boolean inBlock;
        int blockLine;
        String ident;
        L7Endpoint listen;
        String scheduler;
        boolean forwardedFor;
        L7Options.ProxyProtocol proxyProtocol;
        OptionalInt source;
        L7Options.Splice splice;
        L7Check.Kind checkKind;
        String checkPath;
        int checkStatus;
        int checkInterval;
        int checkTimeout;
        int checkRetries;
        final List<Pending> pending = new ArrayList<>();

        Reader(String name) {
            this.name = name;
        }

        void line(int number, String text) {
            L7ConfigLine line;
            try {
                line = L7ConfigLine.split(number, text);
            } catch (IllegalArgumentException e) {
                error(number, e.getMessage());
                return;
            }
            if (line.isEmpty()) return;
            if (!inBlock && text.startsWith(L7Listing.header().strip())) {
                // the first line of a -L listing, so that a saved listing loads as it is
                return;
            }
            if (line.is(0, "virtual")) {
                open(line);
            } else if (line.size() == 1 && line.word(0).equals("}")) {
                if (!inBlock) error(number, "'}' without a Virtual block");
                else close();
            } else if (!inBlock) {
                error(number, "expected 'Virtual IDENT {', found '" + line.word(0) + "'");
            } else {
                setting(line);
            }
        }

        void end(int lastLine) {
            if (inBlock) {
                error(lastLine, "'}' missing at the end of Virtual " + ident);
                close();
            }
        }

        private void open(L7ConfigLine line) {
            int number = line.number();
            if (inBlock) {
                error(number, "Virtual inside Virtual " + ident + ": '}' missing");
                close();
            }
            inBlock = true;
            blockLine = number;
            ident = null;
            listen = L7Endpoint.any(L7Service.DEFAULT_PORT);
            scheduler = L7Scheduler.DEFAULT.schedulerName();
            forwardedFor = false;
            proxyProtocol = L7Options.ProxyProtocol.NONE;
            source = OptionalInt.empty();
            splice = L7Options.Splice.AUTO;
            checkKind = null;
            checkPath = null;
            checkStatus = checkInterval = checkTimeout = checkRetries = -1;
            pending.clear();
            if (line.size() != 3 || !line.word(2).equals("{")) {
                error(number, "expected 'Virtual IDENT {'");
                return;
            }
            String identError = L7Service.identError(line.word(1));
            if (identError != null) error(number, identError + ": " + line.word(1));
            else ident = line.word(1);
        }

        private void close() {
            inBlock = false;
            if (ident == null) return;
            L7Check check;
            try {
                check = L7Check.of(checkKind, checkPath, checkStatus, checkInterval, checkTimeout, checkRetries);
            } catch (L7Exception e) {
                error(blockLine, e.getMessage());
                return;
            }
            L7Options options = new L7Options(forwardedFor, proxyProtocol, source, splice, check);
            if (!apply(blockLine, new L7Command.AddService(ident, new L7ServiceSettings(listen, scheduler, options))))
                return;
            for (Pending p : pending) apply(p.line(), p.command());
        }

        private boolean apply(int number, L7Command command) {
            try {
                L7Changes.apply(config, command);
                return true;
            } catch (L7Exception e) {
                error(number, e.getMessage());
                return false;
            }
        }

        private void setting(L7ConfigLine line) {
            int number = line.number();
            String keyword = line.word(0).toLowerCase(Locale.ROOT);
            if (line.size() < 3 || !line.word(1).equals("=")) {
                error(number, "expected '" + keyword + " = value'");
                return;
            }
            List<String> values = line.words().subList(2, line.size());
            String value = values.getFirst();
            switch (keyword) {
                case "listen" -> {
                    L7Endpoint e = one(values) ? L7Endpoint.parse(value, L7Service.DEFAULT_PORT) : null;
                    if (e == null) error(number, "parsing listen address error");
                    else listen = e;
                }
                case "scheduler" -> {
                    if (!one(values)) error(number, "parsing scheduler error");
                    else if (L7Scheduler.byName(value) == null) error(number, "Scheduler not found: " + value);
                    else scheduler = value;
                }
                case "startservers", "maxclients", "minspareservers", "maxspareservers" -> {
                    if (!one(values) || L7Numbers.parse(value, 1, 65535) < 0)
                        error(number, "parsing " + keyword + " error");
                    else warning(number, keyword + " is ignored: jlvs sizes its proxy itself");
                }
                case "redirect" -> error(number, "redirect is not supported by jlvs");
                case "server" -> server(line, values);
                case "rule" -> rule(line, values);
                case "xff" -> {
                    if (one(values) && (value.equalsIgnoreCase("on") || value.equalsIgnoreCase("off")))
                        forwardedFor = value.equalsIgnoreCase("on");
                    else error(number, "parsing xff error: on or off");
                }
                case "proxy-protocol" -> {
                    L7Options.ProxyProtocol p = one(values) ? L7Options.ProxyProtocol.byText(value) : null;
                    if (p == null) error(number, "parsing proxy-protocol error: v2");
                    else proxyProtocol = p;
                }
                case "source" -> {
                    long address = one(values) ? L7Endpoint.parseAddress(value) : -1;
                    if (address < 0) error(number, "parsing source address error");
                    else source = OptionalInt.of((int) address);
                }
                case "splice" -> {
                    L7Options.Splice s = one(values) ? L7Options.Splice.byText(value) : null;
                    if (s == null) error(number, "parsing splice error: sockmap, pipe or copy");
                    else splice = s;
                }
                case "check" -> check(line, values);
                case "check-interval" -> {
                    checkInterval = one(values) ? L7Numbers.parse(value, 1, L7Check.MAX_INTERVAL) : -1;
                    if (checkInterval < 0) error(number, "parsing check-interval error: 1.." + L7Check.MAX_INTERVAL
                            + " seconds");
                }
                case "check-timeout" -> {
                    checkTimeout = one(values) ? L7Numbers.parse(value, 1, L7Check.MAX_TIMEOUT) : -1;
                    if (checkTimeout < 0) error(number, "parsing check-timeout error: 1.." + L7Check.MAX_TIMEOUT
                            + " seconds");
                }
                case "check-retries" -> {
                    checkRetries = one(values) ? L7Numbers.parse(value, 0, L7Check.MAX_RETRIES) : -1;
                    if (checkRetries < 0) error(number, "parsing check-retries error: 0.." + L7Check.MAX_RETRIES);
                }
                default -> error(number, "unknown keyword '" + line.word(0) + "'");
            }
        }

        private static boolean one(List<String> values) {
            return values.size() == 1;
        }

        /** check = tcp | none | http [PATH [STATUS]]. */
        private void check(L7ConfigLine line, List<String> values) {
            L7Check.Kind kind = L7Check.Kind.byText(values.getFirst());
            String path = kind == L7Check.Kind.HTTP && values.size() > 1 ? values.get(1) : null;
            int status = kind == L7Check.Kind.HTTP && values.size() == 3
                    ? L7Numbers.parse(values.get(2), L7Check.MIN_STATUS, L7Check.MAX_STATUS) : 0;
            int most = kind == L7Check.Kind.HTTP ? 3 : 1;
            String problem = kind == null || values.size() > most || status < 0
                    ? "parsing check error: expected check = tcp | none | http [PATH [STATUS]]"
                    : L7Check.problem(kind, kind == L7Check.Kind.HTTP && path == null ? L7Check.DEFAULT_PATH : path,
                    status, 1, 1, 0);
            if (problem != null) {
                error(line.number(), problem);
                return;
            }
            checkKind = kind;
            checkPath = path;
            checkStatus = status;
        }

        /** server = ADDR:PORT [WEIGHT]. */
        private void server(L7ConfigLine line, List<String> values) {
            L7Endpoint endpoint = L7Endpoint.parse(values.getFirst(), -1);
            int weight = values.size() == 2 ? L7Numbers.parse(values.get(1), 0, L7Server.MAX_WEIGHT)
                    : values.size() == 1 ? L7Server.DEFAULT_WEIGHT : -1;
            if (endpoint == null || weight < 0) {
                error(line.number(), "parsing server error");
                return;
            }
            if (ident != null)
                pending.add(new Pending(line.number(), new L7Command.AddServer(ident, new L7Server(endpoint, weight))));
        }

        /** rule = [header NAME] pattern "P" [match N] use server ADDR:PORT. */
        private void rule(L7ConfigLine line, List<String> values) {
            int i = 0;
            String header = null;
            String pattern = null;
            int match = 0;
            L7Endpoint server = null;
            boolean good = true;
            if (values.size() > 1 && values.get(0).equalsIgnoreCase("header")) {
                header = values.get(1);
                i = 2;
            }
            if (i + 1 < values.size() && values.get(i).equalsIgnoreCase("pattern")) {
                pattern = values.get(i + 1);
                i += 2;
            } else {
                good = false;
            }
            if (good && i + 1 < values.size() && values.get(i).equalsIgnoreCase("match")) {
                match = L7Numbers.parse(values.get(i + 1), 0, L7Rule.MAX_MATCH_GROUP);
                good = match >= 0;
                i += 2;
            }
            if (good && i + 3 == values.size() && values.get(i).equalsIgnoreCase("use")
                    && values.get(i + 1).equalsIgnoreCase("server")) {
                server = L7Endpoint.parse(values.get(i + 2), -1);
            }
            if (!good || server == null) {
                error(line.number(), "parsing rule error: expected rule = [header NAME] pattern \"REGEX\" [match N]"
                        + " use server ADDR:PORT");
                return;
            }
            String problem = L7Patterns.ruleError(pattern, header, match);
            if (problem != null) {
                error(line.number(), problem);
                return;
            }
            if (ident != null)
                pending.add(new Pending(line.number(), new L7Command.AddRule(ident, new L7Rule(pattern, header, match, server))));
        }

        private void error(int line, String message) {
            errors.add(new Message(line, message));
        }

        private void warning(int line, String message) {
            warnings.add(name + ":" + line + ": " + message);
        }
    }
}
