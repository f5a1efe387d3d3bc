package io.jlvs.layer7.route;

import io.jlvs.layer7.http.RequestHead;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule of a content-switching service: a regular expression over the request's path (or over one header's
 * value), the servers it sends matching requests to, and for hhttp the capture group whose value is hashed. The
 * tcpvsadm rules of one pattern with different servers are one rule here, with all of them.
 *
 * @param header the header whose value is matched, or null for the path
 * @param group  the capture group hhttp hashes (0: none)
 */
public record ContentRule(Pattern pattern, String header, int group, List<Backend> servers, AtomicLong hits) {
    public ContentRule {
        servers = List.copyOf(servers);
        if (group < 0 || group > pattern.matcher("").groupCount()) {
            throw new IllegalArgumentException("match " + group + " names no group of " + pattern.pattern());
        }
    }

    public ContentRule(Pattern pattern, String header, int group, List<Backend> servers) {
        this(pattern, header, group, servers, new AtomicLong());
    }

    /** The matcher when the rule matches the head (find: anywhere in the subject, as KTCPVS's regexec), else null. */
    Matcher match(RequestHead head) {
        String subject = header == null ? head.path() : head.header(header);
        if (subject == null) return null;
        Matcher m = pattern.matcher(subject);
        return m.find() ? m : null;
    }
}
