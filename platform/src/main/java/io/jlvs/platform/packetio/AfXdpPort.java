package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Epoll;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.xdp.Umem;
import io.jlvs.platform.xdp.XdpStatistics;
import io.jlvs.platform.xdp.XskAttachment;
import io.jlvs.platform.xdp.XskRing;
import io.jlvs.platform.xdp.XskSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The AF_XDP backend: one AF_XDP socket on one receive queue of an interface, fed by jlvs's XDP program
 * ({@link XskAttachment}), its frames in a UMEM shared with the worker's other AF_XDP ports ({@link AfXdpGroup}).
 * Receiving costs no system call (the rx ring is read in memory, the fill ring topped up from the free frames);
 * a frame received on one port of the group and sent on another is queued where it lies, with no copy; anything
 * else sent is copied into a free frame. Flush kicks the kernel with sendto, which in copy mode sends at most the
 * socket's transmit budget a call (the whole tx ring where the kernel lets it be raised, 32 frames otherwise):
 * EAGAIN means call again, after taking back the completed frames.
 *
 * <p>The XDP program passes ARP, IPv6 and ICMPv4 to the kernel, which needs them too; a packet socket with the
 * same filter (a small AF_PACKET port) hands those to the worker. Its descriptor and the AF_XDP socket's are both
 * in an epoll set, whose descriptor is the one to poll.
 */
final class AfXdpPort implements PacketPort {
    /** Receive ring entries; the transmit and completion rings match it, the fill ring holds every frame. */
    static final int RING_SIZE = 2048;
    /** The most sendto calls one flush makes: enough for a full ring at the smallest transmit budget, and EAGAINs. */
    private static final int KICKS_PER_FLUSH = RING_SIZE / XskSocket.DEFAULT_TRANSMIT_BUDGET + 2;
    private static final int XDP_PACKET_HEADROOM = 256;

    private final InterfaceInfo info;
    private final int queue;
    private final AfXdpGroup group;
    private final Umem umem;
    private final MemorySegment frames;
    private final XskSocket socket;
    private final XskRing fill, completion, rx, tx;
    private final XskAttachment attachment;
    private final AfPacketPort passed;
    private final int epollFd;
    private final PortCounters counters = new PortCounters();
    private final int maxFrameLength;
    private final PortMtu mtu;
    private XdpStatistics lastXdp = XdpStatistics.NONE;
    private long passedDrops;
    /** Frames sent where they were received, without a copy (read by tests). */
    long sentInPlace;
    /** sendto calls made to kick the kernel's transmission (read by tests). */
    long kicks;
    private boolean closed;

    /** The most frames one sendto moves (read by tests). */
    int transmitBudget() {
        return socket.transmitBudget();
    }

    private AfXdpPort(InterfaceInfo info, int queue, AfXdpGroup group, XskSocket socket, XskAttachment attachment,
                      AfPacketPort passed, int epollFd) {
        this.info = info;
        this.queue = queue;
        this.group = group;
        this.umem = group.umem();
        this.frames = group.memory();
        this.socket = socket;
        this.fill = socket.fill();
        this.completion = socket.completion();
        this.rx = socket.rx();
        this.tx = socket.tx();
        this.attachment = attachment;
        this.passed = passed;
        this.epollFd = epollFd;
        this.maxFrameLength = umem.frameSize() - XDP_PACKET_HEADROOM;
        this.mtu = new PortMtu(info.mtu(), maxFrameLength - AfPacketPort.ETHERNET_WITH_TAG);
    }

    /**
     * Opens one port per interface on receive queue {@code queue}, all on one new UMEM. {@code options} gives the
     * initial filter; the rest of it applies to the packet socket for what the XDP program passes.
     */
    static PacketPort[] openGroup(java.util.List<String> ifNames, int queue, PortOptions options) throws IOException {
        int framesPerPort = 2 * RING_SIZE;
        int frameCount = Integer.highestOneBit(framesPerPort * ifNames.size() - 1) << 1;
        int mtu = 0;
        for (String name : ifNames) mtu = Math.max(mtu, InterfaceInfo.query(name).mtu());
        int frameSize = frameSizeFor(mtu);
        AfXdpGroup group = new AfXdpGroup(new Umem(frameSize, frameCount));
        PacketPort[] ports = new PacketPort[ifNames.size()];
        XskSocket owner = null;
        try {
            for (int i = 0; i < ports.length; i++) {
                AfXdpPort port = open(ifNames.get(i), queue, options, group, owner, frameCount);
                if (owner == null) owner = port.socket;
                ports[i] = port;
            }
            return ports;
        } catch (IOException | RuntimeException e) {
            for (PacketPort p : ports) if (p != null) p.close();
            if (ports[0] == null) group.umem().close();
            throw e;
        }
    }

    /**
     * Refuses {@code workers} AF_XDP workers when an interface has fewer queues, before anything is opened: worker
     * N binds queue N of every interface, in both directions. An interface whose driver does not report its
     * channels is left to the kernel's bind, which refuses a queue it does not have.
     */
    static void requireQueues(java.util.List<String> ifNames, int workers) throws IOException {
        for (String name : ifNames) {
            InterfaceQueues queues = InterfaceQueues.query(name);
            if (queues == null || queues.both() >= workers) continue;
            throw new IOException("AF_XDP binds worker N to queue N of each interface, and " + name + " has "
                    + queues.receive() + " receive and " + queues.transmit() + " transmit queue(s) (ethtool -l): "
                    + workers + " workers need " + workers + " of each; use at most " + queues.both()
                    + " or give it more (ethtool -L; a veth's numrxqueues and numtxqueues)");
        }
    }

    /** The UMEM frame size that holds an MTU frame with a VLAN tag behind the kernel's XDP headroom. */
    static int frameSizeFor(int mtu) throws IOException {
        int needed = XDP_PACKET_HEADROOM + 14 + 4 + mtu;
        if (needed <= 2048) return 2048;
        if (needed <= 4096) return 4096;
        throw new IOException("AF_XDP frames are at most 4096 bytes: an MTU of " + mtu + " does not fit (use --io afpacket)");
    }

    private static AfXdpPort open(String ifName, int queue, PortOptions options, AfXdpGroup group, XskSocket owner,
                                  int frameCount) throws IOException {
        InterfaceInfo info = InterfaceInfo.query(ifName);
        XskSocket socket = null;
        XskAttachment attachment = null;
        AfPacketPort passed = null;
        int epoll = -1;
        try {
            socket = new XskSocket(group.umem(), owner, info.ifIndex(), queue, frameCount, RING_SIZE, RING_SIZE,
                    RING_SIZE, ifName);
            attachment = XskAttachment.acquire(ifName, info.ifIndex(), Math.max(64, queue + 1),
                    options.filter().sockFilters());
            attachment.register(queue, socket.fd());
            // A small ring: only ARP, ICMP and IPv6 come this way. No fanout: every worker would see them, and
            // only queue 0's worker takes them.
            passed = AfPacketPort.open(ifName, options.withFanout(0).withRing(PortOptions.MIN_BLOCK_SIZE, 4)
                    .withTx(2048, 64).withFilter(queue == 0 ? options.filter() : BpfProgram.dropAll()));
            epoll = Epoll.create();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment event = arena.allocate(Epoll.EVENT_SIZE, 4);
                MemorySegment capture = Libc.newCapture(arena);
                for (int fd : new int[] {socket.fd(), passed.pollFd()}) {
                    int rc = Epoll.ctl(epoll, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, fd, event, capture);
                    if (rc < 0) throw Libc.failure("epoll_ctl(AF_XDP port " + ifName + ")", -rc);
                }
            }
            AfXdpPort port = new AfXdpPort(info, queue, group, socket, attachment, passed, epoll);
            group.opened();
            port.refill();
            return port;
        } catch (IOException | RuntimeException e) {
            Libc.close(epoll);
            if (passed != null) passed.close();
            if (attachment != null) attachment.release();
            if (socket != null) socket.close();
            throw e;
        }
    }

    @Override public String name() { return info.name(); }
    @Override public int ifIndex() { return info.ifIndex(); }
    @Override public long mac() { return info.mac(); }
    @Override public int mtu() { return mtu.get(); }
    @Override public int followMtu(int interfaceMtu) { return mtu.follow(interfaceMtu); }
    @Override public int pollFd() { return epollFd; }

    /** Tops the fill ring up from the free frames and wakes the kernel's receive side if it asks. */
    private void refill() {
        // at most a receive ring's worth waiting per port; a few free frames stay for copies on transmit
        int wanted = Math.min(RING_SIZE - fill.outstanding(), umem.freeCount() - RING_SIZE / 4);
        if (wanted <= 0) return;
        int slots = fill.reserve(wanted);
        if (slots == 0) return;
        MemorySegment ring = fill.memory();
        for (int i = 0; i < slots; i++) ring.set(JAVA_LONG, fill.entryOffset(i), umem.take());
        fill.submit(slots);
        socket.wakeReceiveIfNeeded();
    }

    /** Takes back the frames the kernel has sent. */
    private void reclaim() {
        int done = completion.available(RING_SIZE);
        if (done == 0) return;
        MemorySegment ring = completion.memory();
        for (int i = 0; i < done; i++) umem.give(ring.get(JAVA_LONG, completion.entryOffset(i)));
        completion.release(done);
    }

    @Override
    public int receive(FrameHandler handler, int maxFrames) {
        reclaim();
        refill();
        int ready = rx.available(maxFrames);
        MemorySegment ring = rx.memory();
        for (int i = 0; i < ready; i++) {
            long at = rx.entryOffset(i);
            long address = ring.get(JAVA_LONG, at);
            int length = ring.get(JAVA_INT, at + 8);
            counters.countReceived(length, mtu.get());
            group.handing(address);
            try {
                handler.onFrame(frames, address, length, CSUM_UNKNOWN);
            } finally {
                if (!group.handed()) umem.give(address);
            }
        }
        if (ready > 0) rx.release(ready);
        return ready < maxFrames ? ready + passed.receive(handler, maxFrames - ready) : ready;
    }

    @Override
    public boolean send(MemorySegment src, long offset, int length) {
        if (length <= 0 || length > maxFrameLength) {
            counters.txTooLong++;
            return false;
        }
        if (tx.reserve(1) == 0) {
            flush();
            if (tx.reserve(1) == 0) {
                counters.txFull++;
                return false;
            }
        }
        long address;
        if (group.claimInPlace(src, offset, length)) {
            address = offset;
            sentInPlace++;
        } else {
            address = umem.take();
            if (address < 0) {
                reclaim();
                address = umem.take();
                if (address < 0) {
                    counters.txFull++;
                    return false;
                }
            }
            address += XDP_PACKET_HEADROOM;
            MemorySegment.copy(src, offset, frames, address, length);
        }
        MemorySegment ring = tx.memory();
        long at = tx.entryOffset(0);
        ring.set(JAVA_LONG, at, address);
        ring.set(JAVA_INT, at + 8, length);
        ring.set(JAVA_INT, at + 12, 0);
        tx.submit(1);
        counters.sent++;
        counters.sentBytes += length;
        return true;
    }

    @Override
    public void flush() {
        int budget = KICKS_PER_FLUSH;
        int outstanding = tx.outstanding();
        while (outstanding > 0 && budget-- > 0) {
            if (!tx.needsWakeup()) break;   // a driver that sends on its own
            boolean sent = socket.kickTransmit();
            kicks++;
            reclaim();   // a full completion ring holds transmission back (EAGAIN)
            int left = tx.outstanding();
            // EAGAIN after progress: the call's batch was used up, call again. Without progress (ENOBUFS, EBUSY, a
            // busy driver) the frames stay in the ring and leave at the next flush.
            if (!sent && left == outstanding) {
                counters.flushErrors++;
                break;
            }
            outstanding = left;
        }
        reclaim();
    }

    @Override
    public void setFilter(BpfProgram program) {
        try {
            attachment.setFilter(program.sockFilters());
        } catch (IOException e) {
            throw new UncheckedIOException("replacing the XDP program on " + info.name() + ": " + e.getMessage(), e);
        }
        if (queue == 0) passed.setFilter(program);
    }

    @Override
    public synchronized PortStats stats() {
        if (!closed) {
            try {
                lastXdp = socket.statistics();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            passedDrops = passed.stats().kernelDrops();
        }
        return counters.snapshot(lastXdp.rxDropped() + lastXdp.rxRingFull() + passedDrops, lastXdp);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.close(epollFd);
        passed.close();
        socket.close();
        attachment.release();
        group.close();
    }

    @Override
    public String toString() {
        return "afxdp:" + info.name() + " queue " + queue;
    }
}
