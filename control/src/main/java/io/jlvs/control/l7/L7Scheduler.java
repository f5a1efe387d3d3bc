package io.jlvs.control.l7;

import java.util.Locale;

/** KTCPVS's schedulers: how a layer-7 service picks the server of a connection or a request. */
public enum L7Scheduler {
    /** Weighted least-connection over all servers; the content is not read and rules do not apply. */
    WLC,
    /** The first rule whose pattern matches the request's URL (or header) picks the connection's server. */
    HTTP,
    /** As http, but every request of a keep-alive connection is placed by its own rules. */
    PHTTP,
    /** As http, and a cookie pins the client to the server it was first given. */
    CHTTP,
    /** The hash of the capture group given by the rule's match number picks one of the rule's servers. */
    HHTTP;

    /** tcpvsadm's default scheduler. */
    public static final L7Scheduler DEFAULT = HTTP;

    /** The list -h shows, as tcpvsadm's SCHEDULERS. */
    public static final String NAMES = "wlc|http|phttp|chttp|hhttp";

    /** The name as tcpvsadm writes it. */
    public String schedulerName() { return name().toLowerCase(Locale.ROOT); }

    /** Whether the scheduler reads requests and follows rules. */
    public boolean readsContent() { return this != WLC; }

    /** The scheduler of that name (case-insensitive, as KTCPVS's config file compares), or null. */
    public static L7Scheduler byName(String name) {
        for (L7Scheduler s : values()) {
            if (s.schedulerName().equalsIgnoreCase(name)) return s;
        }
        return null;
    }
}
