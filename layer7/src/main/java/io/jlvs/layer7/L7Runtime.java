package io.jlvs.layer7;

import io.jlvs.layer7.proxy.Layer7Proxy;
import io.jlvs.layer7.proxy.ProxyCounters;
import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.Splicer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the desired layer-7 services to the proxy as a difference: a started service that does not run starts, a
 * stopped or removed one stops, a running one whose listen address changed restarts, and any other change
 * replaces its routes in place (decided connections keep their server, servers that stay keep their counts).
 * It also holds what the health checks said of each service's servers: a server marked down stays down in every
 * routes compiled for its service (a restart included) until it is marked up.
 */
public final class L7Runtime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(L7Runtime.class);

    private final Layer7Proxy proxy;
    private final Map<String, L7ServiceSpec> specs = new LinkedHashMap<>();
    private final Map<String, ServiceRoutes> routes = new LinkedHashMap<>();
    /** The servers the health checks found down, by service. */
    private final Map<String, Set<InetSocketAddress>> down = new HashMap<>();

    public L7Runtime(Layer7Proxy proxy) {
        this.proxy = proxy;
    }

    /**
     * Makes the running services those of {@code wanted}. Each service is compiled before anything changes, so a
     * bad pattern refuses the whole change; a listen address that cannot be bound refuses that service only and
     * throws after the others are applied.
     */
    public synchronized void apply(List<L7ServiceSpec> wanted) throws IOException {
        Map<String, ServiceRoutes> compiled = new LinkedHashMap<>();
        for (L7ServiceSpec s : wanted) {
            ServiceRoutes r = RouteCompiler.compile(s, routes.get(s.ident()));
            Set<InetSocketAddress> downHere = down.getOrDefault(s.ident(), Set.of());
            for (Backend b : r.servers()) b.up(!downHere.contains(b.address()));
            compiled.put(s.ident(), r);
        }
        for (String ident : List.copyOf(specs.keySet())) {
            L7ServiceSpec now = specs.get(ident);
            L7ServiceSpec next = wanted.stream().filter(s -> s.ident().equals(ident)).findFirst().orElse(null);
            if (next == null || !next.started() || !next.listen().equals(now.listen())) {
                proxy.stop(ident);
                specs.remove(ident);
                routes.remove(ident);
            }
        }
        IOException failure = null;
        for (L7ServiceSpec s : wanted) {
            ServiceRoutes r = compiled.get(s.ident());
            if (!s.started()) continue;
            if (proxy.running(s.ident())) {
                proxy.update(s.ident(), r, s.options());
            } else {
                try {
                    proxy.start(s.ident(), s.listen(), r, s.options());
                } catch (IOException e) {
                    LOG.warn("{}", e.getMessage());
                    if (failure == null) failure = e;
                    continue;
                }
            }
            specs.put(s.ident(), s);
            routes.put(s.ident(), r);
        }
        if (failure != null) throw failure;
    }

    /**
     * What the health checks say of a server of a service: a down server gets no new connections or requests
     * (a rule left without a live server answers 503); up is also what an unchecked server is.
     */
    public synchronized void serverHealth(String ident, InetSocketAddress server, boolean up) {
        if (up) {
            Set<InetSocketAddress> set = down.get(ident);
            if (set != null && set.remove(server) && set.isEmpty()) down.remove(ident);
        } else {
            down.computeIfAbsent(ident, k -> new HashSet<>()).add(server);
        }
        ServiceRoutes r = routes.get(ident);
        if (r == null) return;
        for (Backend b : r.servers()) {
            if (b.address().equals(server)) b.up(up);
        }
    }

    /** The routes in force for a service (with their counters), or null when it does not run. */
    public synchronized ServiceRoutes routes(String ident) { return routes.get(ident); }

    /** A running service's counters, or null. */
    public ProxyCounters counters(String ident) { return proxy.counters(ident); }

    /** The splicer of a running service, or null. */
    public Splicer splicer(String ident) { return proxy.serviceSplicer(ident); }

    @Override
    public void close() {
        proxy.close();
    }
}
