package io.jlvs.layer7;

import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ContentRule;
import io.jlvs.layer7.route.ServiceRoutes;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A service's spec as routes the proxy runs: its servers as backends (the running ones kept, with their connection
 * counts, when a server stays), and its rules in order, the rules of one pattern, header and match merged into one
 * rule over all their servers.
 */
final class RouteCompiler {
    private RouteCompiler() {}

    static ServiceRoutes compile(L7ServiceSpec spec, ServiceRoutes running) {
        Map<InetSocketAddress, Backend> kept = new LinkedHashMap<>();
        if (running != null) for (Backend b : running.servers()) kept.put(b.address(), b);
        Map<InetSocketAddress, Backend> backends = new LinkedHashMap<>();
        for (L7ServiceSpec.Server s : spec.servers()) {
            Backend b = kept.get(s.address());
            if (b == null) b = new Backend(s.address(), s.weight());
            else b.weight(s.weight());
            backends.put(s.address(), b);
        }
        record Key(String pattern, String header, int match) {}
        Map<Key, List<Backend>> groups = new LinkedHashMap<>();
        for (L7ServiceSpec.Rule r : spec.rules()) {
            Backend b = backends.get(r.server());
            if (b == null) throw new IllegalArgumentException("rule " + r.pattern() + " uses " + r.server() + ", not a server of " + spec.ident());
            groups.computeIfAbsent(new Key(r.pattern(), r.header(), r.match()), k -> new ArrayList<>()).add(b);
        }
        List<ContentRule> rules = new ArrayList<>();
        groups.forEach((k, servers) -> {
            ContentRule old = running == null ? null : running.rule(k.pattern(), k.header(), k.match());
            ContentRule rule = old == null ? new ContentRule(Pattern.compile(k.pattern()), k.header(), k.match(), servers)
                    : new ContentRule(old.pattern(), k.header(), k.match(), servers, old.hits());
            rules.add(rule);
        });
        return new ServiceRoutes(spec.ident(), spec.scheduler(), List.copyOf(backends.values()), rules,
                ServiceRoutes.DEFAULT_COOKIE);
    }
}
