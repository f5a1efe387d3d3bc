package io.jlvs.schedulers;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The destination-address cache of lblc and lblcr: address -> value, bounded, safe for many readers and writers.
 * Open addressing over a fixed array with a short probe window; a full window evicts its least recently used
 * entry, so memory stays bounded whatever the traffic (the kernel bounds its table with a GC timer instead).
 * Lookups do not allocate; inserting a new address allocates its entry.
 */
final class AddressCache<V> {
    static final class Entry<V> {
        final long hi, lo;
        volatile V value;
        /** Racy plain updates are fine: the kernel also stores lastuse without a lock. */
        long lastUse;
        volatile long lastModified;

        Entry(long hi, long lo, V value, long now) {
            this.hi = hi; this.lo = lo; this.value = value; this.lastUse = now; this.lastModified = now;
        }
    }

    private static final int PROBES = 8;
    private final AtomicReferenceArray<Entry<V>> slots;
    private final int mask;

    AddressCache(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        this.slots = new AtomicReferenceArray<>(capacityPowerOfTwo);
        this.mask = capacityPowerOfTwo - 1;
    }

    private int home(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    Entry<V> get(long hi, long lo) {
        int i = home(hi, lo);
        for (int p = 0; p < PROBES; p++, i = (i + 1) & mask) {
            Entry<V> e = slots.get(i);
            if (e != null && e.hi == hi && e.lo == lo) return e;
        }
        return null;
    }

    /** Stores a new entry for the address (or updates the existing one) and returns it. */
    Entry<V> put(long hi, long lo, V value, long now) {
        while (true) {
            int i = home(hi, lo);
            int victim = -1;
            Entry<V> victimEntry = null;
            for (int p = 0; p < PROBES; p++, i = (i + 1) & mask) {
                Entry<V> e = slots.get(i);
                if (e == null) {
                    if (victim < 0 || victimEntry != null) { victim = i; victimEntry = null; }
                    continue;
                }
                if (e.hi == hi && e.lo == lo) {
                    e.value = value;
                    e.lastUse = now;
                    e.lastModified = now;
                    return e;
                }
                if (victim < 0 || (victimEntry != null && e.lastUse - victimEntry.lastUse < 0)) { victim = i; victimEntry = e; }
            }
            Entry<V> fresh = new Entry<>(hi, lo, value, now);
            if (slots.compareAndSet(victim, victimEntry, fresh)) return fresh;
        }
    }

    /** Removes entries unused for longer than maxIdleNanos; returns how many. */
    int expire(long now, long maxIdleNanos) {
        int removed = 0;
        for (int i = 0; i < slots.length(); i++) {
            Entry<V> e = slots.get(i);
            if (e != null && now - e.lastUse > maxIdleNanos && slots.compareAndSet(i, e, null)) removed++;
        }
        return removed;
    }

    int size() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) if (slots.get(i) != null) n++;
        return n;
    }
}
