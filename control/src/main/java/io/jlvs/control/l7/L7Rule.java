package io.jlvs.control.l7;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content rule: a request whose URL (or, a jlvs extension, the value of one header) matches pattern goes to
 * server. Rules of one service are tried in order; the rules with the same pattern and header form one match
 * whose servers are their targets, in order (hhttp hashes among them; the other schedulers take the first one
 * that is available).
 *
 * @param pattern    a java.util.regex pattern, searched for anywhere in the value (KTCPVS used POSIX extended
 *                   regular expressions, which Java's syntax mostly contains)
 * @param header     the header whose value is matched, or null for the request's URL
 * @param matchGroup hhttp: the capture group whose text is hashed, 0 for the whole match
 * @param server     the server the rule sends to; it must be a server of the service
 */
public record L7Rule(String pattern, String header, int matchGroup, L7Endpoint server) {
    /** tcpvsadm's limit of -m. */
    public static final int MAX_MATCH_GROUP = 10;

    public L7Rule {
        if (pattern == null) throw new NullPointerException("pattern");
        if (server == null) throw new NullPointerException("server");
        if (matchGroup < 0 || matchGroup > MAX_MATCH_GROUP)
            throw new IllegalArgumentException("match group " + matchGroup + " out of range");
    }

    /**
     * A URL rule matching every request: KTCPVS's default server patterns ".*" and "^/.*". Such rules stay after
     * the others, whatever the order they were added in.
     */
    public boolean isCatchAll() {
        return header == null && (pattern.equals(".*") || pattern.equals("^/.*"));
    }

    /** Whether other belongs to the same match: same pattern, same header. */
    public boolean sameMatch(L7Rule other) {
        return pattern.equals(other.pattern) && Objects.equals(header, other.header);
    }

    /** The compiled pattern; valid for every rule of a config that L7Changes built. */
    public Pattern regex() {
        return Pattern.compile(pattern);
    }
}
