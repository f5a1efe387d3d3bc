package io.jlvs.control.l7;

import java.util.List;

/**
 * A layer-7 virtual service: where it listens, how it schedules, whether it runs, and its servers and rules in
 * order.
 *
 * @param ident a name of 1..{@link #MAX_IDENT} letters, digits, '_', '-' or '.'
 */
public record L7Service(String ident, L7Endpoint listen, L7Scheduler scheduler, State state, L7Options options,
                        List<L7Server> servers, List<L7Rule> rules) {
    /** KTCPVS's KTCPVS_IDENTNAME_MAXLEN less its terminating NUL. */
    public static final int MAX_IDENT = 15;
    /** tcpvsadm's default port when neither -P nor a port in -l is given. */
    public static final int DEFAULT_PORT = 8080;

    /** Whether the proxy accepts connections for the service (--start) or not (--stop, and a new service). */
    public enum State { STOPPED, STARTED }

    public L7Service {
        if (ident == null || listen == null || scheduler == null || state == null || options == null)
            throw new NullPointerException();
        servers = List.copyOf(servers);
        rules = List.copyOf(rules);
    }

    public boolean started() { return state == State.STARTED; }

    /** The server at endpoint, or null. */
    public L7Server server(L7Endpoint endpoint) {
        for (L7Server s : servers) {
            if (s.endpoint().equals(endpoint)) return s;
        }
        return null;
    }

    /** The servers of the rules that form rule's match, in order. */
    public List<L7Endpoint> matchServers(L7Rule rule) {
        return rules.stream().filter(rule::sameMatch).map(L7Rule::server).toList();
    }

    /** Whether ident is a valid service name; null when it is, else the problem. */
    public static String identError(String ident) {
        if (ident.isEmpty() || ident.length() > MAX_IDENT) return "illegal ident specified";
        for (int i = 0; i < ident.length(); i++) {
            char c = ident.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!allowed) return "illegal ident specified";
        }
        return null;
    }

    public L7ServiceBuilder toBuilder() { return new L7ServiceBuilder(this); }
}
