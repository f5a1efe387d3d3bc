package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Reader of a TPACKET_V2 receive ring: fixed-size frame slots, each published on its own (its tp_status set to
 * TP_STATUS_USER, the socket woken) as soon as the kernel has copied the frame in, so no frame waits for another
 * or for a timer; we read it and give the slot back with TP_STATUS_KERNEL. Slots are walked in order.
 * <pre>
 * frame: tpacket2_hdr
 *   +0  tp_status   USER / KERNEL, CSUMNOTREADY, CSUM_VALID ...
 *   +4  tp_len      (bytes on the wire)
 *   +8  tp_snaplen  (bytes present)
 *   +12 tp_mac      (Ethernet header, from the slot's start; u16)
 * </pre>
 */
final class RxRingV2 implements RxRing {
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int STATUS = 0, LEN = 4, SNAPLEN = 8, MAC = 12;

    private final MemorySegment ring;
    private final int frameSize;
    private final int frameCount;
    private final PortMtu mtu;
    private final PortCounters counters;
    private int frame;        // next slot to read
    private int injectFrame;  // next slot a port without a socket writes (see inject)

    RxRingV2(MemorySegment ring, int frameSize, int frameCount, PortMtu mtu, PortCounters counters) {
        this.ring = ring;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
        this.mtu = mtu;
        this.counters = counters;
    }

    @Override
    public int receive(FrameHandler handler, int maxFrames) {
        int handed = 0;
        for (int walked = 0; walked < maxFrames; walked++) {
            long at = (long) frame * frameSize;
            // Acquire: the frame must be read after the status that publishes it.
            int kernelStatus = (int) INT.getAcquire(ring, at + STATUS);
            if ((kernelStatus & TP_STATUS_USER) == 0) break;
            int wireLength = ring.get(JAVA_INT, at + LEN);
            int captured = ring.get(JAVA_INT, at + SNAPLEN);
            int mac = Short.toUnsignedInt(ring.get(JAVA_SHORT, at + MAC));
            if (captured < wireLength) {
                counters.truncated++;   // larger than a slot: forwarding half a frame would corrupt it
            } else {
                counters.countReceived(captured, mtu.get());
                handler.onFrame(ring, at + mac, captured, RxRing.statusBits(kernelStatus));
                handed++;
            }
            // Release: our reads of the slot happen before the kernel may refill it.
            INT.setRelease(ring, at + STATUS, TP_STATUS_KERNEL);
            frame = frame + 1 == frameCount ? 0 : frame + 1;
        }
        return handed;
    }

    @Override
    public boolean inject(MemorySegment src, long offset, int length, int status) {
        long at = (long) injectFrame * frameSize;
        if (RxRingGeometry.V2_FRAME_OVERHEAD + length > frameSize) return false;
        if (((int) INT.getAcquire(ring, at + STATUS) & TP_STATUS_USER) != 0) return false;
        ring.set(JAVA_INT, at + LEN, length);
        ring.set(JAVA_INT, at + SNAPLEN, length);
        ring.set(JAVA_SHORT, at + MAC, (short) RxRingGeometry.V2_FRAME_OVERHEAD);
        MemorySegment.copy(src, offset, ring, at + RxRingGeometry.V2_FRAME_OVERHEAD, length);
        INT.setRelease(ring, at + STATUS, RxRing.kernelStatus(status));
        injectFrame = injectFrame + 1 == frameCount ? 0 : injectFrame + 1;
        return true;
    }
}
