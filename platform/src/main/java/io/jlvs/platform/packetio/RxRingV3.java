package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Reader of a TPACKET_V3 receive ring: the kernel fills whole blocks of variable-size frames and flips a block's
 * status to TP_STATUS_USER when it is full or its timeout expires; we walk its frames and give it back with
 * TP_STATUS_KERNEL. A call may stop in the middle of a block ({@code maxFrames}); the cursor resumes there.
 * <pre>
 * block:  tpacket_block_desc           frame: tpacket3_hdr
 *   +0  version                          +0  tp_next_offset   (to the next frame of the block)
 *   +4  offset_to_priv                   +12 tp_snaplen       (bytes present)
 *   +8  block_status   USER / KERNEL     +16 tp_len           (bytes on the wire)
 *   +12 num_pkts                         +20 tp_status        (CSUMNOTREADY, CSUM_VALID ...)
 *   +16 offset_to_first_pkt              +24 tp_mac           (Ethernet header, from the frame start)
 * </pre>
 */
final class RxRingV3 implements RxRing {
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final int BLOCK_STATUS = 8, BLOCK_PACKETS = 12, BLOCK_FIRST = 16;
    private static final int FRAME_NEXT = 0, FRAME_SNAPLEN = 12, FRAME_LEN = 16, FRAME_STATUS = 20, FRAME_MAC = 24;
    /** Where {@link #inject} puts its frame header (after the block descriptor) and the frame (after the header). */
    private static final int INJECT_FIRST = 48, INJECT_MAC = 96;

    private final MemorySegment ring;
    private final int blockSize;
    private final int blockCount;
    private final PortMtu mtu;
    private final PortCounters counters;

    private int block;                 // block being read
    private int framesLeftInBlock = -1; // -1: the block at 'block' has not been opened yet
    private long frameAt;              // offset of the next frame header in 'ring'

    RxRingV3(MemorySegment ring, int blockSize, int blockCount, PortMtu mtu, PortCounters counters) {
        this.ring = ring;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.mtu = mtu;
        this.counters = counters;
    }

    @Override
    public int receive(FrameHandler handler, int maxFrames) {
        int handed = 0;
        int walked = 0;
        while (walked < maxFrames) {
            long blockAt = (long) block * blockSize;
            if (framesLeftInBlock < 0) {
                // Acquire: the frames must be read after the status that publishes them.
                if (((int) INT.getAcquire(ring, blockAt + BLOCK_STATUS) & TP_STATUS_USER) == 0) break;
                framesLeftInBlock = ring.get(JAVA_INT, blockAt + BLOCK_PACKETS);
                frameAt = blockAt + ring.get(JAVA_INT, blockAt + BLOCK_FIRST);
            }
            while (framesLeftInBlock > 0 && walked < maxFrames) {
                long header = frameAt;
                int captured = ring.get(JAVA_INT, header + FRAME_SNAPLEN);
                int wireLength = ring.get(JAVA_INT, header + FRAME_LEN);
                int kernelStatus = ring.get(JAVA_INT, header + FRAME_STATUS);
                int mac = Short.toUnsignedInt(ring.get(JAVA_SHORT, header + FRAME_MAC));
                frameAt = header + ring.get(JAVA_INT, header + FRAME_NEXT);
                framesLeftInBlock--;
                walked++;
                if (captured < wireLength) {
                    counters.truncated++;   // larger than a block: forwarding half a frame would corrupt it
                    continue;
                }
                counters.countReceived(captured, mtu.get());
                handler.onFrame(ring, header + mac, captured, RxRing.statusBits(kernelStatus));
                handed++;
            }
            if (framesLeftInBlock == 0) {
                // Release: our reads of the block happen before the kernel may refill it.
                INT.setRelease(ring, blockAt + BLOCK_STATUS, TP_STATUS_KERNEL);
                block = block + 1 == blockCount ? 0 : block + 1;
                framesLeftInBlock = -1;
            }
        }
        return handed;
    }

    /** Block a port without a socket writes next (see {@link #inject}). */
    private int injectBlock;

    /**
     * The kernel's part, for a port without a socket: one frame into the next block we do not hold, published
     * with TP_STATUS_USER. The frame starts where the kernel puts an untagged one (after the block descriptor and
     * a tpacket3_hdr).
     */
    @Override
    public boolean inject(MemorySegment src, long offset, int length, int status) {
        long blockAt = (long) injectBlock * blockSize;
        long header = blockAt + INJECT_FIRST;
        if (header + INJECT_MAC + length > blockAt + blockSize) return false;
        if (((int) INT.getAcquire(ring, blockAt + BLOCK_STATUS) & TP_STATUS_USER) != 0) return false;
        ring.set(JAVA_INT, blockAt + BLOCK_PACKETS, 1);
        ring.set(JAVA_INT, blockAt + BLOCK_FIRST, INJECT_FIRST);
        ring.set(JAVA_INT, header + FRAME_NEXT, 0);
        ring.set(JAVA_INT, header + FRAME_SNAPLEN, length);
        ring.set(JAVA_INT, header + FRAME_LEN, length);
        ring.set(JAVA_INT, header + FRAME_STATUS, RxRing.kernelStatus(status));
        ring.set(JAVA_SHORT, header + FRAME_MAC, (short) INJECT_MAC);
        MemorySegment.copy(src, offset, ring, header + INJECT_MAC, length);
        INT.setRelease(ring, blockAt + BLOCK_STATUS, TP_STATUS_USER);
        injectBlock = injectBlock + 1 == blockCount ? 0 : injectBlock + 1;
        return true;
    }
}
