package io.jlvs.control.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable desired state of the director: services in the order they were added, each with its real servers in
 * the order they were added. Changes return a new config; batch changes go through {@link IpvsConfigBuilder}.
 */
public final class IpvsConfig {
    /** One service with its real servers. */
    public record ServiceEntry(ServiceConfig service, List<RealServerConfig> realServers) {
        public ServiceEntry {
            realServers = List.copyOf(realServers);
        }
    }

    private static final IpvsConfig EMPTY = new IpvsConfig(new LinkedHashMap<>(), List.of());

    private final Map<ServiceKey, ServiceEntry> entries;
    /** jlvs mark rules (jlvsadm --mark), in evaluation order: the first match gives a packet its fwmark. */
    private final List<MarkRule> markRules;

    IpvsConfig(LinkedHashMap<ServiceKey, ServiceEntry> entries, List<MarkRule> markRules) {
        this.entries = Collections.unmodifiableMap(entries);
        this.markRules = List.copyOf(markRules);
    }

    public static IpvsConfig empty() { return EMPTY; }

    /** Services and their servers, in configuration order. */
    public List<ServiceEntry> entries() { return List.copyOf(entries.values()); }

    public List<ServiceConfig> services() {
        List<ServiceConfig> list = new ArrayList<>(entries.size());
        for (ServiceEntry e : entries.values()) list.add(e.service());
        return list;
    }

    public Optional<ServiceConfig> service(ServiceKey key) {
        ServiceEntry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.service());
    }

    public boolean hasService(ServiceKey key) { return entries.containsKey(key); }

    /** Real servers of a service (empty when the service does not exist). */
    public List<RealServerConfig> realServers(ServiceKey key) {
        ServiceEntry e = entries.get(key);
        return e == null ? List.of() : e.realServers();
    }

    public Optional<RealServerConfig> realServer(ServiceKey key, long addrHi, long addrLo, int port) {
        for (RealServerConfig rs : realServers(key)) {
            if (rs.sameEndpoint(addrHi, addrLo, port)) return Optional.of(rs);
        }
        return Optional.empty();
    }

    public int serviceCount() { return entries.size(); }

    /** The mark rules in evaluation order (first match wins). */
    public List<MarkRule> markRules() { return markRules; }

    public int realServerCount() {
        int n = 0;
        for (ServiceEntry e : entries.values()) n += e.realServers().size();
        return n;
    }

    /** Adds the service, or replaces its settings keeping its real servers. */
    public IpvsConfig withService(ServiceConfig service) {
        return toBuilder().putService(service).build();
    }

    public IpvsConfig withoutService(ServiceKey key) {
        return toBuilder().removeService(key).build();
    }

    /** Adds the real server to an existing service, or replaces the one with the same address and port. */
    public IpvsConfig withRealServer(ServiceKey key, RealServerConfig server) {
        return toBuilder().putRealServer(key, server).build();
    }

    public IpvsConfig withoutRealServer(ServiceKey key, long addrHi, long addrLo, int port) {
        return toBuilder().removeRealServer(key, addrHi, addrLo, port).build();
    }

    public IpvsConfigBuilder toBuilder() {
        return new IpvsConfigBuilder(this);
    }

    Map<ServiceKey, ServiceEntry> entryMap() { return entries; }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpvsConfig other && entries.equals(other.entries)
                && List.copyOf(entries.keySet()).equals(List.copyOf(other.entries.keySet()))
                && markRules.equals(other.markRules);
    }

    @Override
    public int hashCode() { return entries.hashCode() * 31 + markRules.hashCode(); }

    @Override
    public String toString() { return "IpvsConfig" + entries.values() + (markRules.isEmpty() ? "" : " marks " + markRules); }
}
