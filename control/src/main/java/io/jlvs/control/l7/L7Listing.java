package io.jlvs.control.l7;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * tcpvsadm -L: KTCPVS's listing, which is its config file format ("TCP Virtual Server version 0.0.18", then each
 * service as a Virtual block with its listen address, scheduler, servers and rules), so that -L output loads again
 * with -f (the version line included: the config file reader passes over it). jlvs writes the state and the counters as comments, which a load ignores: "# started" or "# stopped" on
 * the Virtual line, the active connections after each server, the requests placed after each rule. KTCPVS's
 * sizing lines (startservers ...) are left out, the jlvs options are written when they differ from the defaults,
 * and servers and rules come in the order they are tried. With --stats (ipvsadm's word for its counters), comment
 * lines at the end of each block give what the proxy did with the service's connections and the figures of its
 * splicer; a load ignores them too. A checked server's comment starts with "up" or "down".
 */
public final class L7Listing {
    /** The KTCPVS version whose language this is (TCP_VS_VERSION_CODE 0x000012). */
    public static final String VERSION = "0.0.18";
    /** The column the counters' comments start at, when the setting is shorter. */
    static final int COMMENT_COLUMN = 48;

    private final Function<L7Endpoint, String> names;

    /** names writes an endpoint: numeric ("10.0.0.2:80"), or host and service names for a listing without -n. */
    public L7Listing(Function<L7Endpoint, String> names) {
        this.names = names;
    }

    /** Addresses and ports as numbers. */
    public static L7Listing numeric() {
        return new L7Listing(L7Endpoint::toString);
    }

    /** The version line of a listing of every service. */
    public static String header() {
        return "TCP Virtual Server version " + VERSION + "\n";
    }

    /** Every service after the version line, each with its counters (index for index). */
    public String listAll(List<L7Service> services, List<L7Counters> counters) {
        StringBuilder out = new StringBuilder(header());
        for (int i = 0; i < services.size(); i++)
            listOne(services.get(i), i < counters.size() ? counters.get(i) : L7Counters.NONE, out);
        return out.toString();
    }

    /** One service's block, appended to out, its servers unchecked. */
    public void listOne(L7Service service, L7Counters counters, Appendable out) {
        listOne(service, counters, L7Health.NONE, false, out);
    }

    /**
     * One service's block, appended to out, each checked server marked up or down, with the proxy's and the
     * splicer's figures when stats.
     */
    public void listOne(L7Service service, L7Counters counters, L7Health health, boolean stats, Appendable out) {
        try {
            String open = "Virtual " + service.ident() + " {";
            out.append(open);
            pad(out, open.length());
            out.append("# ").append(service.started() ? "started" : "stopped").append('\n');
            setting(out, "listen", names.apply(service.listen()));
            setting(out, "scheduler", service.scheduler().schedulerName());
            L7Options o = service.options();
            if (o.forwardedFor()) setting(out, "xff", "on");
            if (o.proxyProtocol().text() != null) setting(out, "proxy-protocol", o.proxyProtocol().text());
            if (o.sourceText() != null) setting(out, "source", o.sourceText());
            if (o.splice().text() != null) setting(out, "splice", o.splice().text());
            checkSettings(out, o.check());
            List<L7Server> servers = service.servers();
            for (int i = 0; i < servers.size(); i++) {
                L7Server s = servers.get(i);
                String line = "    server = " + names.apply(s.endpoint()) + " " + s.weight();
                long conns = counters.serverConnections(i);
                String state = switch (health.server(i)) {
                    case UNCHECKED -> "";
                    case UP -> "up, ";
                    case DOWN -> "down, ";
                };
                counted(out, line, state + conns + (conns == 1 ? " active connection" : " active connections"));
            }
            List<L7Rule> rules = service.rules();
            for (int i = 0; i < rules.size(); i++) {
                L7Rule r = rules.get(i);
                StringBuilder line = new StringBuilder("    rule = ");
                if (r.header() != null) line.append("header ").append(r.header()).append(' ');
                line.append("pattern \"").append(r.pattern()).append("\" ");
                // KTCPVS wrote the match number for hhttp only; jlvs also for any other number than 0, so that the
                // listing loads back as it is
                if (service.scheduler() == L7Scheduler.HHTTP || r.matchGroup() != 0)
                    line.append("match ").append(r.matchGroup()).append(' ');
                line.append("use server ").append(names.apply(r.server()));
                long hits = counters.ruleHits(i);
                counted(out, line.toString(), hits + (hits == 1 ? " hit" : " hits"));
            }
            if (stats) stats(counters, out);
            out.append("}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The --stats lines, for example:
     * <pre>
     *     # connections: 12 accepted, 10 spliced, 2 spliced now
     *     # answered: 400 1, 431 0, 502 0, 503 1, 504 0; slow heads closed 0
     *     # splicer: sockmap, 2 pairs, 4 sockhash entries
     * </pre>
     */
    private static void stats(L7Counters counters, Appendable out) throws IOException {
        L7ProxyFigures p = counters.proxy();
        out.append("    # connections: ").append(Long.toString(p.accepted())).append(" accepted, ")
                .append(Long.toString(p.spliced())).append(" spliced, ")
                .append(Long.toString(p.splicedNow())).append(" spliced now\n");
        out.append("    # answered:");
        String separator = " ";
        for (int status : L7ProxyFigures.STATUSES) {
            out.append(separator).append(Integer.toString(status)).append(' ').append(Long.toString(p.answered(status)));
            separator = ", ";
        }
        out.append("; slow heads closed ").append(Long.toString(p.slowHeads())).append('\n');
        L7SplicerFigures s = counters.splicer();
        out.append("    # splicer: ").append(s.mode().isEmpty() ? "none (stopped)" : s.mode()).append(", ")
                .append(Long.toString(s.pairs())).append(s.pairs() == 1 ? " pair, " : " pairs, ")
                .append(Long.toString(s.sockhashEntries())).append(" sockhash entries\n");
    }

    /** The check's settings that differ from the defaults (a default check writes nothing). */
    private static void checkSettings(Appendable out, L7Check check) throws IOException {
        if (check.kind() != L7Check.DEFAULT.kind() || check.status() != 0
                || (check.path() != null && !check.path().equals(L7Check.DEFAULT_PATH)))
            setting(out, "check", check.describe());
        if (check.interval() != L7Check.DEFAULT_INTERVAL) setting(out, "check-interval", Integer.toString(check.interval()));
        if (check.timeout() != L7Check.DEFAULT_TIMEOUT) setting(out, "check-timeout", Integer.toString(check.timeout()));
        if (check.retries() != L7Check.DEFAULT_RETRIES) setting(out, "check-retries", Integer.toString(check.retries()));
    }

    private static void setting(Appendable out, String keyword, String value) throws IOException {
        out.append("    ").append(keyword).append(" = ").append(value).append('\n');
    }

    private static void counted(Appendable out, String line, String comment) throws IOException {
        out.append(line);
        pad(out, line.length());
        out.append("# ").append(comment).append('\n');
    }

    private static void pad(Appendable out, int length) throws IOException {
        for (int i = length; i < COMMENT_COLUMN; i++) out.append(' ');
        if (length >= COMMENT_COLUMN) out.append("  ");
    }
}
