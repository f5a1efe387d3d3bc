package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.concurrent.TimeUnit;

/**
 * lblc (ip_vs_lblc.c): destination address -> server cache. The cached server is kept while it is available, has
 * weight above 0 and is not "overloaded" in lblc's sense (more active connections than its weight while some
 * server has fewer than half its weight active; the OVERLOAD flag is not consulted, as in the kernel). Otherwise
 * the server with the least overhead/weight (as wlc) is chosen and cached. Entries unused for the expiration
 * (24 h, the kernel's lblc_expiration) are dropped by {@link #expire}.
 */
public final class LocalityBasedLeastConnectionScheduler implements Scheduler {
    static final long DEFAULT_EXPIRATION_NANOS = TimeUnit.HOURS.toNanos(24);

    private final AddressCache<Destination> cache = new AddressCache<>(1 << 15);
    private final long expirationNanos;

    public LocalityBasedLeastConnectionScheduler() { this(DEFAULT_EXPIRATION_NANOS); }

    public LocalityBasedLeastConnectionScheduler(long expirationNanos) { this.expirationNanos = expirationNanos; }

    @Override public String name() { return "lblc"; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        long now = System.nanoTime();
        AddressCache.Entry<Destination> entry = cache.get(flow.dstHi, flow.dstLo);
        if (entry != null) {
            entry.lastUse = now;
            Destination cached = entry.value;
            if (cached.available() && cached.weight() > 0 && !busierThanWeight(cached, servers)) return cached;
        }
        Destination chosen = LeastLoad.weightedLeast(servers, false);
        if (chosen == null) return null;
        if (entry != null) {
            entry.value = chosen;
            entry.lastModified = now;
        } else {
            cache.put(flow.dstHi, flow.dstLo, chosen, now);
        }
        return chosen;
    }

    /** The kernel's lblc/lblcr is_overloaded. */
    static boolean busierThanWeight(Destination server, ServerSet servers) {
        if (server.activeConns() <= server.weight()) return false;
        for (int i = 0, n = servers.size(); i < n; i++) {
            Destination s = servers.get(i);
            if ((long) s.activeConns() * 2 < s.weight()) return true;
        }
        return false;
    }

    @Override
    public int expire(long nowNanos) { return cache.expire(nowNanos, expirationNanos); }

    int cachedEntries() { return cache.size(); }
}
