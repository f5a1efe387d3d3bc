package io.jlvs.connections;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One hash index over the slab: an off-heap array of bucket heads, chains linked through one link field of
 * the entries, and striped sequence locks.
 *
 * <p>Writers (insert, unlink) take the stripe lock of the bucket: the stripe word is odd while held. Readers
 * take no lock: they walk the chain and validate each entry with its generation (see ConnectionTable). A hit
 * validated that way is always right; a miss is only trusted when the stripe word did not change during the
 * walk, because a writer may have moved the entry being read to another chain.
 */
final class ChainIndex {
    /** Stripe words are spread 64 bytes apart so that writers on different stripes do not share a line. */
    private static final int STRIDE = 8;
    private static final int COUNT_OFFSET = 1;
    private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle HEAD = ValueLayout.JAVA_INT.varHandle();
    private static final int SPINS_BEFORE_YIELD = 64;

    private final EntrySlab slab;
    private final long linkField;
    /**
     * Which key this index hashes: false, the inbound key (client, virtual); true, the outbound key (real,
     * client). Each choice passes constant field offsets to {@link EntrySlab#matches}, which the JIT folds.
     */
    private final boolean outboundKey;
    private final MemorySegment heads;
    private final int bucketMask;
    private final int stripeMask;
    private final long[] stripes;

    /** @param heads 4 bytes per bucket, 64-byte aligned */
    ChainIndex(MemorySegment heads, EntrySlab slab, long linkField, boolean outboundKey, int buckets,
               int stripeCount) {
        if (Integer.bitCount(buckets) != 1 || Integer.bitCount(stripeCount) != 1) {
            throw new IllegalArgumentException("bucket and stripe counts must be powers of two");
        }
        this.slab = slab;
        this.linkField = linkField;
        this.outboundKey = outboundKey;
        if (heads.byteSize() != 4L * buckets) throw new IllegalArgumentException("bucket heads size");
        this.heads = heads;
        this.heads.fill((byte) 0xFF); // every head = NIL (-1)
        this.bucketMask = buckets - 1;
        this.stripeMask = stripeCount - 1;
        this.stripes = new long[stripeCount * STRIDE];
    }

    /**
     * Whether the entry in {@code slot} has this index's key: protocol, endpoint a (client inbound, real server
     * outbound) and endpoint b (virtual inbound, client outbound).
     */
    boolean matches(int slot, int proto, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        return outboundKey
                ? slab.matches(slot, EntrySlab.R_HI, EntrySlab.R_PORT, EntrySlab.C_HI, EntrySlab.C_PORT,
                        proto, aHi, aLo, aPort, bHi, bLo, bPort)
                : slab.matches(slot, EntrySlab.C_HI, EntrySlab.C_PORT, EntrySlab.V_HI, EntrySlab.V_PORT,
                        proto, aHi, aLo, aPort, bHi, bLo, bPort);
    }

    int bucket(long hash) { return (int) hash & bucketMask; }

    int stripe(int bucket) { return bucket & stripeMask; }

    int head(int bucket) { return (int) HEAD.getAcquire(heads, 4L * bucket); }

    int next(int slot) { return slab.link(slot, linkField); }

    /** Links a live entry at the head of its chain; caller holds the stripe lock. */
    void push(int bucket, int slot) {
        slab.setLink(slot, linkField, head(bucket));
        HEAD.setRelease(heads, 4L * bucket, slot);
    }

    /** Removes an entry from its chain; caller holds the stripe lock. The entry's own link is left intact
     * so that a reader standing on it can still walk on. */
    void unlink(int bucket, int slot) {
        int cur = head(bucket);
        if (cur == slot) {
            HEAD.setRelease(heads, 4L * bucket, next(slot));
            return;
        }
        while (cur != ConnectionTable.NIL) {
            int next = next(cur);
            if (next == slot) {
                slab.setLink(cur, linkField, next(slot));
                return;
            }
            cur = next;
        }
        throw new IllegalStateException("slot " + slot + " is not in bucket " + bucket);
    }

    // ---- stripe sequence locks ----

    void lock(int stripe) {
        int index = stripe * STRIDE;
        int spins = 0;
        for (;;) {
            long seq = (long) STRIPES.getVolatile(stripes, index);
            if ((seq & 1) == 0 && STRIPES.compareAndSet(stripes, index, seq, seq + 1)) return;
            spin(++spins);
        }
    }

    void unlock(int stripe) {
        int index = stripe * STRIDE;
        STRIPES.setRelease(stripes, index, (long) STRIPES.getOpaque(stripes, index) + 1);
    }

    /** The stripe's sequence once no writer holds it. */
    long stableSequence(int stripe) {
        int index = stripe * STRIDE;
        int spins = 0;
        for (;;) {
            long seq = (long) STRIPES.getAcquire(stripes, index);
            if ((seq & 1) == 0) return seq;
            spin(++spins);
        }
    }

    boolean unchanged(int stripe, long seq) {
        VarHandle.loadLoadFence();
        return (long) STRIPES.getAcquire(stripes, stripe * STRIDE) == seq;
    }

    /** Adjusts the stripe's entry count; caller holds the stripe lock. */
    void addCount(int stripe, int delta) {
        int index = stripe * STRIDE + COUNT_OFFSET;
        STRIPES.setOpaque(stripes, index, (long) STRIPES.getOpaque(stripes, index) + delta);
    }

    long count() {
        long sum = 0;
        for (int i = COUNT_OFFSET; i < stripes.length; i += STRIDE) sum += (long) STRIPES.getOpaque(stripes, i);
        return sum;
    }

    private static void spin(int spins) {
        if (spins < SPINS_BEFORE_YIELD) Thread.onSpinWait();
        else Thread.yield(); // the holder may have been preempted: let it run
    }
}
