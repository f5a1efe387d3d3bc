package io.jlvs.platform.xdp;

import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One AF_XDP socket bound to one queue of one interface, with its four rings mapped at the offsets the kernel
 * reports (XDP_MMAP_OFFSETS). The first socket on a {@link Umem} registers it (XDP_UMEM_REG); the others share it
 * (XDP_SHARED_UMEM) with fill and completion rings of their own, as sockets on other interfaces or queues must.
 * Bound with XDP_USE_NEED_WAKEUP, so the kernel says when it needs a system call, and in copy mode (veth has no
 * zero-copy), with the transmit budget raised to the tx ring's size where the kernel allows (one sendto per batch
 * rather than one per 32 frames). Binding right after a previous socket on the queue was closed may be refused with
 * EBUSY while the kernel frees it: retried with backoff for a few seconds.
 */
public final class XskSocket implements AutoCloseable {
    static final int AF_XDP = 44, SOL_XDP = 283;
    private static final int XDP_MMAP_OFFSETS = 1, XDP_RX_RING = 2, XDP_TX_RING = 3, XDP_UMEM_REG = 4,
            XDP_UMEM_FILL_RING = 5, XDP_UMEM_COMPLETION_RING = 6, XDP_STATISTICS = 7, XDP_MAX_TX_SKB_BUDGET = 9;
    /** Frames one sendto moves in copy mode where the kernel has no XDP_MAX_TX_SKB_BUDGET (before Linux 6.17). */
    public static final int DEFAULT_TRANSMIT_BUDGET = 32;
    private static final int XDP_SHARED_UMEM = 1, XDP_COPY = 2, XDP_USE_NEED_WAKEUP = 8;
    private static final long PGOFF_RX = 0, PGOFF_TX = 0x80000000L, PGOFF_FILL = 0x100000000L,
            PGOFF_COMPLETION = 0x180000000L;
    /** struct xdp_desc {u64 addr; u32 len; u32 options}. */
    public static final int DESC_SIZE = 16;
    private static final int ADDR_SIZE = 8;
    private static final long BIND_RETRY_MILLIS = 5_000;
    private static final int EINVAL = 22, ENOPROTOOPT = 92;

    private final int fd;
    private final List<long[]> mappings = new ArrayList<>();
    private final XskRing fill, completion, rx, tx;
    private final int transmitBudget;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment statistics = arena.allocate(48, 8);
    private final MemorySegment capture = Libc.newCapture(arena);
    private boolean closed;

    /**
     * @param sharedWith the socket that registered {@code umem}, or null to register it with this one
     */
    public XskSocket(Umem umem, XskSocket sharedWith, int ifIndex, int queue, int fillSize, int completionSize,
                     int rxSize, int txSize, String what) throws IOException {
        for (int size : new int[] {fillSize, completionSize, rxSize, txSize}) {
            if (Integer.bitCount(size) != 1) throw new IllegalArgumentException("ring size " + size + " is not a power of two");
        }
        int socket = Libc.socket(AF_XDP, 3 /* SOCK_RAW */ | Libc.SOCK_CLOEXEC, 0);
        try {
            if (sharedWith == null) registerUmem(socket, umem);
            Libc.setsockoptInt(socket, SOL_XDP, XDP_UMEM_FILL_RING, fillSize, "XDP_UMEM_FILL_RING");
            Libc.setsockoptInt(socket, SOL_XDP, XDP_UMEM_COMPLETION_RING, completionSize, "XDP_UMEM_COMPLETION_RING");
            Libc.setsockoptInt(socket, SOL_XDP, XDP_RX_RING, rxSize, "XDP_RX_RING");
            Libc.setsockoptInt(socket, SOL_XDP, XDP_TX_RING, txSize, "XDP_TX_RING");
            transmitBudget = raiseTransmitBudget(socket, txSize);
            MemorySegment offsets = arena.allocate(128, 8);
            Libc.getsockopt(socket, SOL_XDP, XDP_MMAP_OFFSETS, offsets, "XDP_MMAP_OFFSETS");
            // struct xdp_mmap_offsets {rx, tx, fr, cr}, each struct xdp_ring_offset {producer, consumer, desc, flags}
            rx = map(socket, offsets, 0, PGOFF_RX, rxSize, DESC_SIZE, what + " rx ring");
            tx = map(socket, offsets, 32, PGOFF_TX, txSize, DESC_SIZE, what + " tx ring");
            fill = map(socket, offsets, 64, PGOFF_FILL, fillSize, ADDR_SIZE, what + " fill ring");
            completion = map(socket, offsets, 96, PGOFF_COMPLETION, completionSize, ADDR_SIZE, what + " completion ring");
            bind(socket, ifIndex, queue, sharedWith, what);
        } catch (IOException | RuntimeException e) {
            unmapAll();
            Libc.close(socket);
            arena.close();
            throw e;
        }
        this.fd = socket;
    }

    /**
     * Lets one sendto move the whole tx ring in copy mode (XDP_MAX_TX_SKB_BUDGET, Linux 6.17) rather than 32 frames,
     * so that a batch leaves in one system call; returns the frames a call moves. A kernel without the option keeps
     * its 32.
     */
    private static int raiseTransmitBudget(int socket, int txSize) throws IOException {
        if (txSize <= DEFAULT_TRANSMIT_BUDGET) return txSize;
        try {
            Libc.setsockoptInt(socket, SOL_XDP, XDP_MAX_TX_SKB_BUDGET, txSize, "XDP_MAX_TX_SKB_BUDGET");
            return txSize;
        } catch (ErrnoException e) {
            if (e.errno() == ENOPROTOOPT) return DEFAULT_TRANSMIT_BUDGET;
            throw e;
        }
    }

    /** struct xdp_umem_reg {u64 addr; u64 len; u32 chunk_size; u32 headroom; u32 flags; u32 tx_metadata_len}. */
    private void registerUmem(int socket, Umem umem) throws IOException {
        MemorySegment reg = arena.allocate(32, 8);
        reg.set(JAVA_LONG, 0, umem.address());
        reg.set(JAVA_LONG, 8, umem.byteSize());
        reg.set(JAVA_INT, 16, umem.frameSize());
        Libc.setsockopt(socket, SOL_XDP, XDP_UMEM_REG, reg, "XDP_UMEM_REG " + umem.frameCount() + " x " + umem.frameSize());
    }

    private XskRing map(int socket, MemorySegment offsets, long at, long pageOffset, int size, int entrySize, String what)
            throws IOException {
        long producer = offsets.get(JAVA_LONG, at), consumer = offsets.get(JAVA_LONG, at + 8);
        long descriptors = offsets.get(JAVA_LONG, at + 16), flags = offsets.get(JAVA_LONG, at + 24);
        long length = descriptors + (long) size * entrySize;
        long address = Libc.mmapShared(socket, length, pageOffset, what);
        mappings.add(new long[] {address, length});
        return new XskRing(MemorySegment.ofAddress(address).reinterpret(length), producer, consumer, flags,
                descriptors, size, entrySize);
    }

    /** struct sockaddr_xdp {u16 family; u16 flags; u32 ifindex; u32 queue_id; u32 shared_umem_fd}. */
    private void bind(int socket, int ifIndex, int queue, XskSocket sharedWith, String what) throws IOException {
        MemorySegment address = arena.allocate(16, 4);
        address.set(JAVA_SHORT, 0, (short) AF_XDP);
        int flags = XDP_COPY | XDP_USE_NEED_WAKEUP;
        if (sharedWith != null) {
            flags = XDP_SHARED_UMEM;   // the kernel takes copy mode and need_wakeup from the owner
            address.set(JAVA_INT, 12, sharedWith.fd);
        }
        address.set(JAVA_SHORT, 2, (short) flags);
        address.set(JAVA_INT, 4, ifIndex);
        address.set(JAVA_INT, 8, queue);
        long deadline = System.nanoTime() + BIND_RETRY_MILLIS * 1_000_000;
        long backoff = 10;
        while (true) {
            try {
                Libc.bind(socket, address, "AF_XDP " + what + " queue " + queue);
                return;
            } catch (ErrnoException e) {
                if (e.errno() == EINVAL && queue > 0) {
                    throw new ErrnoException(e.getMessage() + ": has " + what + " a receive queue " + queue
                            + "? AF_XDP needs one per worker", e.errno());
                }
                if (e.errno() != Libc.EBUSY || System.nanoTime() > deadline) throw e;
            }
            try {
                Thread.sleep(backoff);   // the kernel still frees the queue's previous socket
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while binding " + what);
            }
            backoff = Math.min(backoff * 2, 500);
        }
    }

    public int fd() {
        return fd;
    }

    public XskRing fill() {
        return fill;
    }

    public XskRing completion() {
        return completion;
    }

    public XskRing rx() {
        return rx;
    }

    public XskRing tx() {
        return tx;
    }

    /**
     * Asks the kernel to transmit what the tx ring holds (in copy mode at most {@link #transmitBudget} frames a
     * call): true when sendto succeeded; on false, {@link #lastError} says why (EAGAIN: call again).
     */
    public boolean kickTransmit() {
        return Libc.kick(fd, capture) >= 0;
    }

    /** The most frames one {@link #kickTransmit} moves in copy mode. */
    public int transmitBudget() {
        return transmitBudget;
    }

    /** The errno of the last failed {@link #kickTransmit}. */
    public int lastError() {
        return Libc.errnoOf(capture);
    }

    /** Wakes the kernel's receive side when the fill ring asks for it; no-op otherwise. */
    public void wakeReceiveIfNeeded() {
        if (fill.needsWakeup()) Libc.recv(fd, MemorySegment.NULL, 0, Libc.MSG_DONTWAIT, capture);
    }

    /** XDP_STATISTICS: the kernel's totals for this socket. */
    public synchronized XdpStatistics statistics() throws IOException {
        if (closed) return XdpStatistics.NONE;
        Libc.getsockopt(fd, SOL_XDP, XDP_STATISTICS, statistics, "XDP_STATISTICS");
        return new XdpStatistics(statistics.get(JAVA_LONG, 0), statistics.get(JAVA_LONG, 8),
                statistics.get(JAVA_LONG, 16), statistics.get(JAVA_LONG, 24), statistics.get(JAVA_LONG, 32),
                statistics.get(JAVA_LONG, 40));
    }

    private void unmapAll() {
        for (long[] m : mappings) Libc.munmap(m[0], m[1]);
        mappings.clear();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        unmapAll();
        Libc.close(fd);
        arena.close();
    }
}
