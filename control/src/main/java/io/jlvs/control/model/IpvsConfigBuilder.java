package io.jlvs.control.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mutable working copy of an {@link IpvsConfig}, for applying many changes (a -R of thousands of lines) in time
 * proportional to the changes; lookups are hash lookups. Not thread-safe.
 */
public final class IpvsConfigBuilder {
    private record EndpointKey(long hi, long lo, int port) {}

    private static final class MutableEntry {
        ServiceConfig service;
        final LinkedHashMap<EndpointKey, RealServerConfig> servers = new LinkedHashMap<>();

        MutableEntry(ServiceConfig service) { this.service = service; }
    }

    private final LinkedHashMap<ServiceKey, MutableEntry> entries = new LinkedHashMap<>();
    private final List<MarkRule> markRules = new ArrayList<>();

    public IpvsConfigBuilder() {}

    IpvsConfigBuilder(IpvsConfig from) {
        markRules.addAll(from.markRules());
        for (Map.Entry<ServiceKey, IpvsConfig.ServiceEntry> e : from.entryMap().entrySet()) {
            MutableEntry m = new MutableEntry(e.getValue().service());
            for (RealServerConfig rs : e.getValue().realServers()) m.servers.put(key(rs), rs);
            entries.put(e.getKey(), m);
        }
    }

    private static EndpointKey key(RealServerConfig rs) {
        return new EndpointKey(rs.addrHi(), rs.addrLo(), rs.port());
    }

    public boolean hasService(ServiceKey key) { return entries.containsKey(key); }

    public Optional<ServiceConfig> service(ServiceKey key) {
        MutableEntry m = entries.get(key);
        return m == null ? Optional.empty() : Optional.of(m.service);
    }

    public Optional<RealServerConfig> realServer(ServiceKey key, long hi, long lo, int port) {
        MutableEntry m = entries.get(key);
        return m == null ? Optional.empty() : Optional.ofNullable(m.servers.get(new EndpointKey(hi, lo, port)));
    }

    /** The real servers of a service, in the order added (empty when there is no such service). */
    public List<RealServerConfig> realServers(ServiceKey key) {
        MutableEntry m = entries.get(key);
        return m == null ? List.of() : List.copyOf(m.servers.values());
    }

    /** Adds the service, or replaces its settings keeping its real servers and its position. */
    public IpvsConfigBuilder putService(ServiceConfig service) {
        MutableEntry m = entries.get(service.key());
        if (m == null) entries.put(service.key(), new MutableEntry(service));
        else m.service = service;
        return this;
    }

    public IpvsConfigBuilder removeService(ServiceKey key) {
        entries.remove(key);
        return this;
    }

    /** Adds or replaces a real server; the service must exist. */
    public IpvsConfigBuilder putRealServer(ServiceKey key, RealServerConfig server) {
        MutableEntry m = entries.get(key);
        if (m == null) throw new IllegalArgumentException("no such service: " + key);
        m.servers.put(key(server), server);
        return this;
    }

    public IpvsConfigBuilder removeRealServer(ServiceKey key, long hi, long lo, int port) {
        MutableEntry m = entries.get(key);
        if (m != null) m.servers.remove(new EndpointKey(hi, lo, port));
        return this;
    }

    /** Clears services and mark rules (-C). */
    public IpvsConfigBuilder clear() {
        entries.clear();
        markRules.clear();
        return this;
    }

    public boolean hasMarkRule(MarkRule rule) { return markRules.contains(rule); }

    /** Appends a mark rule: rules are evaluated in the order they were added. */
    public IpvsConfigBuilder addMarkRule(MarkRule rule) {
        markRules.add(rule);
        return this;
    }

    public IpvsConfigBuilder removeMarkRule(MarkRule rule) {
        markRules.remove(rule);
        return this;
    }

    public IpvsConfig build() {
        LinkedHashMap<ServiceKey, IpvsConfig.ServiceEntry> out = new LinkedHashMap<>(entries.size() * 2);
        for (Map.Entry<ServiceKey, MutableEntry> e : entries.entrySet()) {
            out.put(e.getKey(), new IpvsConfig.ServiceEntry(e.getValue().service, e.getValue().servers.values().stream().toList()));
        }
        return new IpvsConfig(out, markRules);
    }
}
