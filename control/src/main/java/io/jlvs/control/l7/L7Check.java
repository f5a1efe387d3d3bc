package io.jlvs.control.l7;

import java.util.Locale;

/**
 * How the servers of a layer-7 service are checked (jlvs; KTCPVS had no checks): a TCP connect, an HTTP GET of a
 * path, or nothing, with keepalived's timing. A server goes down after retries + 1 consecutive failed checks (a
 * retry one second after a failure) and up again at its first passed check; a down server gets no new requests.
 *
 * @param kind     what a check does
 * @param path     HTTP: the path fetched (default "/"); null for the other kinds
 * @param status   HTTP: the one status code accepted; 0 accepts any 2xx; 0 for the other kinds
 * @param interval seconds between checks of a server (keepalived's delay_loop)
 * @param timeout  seconds a whole check may take, connect to verdict (keepalived's connect_timeout)
 * @param retries  failed checks retried before the server is marked down (keepalived's retry)
 */
public record L7Check(Kind kind, String path, int status, int interval, int timeout, int retries) {
    public static final String DEFAULT_PATH = "/";
    public static final int DEFAULT_INTERVAL = 5;
    public static final int DEFAULT_TIMEOUT = 3;
    public static final int DEFAULT_RETRIES = 1;
    public static final int MAX_INTERVAL = 3600;
    public static final int MAX_TIMEOUT = 3600;
    public static final int MAX_RETRIES = 100;
    public static final int MIN_STATUS = 100;
    public static final int MAX_STATUS = 599;

    /** A TCP connect every 5 s, 3 s allowed, down after 2 failures in a row. */
    public static final L7Check DEFAULT = new L7Check(Kind.TCP, null, 0, DEFAULT_INTERVAL, DEFAULT_TIMEOUT,
            DEFAULT_RETRIES);

    /** What a check does. */
    public enum Kind {
        /** Up when a TCP connection to the server is established. */
        TCP,
        /** Up when a GET of the path is answered with the status asked for (any 2xx by default). */
        HTTP,
        /** Not checked: always up. */
        NONE;

        /** The option's value as written: tcp, http, none. */
        public String text() { return name().toLowerCase(Locale.ROOT); }

        /** The kind of that text (any case), or null. */
        public static Kind byText(String text) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(text)) return k;
            }
            return null;
        }
    }

    public L7Check {
        String problem = problem(kind, path, status, interval, timeout, retries);
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    /** Whether servers are checked at all. */
    public boolean active() { return kind != Kind.NONE; }

    /**
     * The problem with these settings in tcpvsadm's words, or null: a path or status without an HTTP check, a
     * path that does not start with '/' or holds spaces or control characters, a value out of its range.
     */
    public static String problem(Kind kind, String path, int status, int interval, int timeout, int retries) {
        if (kind == null) return "illegal check specified (tcp, http or none)";
        if (kind != Kind.HTTP && path != null) return "a check path needs the http check";
        if (kind != Kind.HTTP && status != 0) return "a check status needs the http check";
        if (kind == Kind.HTTP && (path == null || !path.startsWith("/") || hasSpaceOrControl(path)))
            return "illegal check path specified (/PATH without spaces)";
        if (status != 0 && (status < MIN_STATUS || status > MAX_STATUS))
            return "illegal check status specified (" + MIN_STATUS + ".." + MAX_STATUS + ")";
        if (interval < 1 || interval > MAX_INTERVAL)
            return "illegal check interval specified (1.." + MAX_INTERVAL + " seconds)";
        if (timeout < 1 || timeout > MAX_TIMEOUT)
            return "illegal check timeout specified (1.." + MAX_TIMEOUT + " seconds)";
        if (retries < 0 || retries > MAX_RETRIES) return "illegal check retries specified (0.." + MAX_RETRIES + ")";
        return null;
    }

    private static boolean hasSpaceOrControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ' || s.charAt(i) == 0x7f) return true;
        }
        return false;
    }

    /** The settings from the option values given (null or -1: not given, the default), or the problem. */
    public static L7Check of(Kind kind, String path, int status, int interval, int timeout, int retries)
            throws L7Exception {
        Kind k = kind == null ? Kind.TCP : kind;
        String p = path == null && k == Kind.HTTP ? DEFAULT_PATH : path;
        int i = interval < 0 ? DEFAULT_INTERVAL : interval;
        int t = timeout < 0 ? DEFAULT_TIMEOUT : timeout;
        int r = retries < 0 ? DEFAULT_RETRIES : retries;
        int s = Math.max(status, 0);
        String problem = problem(k, p, s, i, t, r);
        if (problem != null) throw L7Exception.syntax(problem);
        return new L7Check(k, p, s, i, t, r);
    }

    /** check's value as written in a config file: tcp, none, or http PATH [STATUS]. */
    public String describe() {
        if (kind != Kind.HTTP) return kind.text();
        return kind.text() + " " + path + (status == 0 ? "" : " " + status);
    }
}
