package io.jlvs.connections;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer ring of connection handles: one forwarding worker offers the
 * connections it created or moved to a state worth sending, one consumer thread polls them. Offering allocates
 * nothing and takes no lock (a plain store and one release store); a full ring drops the handle and counts it
 * in {@link #overflows()}, and the consumer can then walk the whole table instead.
 *
 * <p>The head (consumer's index) and tail (producer's index) sit on separate cache lines so that the two
 * threads do not write the same line.
 */
public final class ChangeRing {
    private static final VarHandle HEAD, TAIL, OVERFLOWS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(ChangeRing.class, "head", long.class);
            TAIL = lookup.findVarHandle(ChangeRing.class, "tail", long.class);
            OVERFLOWS = lookup.findVarHandle(ChangeRing.class, "overflows", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] handles;
    private final int mask;
    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07;
    /** Next index the consumer reads; written by the consumer only. */
    private long head;
    @SuppressWarnings("unused") private long p11, p12, p13, p14, p15, p16, p17;
    /** Next index the producer writes; written by the producer only. */
    private long tail;
    /** The producer's last sight of {@link #head}: it reads the consumer's line only when the ring looks full. */
    private long headSeen;
    private long overflows;
    @SuppressWarnings("unused") private long p21, p22, p23, p24, p25, p26, p27;

    /** @param capacity handles the ring holds, rounded up to a power of two (at least 2) */
    public ChangeRing(int capacity) {
        if (capacity < 1 || capacity > 1 << 24) throw new IllegalArgumentException("ring capacity 1..2^24: " + capacity);
        int size = Math.max(2, Integer.highestOneBit(capacity - 1) << 1);
        this.handles = new long[size];
        this.mask = size - 1;
    }

    public int capacity() { return handles.length; }

    /** Producer only: queues a handle; false (counted) when the ring is full. */
    public boolean offer(long handle) {
        long t = (long) TAIL.getOpaque(this);
        if (t - headSeen >= handles.length) {
            headSeen = (long) HEAD.getAcquire(this);
            if (t - headSeen >= handles.length) {
                OVERFLOWS.setOpaque(this, overflows + 1);
                return false;
            }
        }
        handles[(int) t & mask] = handle;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Consumer only: the oldest queued handle, or -1 when the ring is empty. */
    public long poll() {
        long h = (long) HEAD.getOpaque(this);
        if (h == (long) TAIL.getAcquire(this)) return -1;
        long handle = handles[(int) h & mask];
        HEAD.setRelease(this, h + 1);
        return handle;
    }

    /** Handles dropped because the ring was full (any thread; written by the producer). */
    public long overflows() { return (long) OVERFLOWS.getOpaque(this); }

}
