package io.jlvs.control.l7;

/** One parsed tcpvsadm command line (or, for Load, the configuration a -f file gave). */
public sealed interface L7Command {
    /** Whether the command changes the desired state (L7Changes applies it). */
    default boolean changesConfig() { return true; }

    /** -A -i IDENT [-s SCHED] [-P PORT | -l ADDR[:PORT]] [jlvs options]. */
    record AddService(String ident, L7ServiceSettings settings) implements L7Command {}

    /** -E: the same options; the service keeps its state, servers and rules. */
    record EditService(String ident, L7ServiceSettings settings) implements L7Command {}

    /** -D -i IDENT. */
    record DeleteService(String ident) implements L7Command {}

    /** -F: every service goes, started or not. */
    record Flush() implements L7Command {}

    /** -a -i IDENT -r ADDR:PORT [-w WEIGHT]. */
    record AddServer(String ident, L7Server server) implements L7Command {}

    /** -e -i IDENT -r ADDR:PORT [-w WEIGHT]: a new weight. */
    record EditServer(String ident, L7Server server) implements L7Command {}

    /** -d -i IDENT -r ADDR:PORT. */
    record DeleteServer(String ident, L7Endpoint server) implements L7Command {}

    /** --add-rule -i IDENT [--header NAME] -p PATTERN -r ADDR:PORT [-m MATCH]. */
    record AddRule(String ident, L7Rule rule) implements L7Command {}

    /** --del-rule -i IDENT [--header NAME] -p PATTERN -r ADDR:PORT: the rule of that pattern, header and server. */
    record DeleteRule(String ident, L7Rule rule) implements L7Command {}

    /** --start [-i IDENT]; ident null: every service. */
    record Start(String ident) implements L7Command {}

    /** --stop [-i IDENT]; ident null: every service. */
    record Stop(String ident) implements L7Command {}

    /**
     * What -f FILE sends once the client read the file: the table is replaced by config, as tcpvsadm flushes and
     * loads. A service that was started and is in config again stays started (the proxy keeps its listener); the
     * others are stopped until --start.
     */
    record Load(L7Config config) implements L7Command {}

    /**
     * -L [-n] [-i IDENT] [--stats]; ident null: every service, after the version line; stats: each service's proxy
     * and splicer figures too.
     */
    record List(String ident, boolean numeric, boolean stats) implements L7Command {
        /** A listing without the figures of --stats. */
        public List(String ident, boolean numeric) {
            this(ident, numeric, false);
        }

        public boolean changesConfig() { return false; }
    }

    /** -f FILE as parsed: the client reads the file and sends a {@link Load}. */
    record LoadFile(String path) implements L7Command {
        public boolean changesConfig() { return false; }
    }

    /** -h. */
    record Help() implements L7Command {
        public boolean changesConfig() { return false; }
    }

    /** -v. */
    record Version() implements L7Command {
        public boolean changesConfig() { return false; }
    }
}
