package io.jlvs.announce;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which VIPs this director announces. A route is per address: announcing a VIP draws every port of it to this
 * director. So a VIP is announced while at least one of its services can serve here (a real server of weight above
 * 0, and its quorum held when the health engine runs it), and withdrawn when none can, or when the director is
 * drained. Firewall-mark services have no address of their own and announce nothing.
 */
public final class AnnouncePolicy {
    private AnnouncePolicy() {}

    /** The decisions for every VIP of config, in address order. */
    public static List<VipDecision> decide(IpvsConfig config, Collection<ServiceHealth> health, boolean drained) {
        Map<ServiceKey, ServiceHealth> byKey = new HashMap<>();
        for (ServiceHealth h : health) byKey.put(h.key(), h);
        record Vip(long hi, long lo) {}
        Map<Vip, int[]> counts = new TreeMap<>(Comparator.comparingLong(Vip::hi).thenComparingLong(Vip::lo));
        for (IpvsConfig.ServiceEntry entry : config.entries()) {
            ServiceKey key = entry.service().key();
            if (key.isFwmark()) continue;
            int[] c = counts.computeIfAbsent(new Vip(key.addrHi(), key.addrLo()), v -> new int[2]);
            c[1]++;
            if (canServe(entry.realServers(), byKey.get(key))) c[0]++;
        }
        List<VipDecision> out = new ArrayList<>(counts.size());
        counts.forEach((vip, c) -> {
            if (drained) out.add(new VipDecision(vip.hi(), vip.lo(), false, "director drained"));
            else if (c[0] > 0) out.add(new VipDecision(vip.hi(), vip.lo(), true, c[0] + " of " + c[1] + " services live"));
            else out.add(new VipDecision(vip.hi(), vip.lo(), false,
                    "no service with a live real server" + (c[1] > 1 ? " (" + c[1] + " services)" : "")));
        });
        return out;
    }

    private static boolean canServe(List<RealServerConfig> servers, ServiceHealth health) {
        if (health != null && !health.quorumHeld()) return false;
        for (RealServerConfig s : servers) if (s.weight() > 0) return true;
        return false;
    }
}
