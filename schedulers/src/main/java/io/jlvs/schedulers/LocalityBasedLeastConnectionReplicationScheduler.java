package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * lblcr (ip_vs_lblcr.c): destination address -> set of servers. The set's member with the least overhead/weight
 * serves; when it is busier than its weight while another server has spare capacity (or the set has no usable
 * member), the least-loaded server of the whole service (as wlc) is added to the set and serves. A set with more
 * than one member that has not changed for the expiration (24 h) loses its most loaded member. Sets are immutable
 * arrays replaced as a whole, so readers never see one half changed.
 */
public final class LocalityBasedLeastConnectionReplicationScheduler implements Scheduler {
    static final long DEFAULT_EXPIRATION_NANOS = TimeUnit.HOURS.toNanos(24);

    private final AddressCache<Destination[]> cache = new AddressCache<>(1 << 15);
    private final long expirationNanos;

    public LocalityBasedLeastConnectionReplicationScheduler() { this(DEFAULT_EXPIRATION_NANOS); }

    public LocalityBasedLeastConnectionReplicationScheduler(long expirationNanos) { this.expirationNanos = expirationNanos; }

    @Override public String name() { return "lblcr"; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        long now = System.nanoTime();
        AddressCache.Entry<Destination[]> entry = cache.get(flow.dstHi, flow.dstLo);
        if (entry == null) {
            Destination chosen = LeastLoad.weightedLeast(servers, false);
            if (chosen != null) cache.put(flow.dstHi, flow.dstLo, new Destination[] {chosen}, now);
            return chosen;
        }
        entry.lastUse = now;
        Destination[] set = entry.value;
        Destination least = leastLoaded(set);
        if (set.length > 1 && now - entry.lastModified > expirationNanos) {
            Destination most = mostLoaded(set);
            if (most != null) replace(entry, set, without(set, most), now);
        }
        if (least != null && !LocalityBasedLeastConnectionScheduler.busierThanWeight(least, servers)) return least;
        Destination chosen = LeastLoad.weightedLeast(servers, false);
        if (chosen == null) return null;
        Destination[] current = entry.value;
        if (indexOf(current, chosen) < 0) {
            Destination[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = chosen;
            replace(entry, current, grown, now);
        }
        return chosen;
    }

    /** Racing writers: the last one wins, as a lost insert only costs a later re-pick. */
    private static void replace(AddressCache.Entry<Destination[]> entry, Destination[] expected, Destination[] next, long now) {
        if (entry.value == expected) {
            entry.value = next;
            entry.lastModified = now;
        }
    }

    /** ip_vs_dest_set_min: least overhead/weight among available, not OVERLOADed members with weight above 0. */
    static Destination leastLoaded(Destination[] set) {
        Destination least = null;
        long leastLoad = 0, leastWeight = 0;
        int i = 0;
        for (; i < set.length; i++) {
            Destination s = set[i];
            if (s.overloaded()) continue;
            int w = s.weight();
            if (w > 0 && s.available()) { least = s; leastLoad = s.overhead(); leastWeight = w; i++; break; }
        }
        if (least == null) return null;
        for (; i < set.length; i++) {
            Destination s = set[i];
            if (s.overloaded()) continue;
            long load = s.overhead();
            int w = s.weight();
            if (leastLoad * w > load * leastWeight && s.available()) { least = s; leastLoad = load; leastWeight = w; }
        }
        return least;
    }

    /** ip_vs_dest_set_max: most overhead/weight among members with weight above 0. */
    static Destination mostLoaded(Destination[] set) {
        Destination most = null;
        long mostLoad = 0, mostWeight = 0;
        int i = 0;
        for (; i < set.length; i++) {
            Destination s = set[i];
            int w = s.weight();
            if (w > 0) { most = s; mostLoad = s.overhead(); mostWeight = w; i++; break; }
        }
        if (most == null) return null;
        for (; i < set.length; i++) {
            Destination s = set[i];
            long load = s.overhead();
            int w = s.weight();
            if (mostLoad * w < load * mostWeight && w > 0) { most = s; mostLoad = load; mostWeight = w; }
        }
        return most;
    }

    private static int indexOf(Destination[] set, Destination s) {
        for (int i = 0; i < set.length; i++) if (set[i] == s) return i;
        return -1;
    }

    private static Destination[] without(Destination[] set, Destination s) {
        int idx = indexOf(set, s);
        if (idx < 0) return set;
        Destination[] out = new Destination[set.length - 1];
        System.arraycopy(set, 0, out, 0, idx);
        System.arraycopy(set, idx + 1, out, idx, set.length - idx - 1);
        return out;
    }

    @Override
    public int expire(long nowNanos) { return cache.expire(nowNanos, expirationNanos); }

    /** The cached set for an address (tests, listings); null when none. */
    Destination[] cachedSet(long hi, long lo) {
        AddressCache.Entry<Destination[]> e = cache.get(hi, lo);
        return e == null ? null : e.value;
    }
}
