package io.jlvs.forwarder;

import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;

import java.lang.foreign.MemorySegment;

/**
 * Frames whose next hop is still being resolved, held for up to a second as the kernel's neighbour queue holds
 * them. Without it the first reply to a new client (its SYN-ACK) would be dropped while ARP runs and the
 * connection would stall for a retransmission timeout. One per worker, fixed size, allocation-free.
 */
final class PendingFrames {
    static final int SLOTS = 64;
    static final int SLOT_BYTES = 2048;
    private static final long HOLD_NANOS = 1_000_000_000L;

    private final MemorySegment buffer = MemorySegment.ofArray(new byte[SLOTS * SLOT_BYTES]);
    private final int[] destination = new int[SLOTS];
    private final int[] length = new int[SLOTS];
    private final int[] ipBytes = new int[SLOTS];
    private final long[] deadline = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private int count;

    boolean isEmpty() { return count == 0; }

    /** Keeps a copy of a frame that is ready but for its MAC addresses; false when full or too large. */
    boolean park(MemorySegment seg, long offset, int frameLength, int ipLength, int dstV4, long nowNanos) {
        if (count == SLOTS || frameLength > SLOT_BYTES) return false;
        for (int i = 0; i < SLOTS; i++) {
            if (used[i]) continue;
            MemorySegment.copy(seg, offset, buffer, (long) i * SLOT_BYTES, frameLength);
            destination[i] = dstV4;
            length[i] = frameLength;
            ipBytes[i] = ipLength;
            deadline[i] = nowNanos + HOLD_NANOS;
            used[i] = true;
            count++;
            return true;
        }
        return false;
    }

    /** Sends the frames whose next hop is known now; drops (and counts) those held too long. */
    void retry(NextHopLookup nextHops, Egress egress, DropCounters drops, long nowNanos) {
        for (int i = 0; i < SLOTS && count > 0; i++) {
            if (!used[i]) continue;
            NextHop hop = nextHops.lookup(destination[i]);
            if (Egress.unresolved(hop)) {
                if (nowNanos - deadline[i] > 0) {
                    release(i);
                    drops.count(DropReason.NO_ROUTE);
                }
                continue;
            }
            egress.forward(buffer, (long) i * SLOT_BYTES, length[i], ipBytes[i], hop);
            release(i);
        }
    }

    private void release(int i) {
        used[i] = false;
        count--;
    }
}
