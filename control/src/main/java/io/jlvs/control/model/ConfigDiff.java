package io.jlvs.control.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two desired states, so that a runtime applies only the difference (Seesaw's
 * desired -> diff -> apply): services added, removed or with changed settings, and per remaining service the real
 * servers added, removed or changed. Unchanged services and servers do not appear.
 */
public record ConfigDiff(List<ServiceConfig> addedServices, List<ServiceKey> removedServices,
                         List<ServiceConfig> changedServices, List<ServerChange> serverChanges) {

    public enum Kind { ADDED, REMOVED, CHANGED }

    /** A real server change within a service that exists in both configs or was just added. */
    public record ServerChange(ServiceKey service, Kind kind, RealServerConfig server) {}

    public boolean isEmpty() {
        return addedServices.isEmpty() && removedServices.isEmpty() && changedServices.isEmpty() && serverChanges.isEmpty();
    }

    public static ConfigDiff between(IpvsConfig before, IpvsConfig after) {
        List<ServiceConfig> added = new ArrayList<>();
        List<ServiceKey> removed = new ArrayList<>();
        List<ServiceConfig> changed = new ArrayList<>();
        List<ServerChange> servers = new ArrayList<>();
        for (ServiceKey key : before.entryMap().keySet()) {
            if (!after.hasService(key)) removed.add(key);
        }
        for (Map.Entry<ServiceKey, IpvsConfig.ServiceEntry> e : after.entryMap().entrySet()) {
            ServiceKey key = e.getKey();
            IpvsConfig.ServiceEntry old = before.entryMap().get(key);
            if (old == null) {
                added.add(e.getValue().service());
                for (RealServerConfig rs : e.getValue().realServers()) servers.add(new ServerChange(key, Kind.ADDED, rs));
                continue;
            }
            if (!old.service().equals(e.getValue().service())) changed.add(e.getValue().service());
            if (old.realServers().equals(e.getValue().realServers())) continue;
            Map<List<Long>, RealServerConfig> oldByEndpoint = new HashMap<>();
            for (RealServerConfig rs : old.realServers()) oldByEndpoint.put(endpoint(rs), rs);
            for (RealServerConfig rs : e.getValue().realServers()) {
                RealServerConfig prev = oldByEndpoint.remove(endpoint(rs));
                if (prev == null) servers.add(new ServerChange(key, Kind.ADDED, rs));
                else if (!prev.equals(rs)) servers.add(new ServerChange(key, Kind.CHANGED, rs));
            }
            for (RealServerConfig rs : oldByEndpoint.values()) servers.add(new ServerChange(key, Kind.REMOVED, rs));
        }
        return new ConfigDiff(List.copyOf(added), List.copyOf(removed), List.copyOf(changed), List.copyOf(servers));
    }

    private static List<Long> endpoint(RealServerConfig rs) {
        return List.of(rs.addrHi(), rs.addrLo(), (long) rs.port());
    }
}
