package io.jlvs.platform.net;

import io.jlvs.platform.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Next hops of IPv6 destinations from the kernel's IPv6 routes and neighbour table, as {@link NextHops} does for
 * IPv4. {@link #lookup} is the data path: a probe of a table published whole (copy on write), no allocation, no
 * lock, no system call on a hit. A miss queues the destination for one resolver thread, which asks the kernel for
 * the route and the neighbour (soliciting it through the kernel, NTF_USE, until it answers), re-checks resolved
 * destinations every {@link #REFRESH_NANOS} so route and neighbour changes are followed, and publishes a new table
 * after each round that changed something.
 *
 * <p>Construct it on a thread that is in the network namespace to follow.
 */
public final class Ipv6NextHops implements Ipv6NextHopLookup, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ipv6NextHops.class);
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 5, Duration.ofMinutes(1));
    static final long ROUND_NANOS = 50_000_000L;
    static final long SOLICIT_NANOS = 300_000_000L;
    static final long GIVE_UP_NANOS = 3_000_000_000L;
    static final long REFRESH_NANOS = 5_000_000_000L;
    static final long FORGET_FAILED_NANOS = 1_000_000_000L;
    static final int MAX_DESTINATIONS = 65_536;
    private static final int MISS_QUEUE = 1024;

    private record Key(long hi, long lo) {}

    private static final class Resolution {
        NextHop hop;
        int ifIndex;
        long neighbourHi, neighbourLo;
        int mtu;
        long sourceHi, sourceLo;
        long startedNanos, nextNanos, lastSolicitNanos;
        boolean failed;
    }

    /** Immutable open-addressing table; at least one slot stays empty so a probe ends. */
    private record Table(long[] his, long[] los, NextHop[] hops, int mask) {
        static Table of(Map<Key, NextHop> entries) {
            int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) * 2 - 1);
            Table t = new Table(new long[capacity], new long[capacity], new NextHop[capacity], capacity - 1);
            entries.forEach((k, hop) -> {
                int slot = slot(k.hi(), k.lo(), t.mask);
                while (t.hops[slot] != null) slot = (slot + 1) & t.mask;
                t.his[slot] = k.hi();
                t.los[slot] = k.lo();
                t.hops[slot] = hop;
            });
            return t;
        }

        NextHop get(long hi, long lo) {
            int slot = slot(hi, lo, mask);
            NextHop hop;
            while ((hop = hops[slot]) != null) {
                if (his[slot] == hi && los[slot] == lo) return hop;
                slot = (slot + 1) & mask;
            }
            return null;
        }

        private static int slot(long hi, long lo, int mask) {
            long h = (hi * 0x9E37_79B9_7F4A_7C15L) ^ (lo * 0xC2B2_AE3D_27D4_EB4FL);
            return (int) (h ^ (h >>> 29)) & mask;
        }
    }

    private final Set<Integer> allowedIfIndexes;
    private final Netlink netlink;
    private final Thread thread;
    private volatile Table table = Table.of(Map.of());
    private volatile boolean running = true;
    private final long[] misses = new long[MISS_QUEUE * 2];
    private int missHead, missTail;
    /** The resolver thread's own state. */
    private final Map<Key, Resolution> resolutions = new HashMap<>();

    /** Follows destinations reached through the given interfaces; an empty set allows every interface. */
    public Ipv6NextHops(Set<Integer> allowedIfIndexes) throws IOException {
        this.allowedIfIndexes = Set.copyOf(allowedIfIndexes);
        this.netlink = Netlink.open();
        this.thread = Thread.ofPlatform().daemon().name("jlvs-nexthops6").start(this::run);
    }

    /** Follows destinations reached through the named interfaces (of the calling thread's namespace). */
    public static Ipv6NextHops forInterfaces(List<String> interfaceNames) throws IOException {
        Set<Integer> indexes = new HashSet<>();
        for (int index : Links.indexesOf(List.copyOf(interfaceNames))) indexes.add(index);
        return new Ipv6NextHops(indexes);
    }

    @Override
    public NextHop lookup(long dstHi, long dstLo) {
        NextHop hop = table.get(dstHi, dstLo);
        if (hop == null) {
            request(dstHi, dstLo);
            return null;
        }
        return hop == NextHop.UNRESOLVED ? null : hop;
    }

    /** Control plane: waits until the destination is resolved or the timeout passes; null when it was not. */
    public NextHop lookupBlocking(long dstHi, long dstLo, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running) {
            NextHop hop = lookup(dstHi, dstLo);
            if (hop != null) return hop;
            if (System.nanoTime() - deadline > 0) return null;
            LockSupport.parkNanos(20_000_000L);
        }
        return null;
    }

    private void request(long hi, long lo) {
        synchronized (misses) {
            if (missTail - missHead == MISS_QUEUE) return; // full: a later miss asks again
            int at = (missTail++ & (MISS_QUEUE - 1)) * 2;
            misses[at] = hi;
            misses[at + 1] = lo;
        }
        LockSupport.unpark(thread);
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(ROUND_NANOS);
            if (!running) break;
            boolean changed = drainMisses();
            long now = System.nanoTime();
            for (Iterator<Map.Entry<Key, Resolution>> it = resolutions.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Resolution> e = it.next();
                Resolution r = e.getValue();
                if (now - r.nextNanos < 0) continue;
                if (r.failed) {
                    it.remove();
                    changed = true;
                    continue;
                }
                changed |= resolve(e.getKey(), r, now);
            }
            if (changed) publish();
        }
    }

    private boolean drainMisses() {
        boolean added = false;
        while (true) {
            long hi, lo;
            synchronized (misses) {
                if (missHead == missTail) return added;
                int at = (missHead++ & (MISS_QUEUE - 1)) * 2;
                hi = misses[at];
                lo = misses[at + 1];
            }
            Key key = new Key(hi, lo);
            if (resolutions.containsKey(key) || resolutions.size() >= MAX_DESTINATIONS) continue;
            Resolution r = new Resolution();
            r.startedNanos = System.nanoTime();
            resolutions.put(key, r);
            added = true;
        }
    }

    /** One step for one destination; true when its published hop changed. */
    private boolean resolve(Key key, Resolution r, long now) {
        NextHop before = r.hop;
        try {
            Ipv6Routes.Answer route = Ipv6Routes.route(netlink, key.hi(), key.lo());
            if (!allowedIfIndexes.isEmpty() && !allowedIfIndexes.contains(route.ifIndex())) {
                throw new IOException("route to " + Ipv6Routes.format(key.hi(), key.lo())
                        + " leaves through ifindex " + route.ifIndex() + ", not an interface jlvs manages");
            }
            r.ifIndex = route.ifIndex();
            r.neighbourHi = route.neighbourHi();
            r.neighbourLo = route.neighbourLo();
            r.mtu = route.mtu();
            r.sourceHi = route.sourceHi();
            r.sourceLo = route.sourceLo();
            long mac = Ipv6Routes.neighbourMac(netlink, r.ifIndex, r.neighbourHi, r.neighbourLo);
            if (mac >= 0) {
                Link link = Links.byIndex(r.ifIndex);
                boolean viaGateway = r.neighbourHi != key.hi() || r.neighbourLo != key.lo();
                NextHop hop = new NextHop(r.ifIndex, link.mac(), mac, r.mtu > 0 ? r.mtu : link.mtu(), 0,
                        viaGateway ? -1 : 0, r.sourceHi, r.sourceLo);
                if (!hop.sameAs(r.hop)) r.hop = hop;
                r.startedNanos = now;
                r.nextNanos = now + REFRESH_NANOS;
            } else {
                if (r.hop == null && now - r.startedNanos > GIVE_UP_NANOS) {
                    throw new IOException("neighbour " + Ipv6Routes.format(r.neighbourHi, r.neighbourLo)
                            + " did not answer neighbour solicitations");
                }
                if (now - r.lastSolicitNanos > SOLICIT_NANOS) {
                    Ipv6Routes.solicit(netlink, r.ifIndex, r.neighbourHi, r.neighbourLo);
                    r.lastSolicitNanos = now;
                }
                r.nextNanos = now + ROUND_NANOS; // keep the last known MAC meanwhile, as the kernel does
            }
        } catch (IOException | RuntimeException e) {
            FAILURES.warn("no IPv6 next hop for {}: {}", Ipv6Routes.format(key.hi(), key.lo()), e.getMessage());
            r.failed = true;
            r.hop = null;
            r.nextNanos = now + FORGET_FAILED_NANOS;
        }
        return before != r.hop;
    }

    private void publish() {
        Map<Key, NextHop> entries = new HashMap<>(resolutions.size() * 2);
        resolutions.forEach((k, r) -> entries.put(k, r.hop != null ? r.hop : NextHop.UNRESOLVED));
        table = Table.of(entries);
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        netlink.close();
    }
}
