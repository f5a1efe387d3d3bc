package io.jlvs.platform.xdp;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One AF_XDP ring mapped from the socket: a producer index, a consumer index, a flags word and {@code size} entries
 * (u64 frame addresses in the fill and completion rings, 16-byte xdp_desc in the rx and tx rings). One side
 * produces, the other consumes; an index is read with acquire and written with release ordering, so the entries
 * written before a release are visible to the side that acquires it. The local copies of the indices start at
 * zero, as the kernel's do on a new socket.
 *
 * <p>Used by one thread: user space is the producer of the fill and tx rings ({@link #reserve}, {@link #submit})
 * and the consumer of the rx and completion rings ({@link #available}, {@link #release}).
 */
public final class XskRing {
    private static final VarHandle INT = JAVA_INT.varHandle();
    /** XDP_RING_NEED_WAKEUP: the kernel wants a system call before it looks at this ring again. */
    private static final int NEED_WAKEUP = 1;

    private final MemorySegment map;
    private final long producer, consumer, flags, descriptors;
    private final int size, mask, entrySize;
    /** Our own index (the one we write) and the last value we read of the kernel's. */
    private int local, cachedRemote;

    XskRing(MemorySegment map, long producer, long consumer, long flags, long descriptors, int size, int entrySize) {
        this.map = map;
        this.producer = producer;
        this.consumer = consumer;
        this.flags = flags;
        this.descriptors = descriptors;
        this.size = size;
        this.mask = size - 1;
        this.entrySize = entrySize;
    }

    public int size() {
        return size;
    }

    /** Producer: how many of {@code wanted} entries may be written now, from {@link #entryOffset(int) entry 0}. */
    public int reserve(int wanted) {
        int free = size - (local - cachedRemote);
        if (free < wanted) {
            cachedRemote = (int) INT.getAcquire(map, consumer);
            free = size - (local - cachedRemote);
        }
        return Math.min(wanted, free);
    }

    /** Producer: publishes {@code count} entries written after the last submit. */
    public void submit(int count) {
        local += count;
        INT.setRelease(map, producer, local);
    }

    /** Consumer: how many entries, at most {@code wanted}, are ready from {@link #entryOffset(int) entry 0}. */
    public int available(int wanted) {
        int ready = cachedRemote - local;
        if (ready < wanted) {
            cachedRemote = (int) INT.getAcquire(map, producer);
            ready = cachedRemote - local;
        }
        return Math.min(wanted, ready);
    }

    /** Consumer: gives {@code count} read entries back to the kernel. */
    public void release(int count) {
        local += count;
        INT.setRelease(map, consumer, local);
    }

    /** Producer: entries written but not yet taken by the kernel (as last read). */
    public int outstanding() {
        cachedRemote = (int) INT.getAcquire(map, consumer);
        return local - cachedRemote;
    }

    /** Where entry {@code i} past our index (the next to write or to read) lies in {@link #memory()}. */
    public long entryOffset(int i) {
        return descriptors + (long) ((local + i) & mask) * entrySize;
    }

    public MemorySegment memory() {
        return map;
    }

    public boolean needsWakeup() {
        return ((int) INT.getAcquire(map, flags) & NEED_WAKEUP) != 0;
    }
}
