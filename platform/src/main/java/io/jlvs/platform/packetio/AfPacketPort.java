package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.jlvs.platform.packetio.PacketSockets.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The default backend: an AF_PACKET socket with a TPACKET_V3 (or V2) receive ring and a transmit ring in one shared
 * mapping, set up with FFM calls. Per batch it costs no system call to receive (the ring is polled in memory) and
 * one sendto to transmit.
 *
 * <p>Set-up order matters: the socket is made with protocol 0 so it queues nothing until bind; version, loss
 * mode, rings, filter and IGNORE_OUTGOING are set first, then bind (ETH_P_ALL on the interface), then the fanout
 * group (the kernel only lets a bound socket join).
 */
final class AfPacketPort implements DetachedPort {
    private static final int PAGE = 4096;
    /** Transmit slots and receive blocks of a detached port: room for more than a worker's batch. */
    private static final int DETACHED_TX_SLOTS = 1024, DETACHED_RX_BLOCKS = 512;
    /** An Ethernet header with one 802.1Q tag: what a frame holds besides its IP packet at most. */
    static final int ETHERNET_WITH_TAG = 14 + 4;

    private final InterfaceInfo info;
    private final int fd;
    /** A detached port's other end of its socket pair, where its flushes' kicks arrive; -1 for a real port. */
    private final int kickSink;
    private final Arena mappingArena;
    private final PortCounters counters = new PortCounters();
    private final RxRing rx;
    private final TxRing tx;
    private final PortMtu mtu;
    private final MemorySegment flushCapture;
    private final boolean fanoutIgnoresOutgoing;
    private long kernelDrops;
    private boolean closed;

    private AfPacketPort(InterfaceInfo info, int fd, int kickSink, Arena mappingArena, MemorySegment ring,
                         RxRingGeometry rxShape, boolean v2, int txSlotSize, int txSlots,
                         boolean fanoutIgnoresOutgoing) {
        this.info = info;
        this.fd = fd;
        this.kickSink = kickSink;
        this.mappingArena = mappingArena;
        long rxBytes = (long) rxShape.blockSize() * rxShape.blockCount();
        this.tx = new TxRing(ring, rxBytes, txSlotSize, txSlots, counters, v2);
        this.mtu = new PortMtu(info.mtu(), tx.maxFrameLength() - ETHERNET_WITH_TAG);
        this.rx = v2 ? new RxRingV2(ring, rxShape.frameSize(), rxShape.frameCount(), mtu, counters)
                : new RxRingV3(ring, rxShape.blockSize(), rxShape.blockCount(), mtu, counters);
        this.flushCapture = Libc.newCapture(mappingArena);
        this.fanoutIgnoresOutgoing = fanoutIgnoresOutgoing;
    }

    static AfPacketPort open(String ifName, PortOptions options) throws IOException {
        int fd = Libc.socket(AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        Arena arena = null;
        try {
            InterfaceInfo info = InterfaceInfo.query(fd, ifName);
            boolean v2 = options.rxLayout() == RxRingLayout.FRAMES;
            if (v2) Libc.setsockoptInt(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION TPACKET_V2");
            else Libc.setsockoptInt(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3, "PACKET_VERSION TPACKET_V3");
            // A malformed transmit frame is skipped instead of stopping the ring (PACKET_LOSS must precede the ring).
            Libc.setsockoptInt(fd, SOL_PACKET, PACKET_LOSS, 1, "PACKET_LOSS");
            // Each transmit slot starts with a virtio_net_hdr whose hdr_len tells the kernel to copy the whole
            // frame into the skb (see TxRing): must precede the rings.
            Libc.setsockoptInt(fd, SOL_PACKET, PACKET_VNET_HDR, 1, "PACKET_VNET_HDR");

            RxRingGeometry rxShape = RxRingGeometry.of(options.rxLayout(), info.mtu(), options.blockSize(),
                    options.blockCount());
            // PACKET_RESERVE must precede the ring; with one frame per block it is what keeps frames apart.
            if (rxShape.reserve() > 0) {
                Libc.setsockoptInt(fd, SOL_PACKET, PACKET_RESERVE, rxShape.reserve(), "PACKET_RESERVE");
            }
            long rxBytes = (long) rxShape.blockSize() * rxShape.blockCount();
            setRing(fd, PACKET_RX_RING, rxShape.blockSize(), rxShape.blockCount(), rxShape.frameSize(),
                    rxShape.frameCount(), v2 ? 0 : options.blockTimeoutMillis(),
                    "PACKET_RX_RING " + rxShape.blockCount() + " x " + rxShape.blockSize());

            int slotSize = txSlotSize(options.frameSize(), info.mtu());
            int txBlockSize = Math.max(PAGE, slotSize);
            int slotsPerBlock = txBlockSize / slotSize;
            int txBlocks = (options.txFrames() + slotsPerBlock - 1) / slotsPerBlock;
            int txSlots = txBlocks * slotsPerBlock;
            setRing(fd, PACKET_TX_RING, txBlockSize, txBlocks, slotSize, txSlots, 0,
                    "PACKET_TX_RING " + txSlots + " x " + slotSize);

            long mappedBytes = rxBytes + (long) txBlockSize * txBlocks;
            long address = Libc.mmapShared(fd, mappedBytes, "AF_PACKET rings of " + ifName);
            arena = Arena.ofShared();
            // Closing the arena unmaps. The rings themselves are walked through a global-scope view of the same
            // memory: a shared-arena segment pays a liveness check on every access (about a third of the parse
            // cost in PacketRewriteBenchmark). The price is that close() must only run once the port's worker
            // has stopped, which is the PacketPort contract (single owner thread) and what Daemon.close does.
            MemorySegment.ofAddress(address).reinterpret(mappedBytes, arena, unused -> Libc.munmap(address, mappedBytes));
            MemorySegment ring = MemorySegment.ofAddress(address).reinterpret(mappedBytes);

            attachFilter(fd, options.filter());
            Libc.setsockoptInt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING");
            if (options.qdiscBypass()) {
                Libc.setsockoptInt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            }
            bindToInterface(fd, info.ifIndex(), ifName);
            boolean fanoutIgnoresOutgoing = true;
            if (options.fanoutGroupId() != 0) fanoutIgnoresOutgoing = joinFanout(fd, options.fanoutGroupId());
            return new AfPacketPort(info, fd, -1, arena, ring, rxShape, v2, slotSize, txSlots, fanoutIgnoresOutgoing);
        } catch (IOException | RuntimeException e) {
            if (arena != null) arena.close();
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * A port of this class without a packet socket: its rings live in memory of its own, frames arrive only by
     * {@link #inject}, and what it sends is dropped. The forwarding warm-up runs through it, so what the JIT
     * compiles from it is compiled for the class the real ports have, on the same branches: its flush kicks a
     * real socket (one end of a UNIX datagram pair, which takes the empty kick as a packet socket does) and
     * {@link #settle} then plays the kernel's part.
     */
    static AfPacketPort detached(String name, int ifIndex, long mac, int mtu, RxRingLayout layout) throws IOException {
        RxRingGeometry rxShape = RxRingGeometry.of(layout, mtu, PAGE, DETACHED_RX_BLOCKS);
        int slotSize = txSlotSize(0, mtu);
        int[] pair = Libc.socketpair(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
        Arena arena = Arena.ofShared();
        long bytes = (long) rxShape.blockSize() * rxShape.blockCount() + (long) slotSize * DETACHED_TX_SLOTS;
        // Walked through a global-scope view, as a socket's mapped rings are: the same segment class and scope.
        MemorySegment ring = MemorySegment.ofAddress(arena.allocate(bytes, PAGE).address()).reinterpret(bytes);
        return new AfPacketPort(new InterfaceInfo(name, ifIndex, mac, mtu), pair[0], pair[1], arena, ring, rxShape,
                layout == RxRingLayout.FRAMES, slotSize, DETACHED_TX_SLOTS, true);
    }

    /** Slot size: the requested one, or the next power of two that holds an MTU frame with a VLAN tag. */
    static int txSlotSize(int requested, int mtu) {
        int needed = TxRing.SLOT_HEADER + TxRing.VNET_HEADER + 14 + 4 + mtu;
        return requested >= needed ? requested : Integer.highestOneBit(needed - 1) << 1;
    }

    /** struct tpacket_req3 {block_size, block_nr, frame_size, frame_nr, retire_blk_tov, sizeof_priv, feature_req_word}. */
    private static void setRing(int fd, int option, int blockSize, int blocks, int frameSize, int frames,
                                int timeoutMillis, String what) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(28, 4);
            request.set(JAVA_INT, 0, blockSize);
            request.set(JAVA_INT, 4, blocks);
            request.set(JAVA_INT, 8, frameSize);
            request.set(JAVA_INT, 12, frames);
            request.set(JAVA_INT, 16, timeoutMillis);   // must be 0 for the TX ring
            Libc.setsockopt(fd, SOL_PACKET, option, request, what);
        }
    }

    @Override public String name() { return info.name(); }
    @Override public int ifIndex() { return info.ifIndex(); }
    @Override public long mac() { return info.mac(); }
    @Override public int mtu() { return mtu.get(); }
    @Override public int followMtu(int interfaceMtu) { return mtu.follow(interfaceMtu); }
    @Override public int pollFd() { return fd; }

    /** False only for a fanout member on a kernel without PACKET_FANOUT_FLAG_IGNORE_OUTGOING. */
    boolean ignoresOutgoing() {
        return fanoutIgnoresOutgoing;
    }

    @Override
    public int receive(FrameHandler handler, int maxFrames) {
        return rx.receive(handler, maxFrames);
    }

    /** Only a detached port takes injected frames: a kernel writes a real one's ring. */
    @Override
    public boolean inject(MemorySegment src, long offset, int length, int status) {
        if (kickSink < 0) throw new IllegalStateException(info.name() + " has a socket: the kernel fills its ring");
        return rx.inject(src, offset, length, status);
    }

    /** A detached port's kernel part after flushes: the kicks taken, every transmit slot available again. */
    @Override
    public void settle() {
        if (kickSink < 0) throw new IllegalStateException(info.name() + " has a socket: the kernel sends its frames");
        while (Libc.recv(kickSink, flushCapture, 0, Libc.MSG_DONTWAIT, flushCapture) >= 0) {
            // one empty datagram per flush
        }
        tx.releaseAll();
    }

    @Override
    public boolean send(MemorySegment src, long offset, int length) {
        return tx.put(src, offset, length);
    }

    @Override
    public void flush() {
        if (!tx.pending()) return;
        long result = Libc.flushTx(fd, flushCapture);
        if (result >= 0) {
            tx.markFlushed();
        } else {
            // EAGAIN/ENOBUFS: the slots stay SEND_REQUEST and leave at the next flush.
            counters.flushErrors++;
        }
    }

    @Override
    public void setFilter(BpfProgram program) {
        if (kickSink >= 0) return;
        try {
            attachFilter(fd, program);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized PortStats stats() {
        // The kernel resets its counters on every read, so they are summed here.
        if (!closed && kickSink < 0) {
            try {
                kernelDrops += readAndResetDrops(fd);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return counters.snapshot(kernelDrops);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        mappingArena.close();
        Libc.close(fd);
        Libc.close(kickSink);
    }

    @Override
    public String toString() {
        return (kickSink >= 0 ? "afpacket (detached):" : "afpacket:") + info.name();
    }
}
