package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;

/**
 * One socket on one interface, used by one worker thread: batched receive into a {@link FrameHandler}, send by
 * copying into a transmit queue that goes out at {@link #flush()}. Only {@link #setFilter} and {@link #stats} may be
 * called from another thread, and {@link #followMtu}. Implementations: {@code afpacket} (TPACKET_V3 rings via FFM, the default),
 * {@code pcap} (libpcap through pcap4j) and {@code afxdp} (AF_XDP sockets fed by an XDP program); open them with
 * {@link PacketPorts#open} or, a worker's together, {@link PacketPorts#openWorker}.
 */
public interface PacketPort extends AutoCloseable {
    /** Frame status bit: the L4 checksum holds only the pseudo-header sum (kernel TP_STATUS_CSUMNOTREADY). */
    int CSUM_PARTIAL = 1;
    /** Frame status bit: the kernel or NIC verified the checksum (TP_STATUS_CSUM_VALID). */
    int CSUM_VALID = 2;
    /** Frame status bit: the backend cannot tell (pcap): treat the checksum as possibly partial. */
    int CSUM_UNKNOWN = 4;

    String name();

    int ifIndex();

    /** Hardware address in the low 48 bits, first byte most significant. */
    long mac();

    /** The longest IP packet the port sends: its interface's MTU as last followed (read per packet, no lock). */
    int mtu();

    /**
     * The interface's MTU is now {@code mtu} (read again while the port is open): {@link #mtu()} answers it from
     * now on, but never more than the longest IP packet the port's buffers, sized when it opened, carry. May be
     * called from any thread.
     *
     * @return the MTU {@link #mtu()} answers now
     * @throws IllegalArgumentException when {@code mtu} is not positive
     */
    int followMtu(int mtu);

    /**
     * Hands every frame that is ready now, at most {@code maxFrames}, to {@code handler}; never blocks. The frame
     * memory belongs to the port and is valid only during the callback.
     *
     * @return the number of frames handed over
     */
    int receive(FrameHandler handler, int maxFrames);

    /**
     * Copies a frame into the transmit queue. It goes out at the next {@link #flush()}. An AF_XDP port queues the
     * frame its worker is handling (received on a port opened with it by {@link PacketPorts#openWorker}) where it
     * lies, without copying, the first time it is sent from its callback; the frame must then not change before
     * the callback returns.
     *
     * @return false when the queue is full or the frame is longer than a slot (both counted in {@link #stats()})
     */
    boolean send(MemorySegment src, long offset, int length);

    /** Transmits everything queued by {@link #send}: one system call per batch for AF_PACKET. */
    void flush();

    /** The descriptor to poll for readability (see {@link Poller}), or -1 if none. */
    int pollFd();

    /** Replaces the kernel socket filter atomically. */
    void setFilter(BpfProgram program);

    PortStats stats();

    /** Releases the socket and its memory; idempotent. Frames handed out earlier must no longer be touched. */
    @Override
    void close();
}
