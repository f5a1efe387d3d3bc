package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Writer of a TPACKET_V3 (or V2) transmit ring of fixed-size slots (frame-based; the kernel reads slots in order, so we
 * fill them in the same order). A slot is ours while its status is TP_STATUS_AVAILABLE; we copy the frame behind
 * the 48-byte tpacket3_hdr and a virtio_net_hdr, set tp_len, then publish with TP_STATUS_SEND_REQUEST. The
 * kernel sets it back to AVAILABLE once the frame has left.
 *
 * <p>Why the virtio_net_hdr (PACKET_VNET_HDR): without it the kernel copies only the Ethernet header into the skb
 * and hangs the rest of the frame off the ring pages as zero-copy fragments. Whatever receives such an skb in
 * software (a veth peer, a bridge, the local stack) must first copy those fragments into a freshly allocated page
 * and pull the IP header back into the linear area: a page allocation, a free and two copies per frame, which
 * cost more than the copy they avoid (about a tenth of the worker's time when forwarding 64-byte frames into a
 * veth). Its hdr_len set to the frame length makes the kernel copy the whole frame into the skb's linear area
 * instead. All other fields stay 0: no GSO, no checksum offload (jlvs completes checksums itself). The kernel
 * skips its MTU check for such sockets; Egress enforces the MTU before a frame gets here.
 * <pre>
 * slot: +16 tp_len   +20 tp_status   +48 virtio_net_hdr (10 bytes: flags, gso_type, hdr_len LE, ...)   +58 frame
 * V2:   +4 tp_len    +0 tp_status    +32 virtio_net_hdr                                                  +42 frame
 * </pre>
 */
final class TxRing {
    private static final VarHandle INT = JAVA_INT.varHandle();
    /** TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the kernel reads a V3 slot's data (V2: 32, less). */
    static final int SLOT_HEADER = 48;
    static final int VNET_HEADER = 10;  // sizeof(struct virtio_net_hdr)
    /** tpacket3_hdr's tp_len and tp_status; tpacket2_hdr's, and where V2 data starts. */
    private static final int V3_LEN = 16, V3_STATUS = 20, V2_LEN = 4, V2_STATUS = 0, V2_SLOT_HEADER = 32;
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int TP_STATUS_AVAILABLE = 0, TP_STATUS_SEND_REQUEST = 1;

    private final MemorySegment ring;
    private final long base;
    private final int slotSize;
    private final int slotCount;
    private final PortCounters counters;
    private final int lenAt, statusAt, dataAt;
    private int next;
    private boolean pending;

    /** @param v2 whether the socket is TPACKET_V2 (its slots' header is tpacket2_hdr), else V3 */
    TxRing(MemorySegment ring, long base, int slotSize, int slotCount, PortCounters counters, boolean v2) {
        this.lenAt = v2 ? V2_LEN : V3_LEN;
        this.statusAt = v2 ? V2_STATUS : V3_STATUS;
        this.dataAt = v2 ? V2_SLOT_HEADER : SLOT_HEADER;
        this.ring = ring;
        this.base = base;
        this.slotSize = slotSize;
        this.slotCount = slotCount;
        this.counters = counters;
    }

    int maxFrameLength() {
        return slotSize - dataAt - VNET_HEADER;
    }

    boolean put(MemorySegment src, long offset, int length) {
        if (length > maxFrameLength() || length <= 0) {
            counters.txTooLong++;
            return false;
        }
        long slot = base + (long) next * slotSize;
        if ((int) INT.getAcquire(ring, slot + statusAt) != TP_STATUS_AVAILABLE) {
            counters.txFull++;
            return false;
        }
        // virtio_net_hdr: flags 0, gso_type 0 (none), hdr_len = length, gso_size 0, csum_start 0, csum_offset 0.
        ring.set(LONG_LE, slot + dataAt, (long) length << 16);
        ring.set(SHORT_LE, slot + dataAt + 8, (short) 0);
        MemorySegment.copy(src, offset, ring, slot + dataAt + VNET_HEADER, length);
        ring.set(JAVA_INT, slot + lenAt, length + VNET_HEADER);
        INT.setRelease(ring, slot + statusAt, TP_STATUS_SEND_REQUEST);
        next = next + 1 == slotCount ? 0 : next + 1;
        pending = true;
        counters.sent++;
        counters.sentBytes += length;
        return true;
    }

    /** Whether slots were published since the last {@link #markFlushed()}. */
    boolean pending() {
        return pending;
    }

    void markFlushed() {
        pending = false;
    }

    /** What the kernel does once frames have left: every slot available again (a port without a socket). */
    void releaseAll() {
        for (int i = 0; i < slotCount; i++) {
            INT.setRelease(ring, base + (long) i * slotSize + statusAt, TP_STATUS_AVAILABLE);
        }
    }
}
