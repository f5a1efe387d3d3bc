package io.jlvs.forwarder;

import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.forwarder.fastpath.SynProxyMaps;
import io.jlvs.platform.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The SYN proxy's half in the XDP fast path: the program answers SYNs of the --synproxy services with the cookies
 * {@link SynCookies} checks, so this gives it the same secrets, the minute and the clock (the housekeeping calls
 * {@link #publishClock} on every tick), the MSS the director offers on each interface (following the interface's MTU
 * as the housekeeping reads it: {@link #followMtu}), and the services to answer
 * for: the IPv4 TCP services with a port and --synproxy whose VIP this director owns, in step with every published
 * service index. A port-0 service, or one the map has no room for, is left to the Java path, which answers the
 * same way.
 */
public final class XdpSynProxy {
    private static final Logger LOG = LoggerFactory.getLogger(XdpSynProxy.class);
    private static final int E2BIG = 7;

    private final SynProxyMaps maps;
    /** (VIP, port) pairs in the map. */
    private final Set<Long> answered = new HashSet<>();
    /** Per ifindex given to the program: the MTU its MSS there was computed from. */
    private final Map<Integer, Integer> interfaceMtus = new HashMap<>();
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, 1, Duration.ofMinutes(1));

    XdpSynProxy(SynProxyMaps maps, SynCookies cookies) {
        this.maps = maps;
        int result = cookies.publishSecrets(maps);
        if (result != 0) throw new IllegalStateException("cannot give the XDP program the SYN cookie secrets: errno " + -result);
        publishClock();
    }

    /** The minute cookies carry now and the clock of the SYN-ACKs' timestamps, as the Java SYN proxy takes them. */
    public void publishClock() {
        long epochMillis = System.currentTimeMillis();
        long offset = epochMillis * 1_000_000 - System.nanoTime();
        int result = maps.setClock(SynCookies.minute(epochMillis), offset);
        if (result != 0) refusals.warn("cannot update the XDP SYN proxy's minute: errno {}", -result);
    }

    /** The MSS SynProxy offers on an interface of {@code mtu}, given to the program for {@code ifIndex}. */
    public synchronized void addInterface(int ifIndex, int mtu) {
        int result = maps.setMss(ifIndex, mss(mtu));
        if (result != 0) throw new IllegalStateException("cannot give the XDP program the MSS of ifindex " + ifIndex
                + ": errno " + -result);
        interfaceMtus.put(ifIndex, mtu);
    }

    /**
     * The MTU interface {@code ifIndex} has now: when it is not the one the program's MSS there was computed from,
     * the MSS follows it (a refusal is logged and tried again at the next call). Interfaces not added are ignored.
     */
    public synchronized void followMtu(int ifIndex, int mtu) {
        Integer given = interfaceMtus.get(ifIndex);
        if (given == null || given == mtu) return;
        int result = maps.setMss(ifIndex, mss(mtu));
        if (result != 0) {
            refusals.warn("cannot give the XDP program the MSS of ifindex {} for its MTU {}: errno {}", ifIndex, mtu,
                    -result);
            return;
        }
        interfaceMtus.put(ifIndex, mtu);
        LOG.info("ifindex {}: MTU {}, the XDP SYN proxy offers MSS {}", ifIndex, mtu, mss(mtu));
    }

    /** The MSS the director offers on an IPv4 interface of {@code mtu}, as SynProxy computes it. */
    private static int mss(int mtu) {
        return SynProxy.directorMss(mtu, false);
    }

    /** The SYN-ACKs the XDP program has sent (0 when they cannot be read). */
    public long synAcksSent() {
        return Math.max(0, maps.synAcksSent());
    }

    /** The services the program answers SYNs for now. */
    public synchronized int services() {
        return answered.size();
    }

    /** Puts the services of {@code index} the program should answer for in its map, and takes the others out. */
    synchronized void follow(ServiceIndex index) {
        Set<Long> wanted = new HashSet<>();
        index.forEachService(s -> {
            ServiceKey key = s.key;
            if (!s.synproxy || key.isFwmark() || key.af() != 4 || key.protocol() != Protocol.TCP || key.port() == 0) return;
            int vip = (int) key.addrLo();
            if (index.isStandby(vip)) return;
            wanted.add(pair(vip, key.port()));
        });
        for (Long p : Set.copyOf(answered)) {
            if (wanted.contains(p)) continue;
            int result = maps.removeService(vip(p), port(p));
            if (result != 0 && result != -2) { // ENOENT: gone already
                refusals.warn("cannot take a service out of the XDP SYN proxy's map: errno {}", -result);
                continue;
            }
            answered.remove(p);
        }
        for (Long p : wanted) {
            if (answered.contains(p)) continue;
            int result = maps.addService(vip(p), port(p));
            if (result != 0) {
                refusals.warn("the XDP program does not answer SYNs of a --synproxy service (the Java path does): {}",
                        result == -E2BIG ? "its map is full" : "errno " + -result);
                continue;
            }
            answered.add(p);
        }
    }

    private static long pair(int vip, int port) {
        return (long) port << 32 | (vip & 0xFFFF_FFFFL);
    }

    private static int vip(long pair) { return (int) pair; }

    private static int port(long pair) { return (int) (pair >>> 32); }
}
