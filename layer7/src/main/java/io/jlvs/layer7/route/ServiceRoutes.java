package io.jlvs.layer7.route;

import io.jlvs.layer7.http.RequestHead;

import java.util.List;
import java.util.regex.Matcher;

/**
 * The compiled routing of one layer-7 service: its scheduler, its servers and its rules in order. Immutable; a
 * change of the service's configuration builds a new one (the servers' counters carry over by identity).
 */
public record ServiceRoutes(String ident, SchedulerKind scheduler, List<Backend> servers, List<ContentRule> rules,
                            String cookieName) {
    public static final String DEFAULT_COOKIE = "JLVS_SERVER";

    public ServiceRoutes {
        servers = List.copyOf(servers);
        rules = List.copyOf(rules);
    }

    /** The rule of a pattern, header (null: the path) and capture group, or null. */
    public ContentRule rule(String pattern, String header, int group) {
        for (ContentRule r : rules) {
            if (r.pattern().pattern().equals(pattern) && java.util.Objects.equals(r.header(), header) && r.group() == group) {
                return r;
            }
        }
        return null;
    }

    /** The decision for a connection (wlc) or a request (every other scheduler). */
    public Decision route(RequestHead head) {
        return route(head, null);
    }

    /**
     * As {@link #route(RequestHead)} for a later request of a keep-alive client that holds a connection to
     * {@code kept}: a choice by load does not count that connection against its server (phttp).
     */
    public Decision route(RequestHead head, Backend kept) {
        if (scheduler == SchedulerKind.WLC || head == null) return pick(LeastConnections.pick(servers), false);
        if (scheduler == SchedulerKind.CHTTP) {
            String pinned = head.cookie(cookieName);
            if (pinned != null) {
                for (Backend b : servers) if (b.cookie().equals(pinned) && b.available()) return Decision.to(b, false);
            }
        }
        for (ContentRule rule : rules) {
            Matcher m = rule.match(head);
            if (m == null) continue;
            rule.hits().incrementAndGet();
            Backend b;
            if (scheduler == SchedulerKind.HHTTP && rule.group() > 0 && m.group(rule.group()) != null) {
                b = RendezvousHash.pick(m.group(rule.group()), rule.servers());
            } else {
                b = LeastConnections.pick(rule.servers(), kept);
            }
            if (b == null) return Decision.refuse("every server of the rule " + rule.pattern().pattern() + " is down");
            return Decision.to(b, scheduler == SchedulerKind.CHTTP);
        }
        if (rules.isEmpty()) return pick(LeastConnections.pick(servers, kept), scheduler == SchedulerKind.CHTTP);
        return Decision.refuse("no rule matches " + head.path());
    }

    private static Decision pick(Backend b, boolean pin) {
        return b == null ? Decision.refuse("no server is available") : Decision.to(b, pin);
    }
}
