package io.jlvs.forwarder.io;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Writer of a TPACKET_V3 transmit ring of fixed-size slots (frame-based; the kernel reads slots in order, so we
 * fill them in the same order). A slot is ours while its status is TP_STATUS_AVAILABLE; we copy the frame behind
 * the 48-byte tpacket3_hdr, set tp_len, then publish with TP_STATUS_SEND_REQUEST. The kernel sets it back to
 * AVAILABLE once the frame has left (it transmits from the ring pages without copying).
 * <pre>
 * slot: +16 tp_len   +20 tp_status   +48 frame bytes
 * </pre>
 */
final class TxRing {
    private static final VarHandle INT = JAVA_INT.varHandle();
    static final int SLOT_HEADER = 48;  // TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where the kernel reads data
    private static final int SLOT_LEN = 16, SLOT_STATUS = 20;
    private static final int TP_STATUS_AVAILABLE = 0, TP_STATUS_SEND_REQUEST = 1;

    private final MemorySegment ring;
    private final long base;
    private final int slotSize;
    private final int slotCount;
    private final PortCounters counters;
    private int next;
    private boolean pending;

    TxRing(MemorySegment ring, long base, int slotSize, int slotCount, PortCounters counters) {
        this.ring = ring;
        this.base = base;
        this.slotSize = slotSize;
        this.slotCount = slotCount;
        this.counters = counters;
    }

    int maxFrameLength() {
        return slotSize - SLOT_HEADER;
    }

    boolean put(MemorySegment src, long offset, int length) {
        if (length > slotSize - SLOT_HEADER || length <= 0) {
            counters.txTooLong++;
            return false;
        }
        long slot = base + (long) next * slotSize;
        if ((int) INT.getAcquire(ring, slot + SLOT_STATUS) != TP_STATUS_AVAILABLE) {
            counters.txFull++;
            return false;
        }
        MemorySegment.copy(src, offset, ring, slot + SLOT_HEADER, length);
        ring.set(JAVA_INT, slot + SLOT_LEN, length);
        INT.setRelease(ring, slot + SLOT_STATUS, TP_STATUS_SEND_REQUEST);
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
}
