package io.jlvs.daemon;

import io.jlvs.forwarder.RuntimeDest;
import io.jlvs.forwarder.ServiceIndex;
import io.jlvs.forwarder.Worker;
import io.jlvs.platform.hostguard.HostGuard;
import io.jlvs.platform.hostguard.Ipv6Endpoint;
import io.jlvs.platform.log.RateLimitedLog;
import io.jlvs.platform.net.Ipv6NextHops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The host's side of the IPv6 services after every applied change: the host guard's IPv6 sets (VIPs, NAT
 * backends), an unsolicited neighbour advertisement for each new IPv6 VIP this director owns (VRRP's master
 * announces its own when it takes over), and the new IPv6 real servers' next hops
 * resolved ahead of their first packet. Serialized by the daemon's change listener.
 */
final class Ipv6HostUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(Ipv6HostUpdates.class);
    private final RateLimitedLog unresolved = new RateLimitedLog(LOG, 5, Duration.ofMinutes(1));
    private final HostGuard guard;
    private final Ipv6NextHops nextHops;
    private Set<Ipv6Endpoint> vips = Set.of();
    private List<Ipv6Endpoint> backends = List.of();
    /** The VIPs a worker has announced: those applied before the workers existed are announced with the first. */
    private Set<Ipv6Endpoint> announced = Set.of();

    Ipv6HostUpdates(HostGuard guard, Ipv6NextHops nextHops) {
        this.guard = guard;
        this.nextHops = nextHops;
    }

    synchronized void applied(ServiceIndex index, List<RuntimeDest> addedDests, List<Worker> workers) {
        Set<Ipv6Endpoint> now = new HashSet<>(index.ipv6Vips());
        List<Ipv6Endpoint> nat = index.ipv6NatBackends();
        if (!now.equals(vips) || !nat.equals(backends)) guard.updateIpv6(index.ipv6Vips(), nat);
        vips = now;
        backends = nat;
        if (!workers.isEmpty()) {
            Set<Ipv6Endpoint> owned = new HashSet<>();
            for (Ipv6Endpoint vip : index.ipv6Vips()) {
                if (!index.ownsIpv6(vip.hi(), vip.lo())) continue; // on VRRP standby: the master announces it
                owned.add(vip);
                if (announced.contains(vip)) continue;
                workers.getFirst().announceIpv6(vip.hi(), vip.lo()); // one worker announces on every interface
            }
            announced = owned;
        }
        for (RuntimeDest d : addedDests) {
            if (d.config().isV4()) continue;
            long hi = d.server().addrHi(), lo = d.server().addrLo();
            Thread.ofVirtual().start(() -> {
                if (nextHops.lookupBlocking(hi, lo, Duration.ofSeconds(3)) == null) {
                    unresolved.warn("cannot resolve the next hop for IPv6 real server {} yet", d.server());
                }
            });
        }
    }
}
