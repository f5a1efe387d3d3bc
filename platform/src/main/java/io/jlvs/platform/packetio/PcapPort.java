package io.jlvs.platform.packetio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.RawPacketListener;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The second backend: libpcap through pcap4j, for hosts or interfaces where the rings cannot be used.
 *
 * <p>What pcap4j forces, and what is done about it:
 * <ul>
 * <li>Receive: one JNA call per batch (pcap_dispatch with a count, non-blocking), but pcap4j copies every frame
 *     into a new byte[] and JNA makes one upcall per frame; the frame is then copied into one reused native
 *     buffer so handlers see a MemorySegment like with AF_PACKET. Per-frame allocation is unavoidable here.</li>
 * <li>Send: libpcap has no batch send on Linux, so {@link #send} stages frames in native memory and
 *     {@link #flush} makes one pcap_sendpacket JNA call per frame from one reused byte[].</li>
 * <li>No immediate mode: libpcap then uses TPACKET_V2 with fixed slots sized for a 64 KiB frame (TSO/GRO
 *     interfaces), so a 4 MiB buffer holds only 64 frames. Without it libpcap uses TPACKET_V3 blocks packed with
 *     frames of their real size, handed over when full or after {@code blockTimeoutMillis}, like our own ring.</li>
 * <li>Checksum state is not visible through libpcap: every frame is flagged {@link PacketPort#CSUM_UNKNOWN}.</li>
 * <li>Own output is hidden by direction IN (pcap_setdirection); the kernel filter and the fanout group are set
 *     with FFM directly on libpcap's AF_PACKET socket, since pcap4j only takes filters as pcap expressions.</li>
 * </ul>
 */
final class PcapPort implements PacketPort, RawPacketListener {
    static {
        PcapLibrary.ensureLoaded();
    }

    private static final int SNAPLEN = 262_144;   // whole GRO/GSO super-frames

    private final InterfaceInfo info;
    private final PcapHandle handle;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rxFrame = arena.allocate(SNAPLEN, 64);
    private final PortCounters counters = new PortCounters();
    private FrameHandler currentHandler;
    private int handedInBatch;

    private final int txSlotSize;
    private final PortMtu mtu;
    private final int txSlots;
    private final MemorySegment txStaging;
    private final int[] txLengths;
    private final byte[] txFrame;
    private int txQueued;
    private boolean closed;

    private PcapPort(InterfaceInfo info, PcapHandle handle, PortOptions options) {
        this.info = info;
        this.handle = handle;
        this.fd = PcapLibrary.fileDescriptor(handle);
        this.txSlotSize = AfPacketPort.txSlotSize(options.frameSize(), info.mtu()) - TxRing.SLOT_HEADER;
        this.mtu = new PortMtu(info.mtu(), txSlotSize - AfPacketPort.ETHERNET_WITH_TAG);
        this.txSlots = options.txFrames();
        this.txStaging = arena.allocate((long) txSlotSize * txSlots, 64);
        this.txLengths = new int[txSlots];
        this.txFrame = new byte[txSlotSize];
    }

    static PcapPort open(String ifName, PortOptions options) throws IOException {
        InterfaceInfo info = InterfaceInfo.query(ifName);
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(ifName)
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(options.blockTimeoutMillis())
                    .bufferSize((int) Math.min(Integer.MAX_VALUE, (long) options.blockSize() * options.blockCount()))
                    .direction(PcapHandle.PcapDirection.IN)
                    .build();
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("pcap open of " + ifName + " failed: " + e.getMessage(), e);
        }
        PcapPort port = null;
        try {
            port = new PcapPort(info, handle, options);
            PacketSockets.attachFilter(port.fd, options.filter());
            if (options.fanoutGroupId() != 0) PacketSockets.joinFanout(port.fd, options.fanoutGroupId());
            port.discardQueued();   // frames queued between libpcap's bind and our filter
            return port;
        } catch (IOException | RuntimeException e) {
            if (port != null) port.close(); else handle.close();
            throw e;
        }
    }

    private void discardQueued() {
        int dropped;
        do {
            dropped = receive((seg, offset, length, status) -> {}, 1024);
        } while (dropped > 0);
        counters.received = counters.receivedBytes = counters.oversize = 0;
    }

    @Override public String name() { return info.name(); }
    @Override public int ifIndex() { return info.ifIndex(); }
    @Override public long mac() { return info.mac(); }
    @Override public int mtu() { return mtu.get(); }
    @Override public int followMtu(int interfaceMtu) { return mtu.follow(interfaceMtu); }
    @Override public int pollFd() { return fd; }

    @Override
    public int receive(FrameHandler handler, int maxFrames) {
        currentHandler = handler;
        handedInBatch = 0;
        try {
            handle.dispatch(maxFrames, this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PcapNativeException | NotOpenException e) {
            throw new UncheckedIOException(new IOException("pcap_dispatch on " + info.name() + ": " + e.getMessage(), e));
        } finally {
            currentHandler = null;
        }
        return handedInBatch;
    }

    /** pcap4j's per-frame upcall inside {@link #receive}. */
    @Override
    public void gotPacket(byte[] frame) {
        int length = frame.length;
        if (length > SNAPLEN) {
            counters.truncated++;
            return;
        }
        MemorySegment.copy(frame, 0, rxFrame, JAVA_BYTE, 0, length);
        counters.countReceived(length, mtu.get());
        handedInBatch++;
        currentHandler.onFrame(rxFrame, 0, length, CSUM_UNKNOWN);
    }

    @Override
    public boolean send(MemorySegment src, long offset, int length) {
        if (length > txSlotSize || length <= 0) {
            counters.txTooLong++;
            return false;
        }
        if (txQueued == txSlots) {
            counters.txFull++;
            return false;
        }
        MemorySegment.copy(src, offset, txStaging, (long) txQueued * txSlotSize, length);
        txLengths[txQueued++] = length;
        counters.sent++;
        counters.sentBytes += length;
        return true;
    }

    @Override
    public void flush() {
        int done = 0;
        try {
            for (; done < txQueued; done++) {
                int length = txLengths[done];
                MemorySegment.copy(txStaging, JAVA_BYTE, (long) done * txSlotSize, txFrame, 0, length);
                handle.sendPacket(txFrame, length);
            }
        } catch (PcapNativeException | NotOpenException e) {
            // Dropped, not retried: pcap_sendpacket does not say whether the error is transient.
            counters.flushErrors++;
        } finally {
            txQueued = 0;
        }
    }

    @Override
    public void setFilter(BpfProgram program) {
        try {
            PacketSockets.attachFilter(fd, program);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized PortStats stats() {
        long drops = 0;
        if (!closed) {
            try {
                drops = handle.getStats().getNumPacketsDropped();   // libpcap keeps the running total
            } catch (PcapNativeException | NotOpenException e) {
                throw new UncheckedIOException(new IOException("pcap_stats on " + info.name(), e));
            }
        }
        return counters.snapshot(drops);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        handle.close();
        arena.close();
    }

    @Override
    public String toString() {
        return "pcap:" + info.name();
    }
}
