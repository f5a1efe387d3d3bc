package io.jlvs.layer7.route;

import java.util.Locale;

/** KTCPVS's schedulers. */
public enum SchedulerKind {
    /** Weighted least connections, no content. */
    WLC,
    /** The first rule whose pattern matches places the connection. */
    HTTP,
    /** Every request of a keep-alive connection is placed by its own rules. */
    PHTTP,
    /** A cookie pins the client to the server that served it first. */
    CHTTP,
    /** The hash of the rule's capture group picks among its servers. */
    HHTTP;

    public static SchedulerKind parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "' (wlc, http, phttp, chttp, hhttp)");
        }
    }

    public String optionName() { return name().toLowerCase(Locale.ROOT); }

    /** Whether the scheduler reads the request before choosing. */
    public boolean readsContent() { return this != WLC; }
}
