package io.jlvs.forwarder;

import io.jlvs.platform.net.Ipv6NextHopLookup;
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
    /** IPv6 destinations: both halves, and which slots hold one. */
    private final long[] destinationHi = new long[SLOTS], destinationLo = new long[SLOTS];
    private final boolean[] ipv6 = new boolean[SLOTS];
    private final int[] length = new int[SLOTS];
    private final int[] ipBytes = new int[SLOTS];
    private final long[] deadline = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private int count;

    boolean isEmpty() { return count == 0; }

    /** Keeps a copy of a frame that is ready but for its MAC addresses; false when full or too large. */
    boolean park(MemorySegment seg, long offset, int frameLength, int ipLength, int dstV4, long nowNanos) {
        int i = store(seg, offset, frameLength, ipLength, nowNanos);
        if (i < 0) return false;
        destination[i] = dstV4;
        ipv6[i] = false;
        return true;
    }

    /** As {@link #park} for a frame to an IPv6 destination. */
    boolean parkIpv6(MemorySegment seg, long offset, int frameLength, int ipLength, long dstHi, long dstLo,
                     long nowNanos) {
        int i = store(seg, offset, frameLength, ipLength, nowNanos);
        if (i < 0) return false;
        destinationHi[i] = dstHi;
        destinationLo[i] = dstLo;
        ipv6[i] = true;
        return true;
    }

    private int store(MemorySegment seg, long offset, int frameLength, int ipLength, long nowNanos) {
        if (count == SLOTS || frameLength > SLOT_BYTES) return -1;
        for (int i = 0; i < SLOTS; i++) {
            if (used[i]) continue;
            MemorySegment.copy(seg, offset, buffer, (long) i * SLOT_BYTES, frameLength);
            length[i] = frameLength;
            ipBytes[i] = ipLength;
            deadline[i] = nowNanos + HOLD_NANOS;
            used[i] = true;
            count++;
            return i;
        }
        return -1;
    }

    /** Sends the frames whose next hop is known now; drops (and counts) those held too long. */
    void retry(NextHopLookup nextHops, Ipv6NextHopLookup ipv6NextHops, Egress egress, DropCounters drops,
               long nowNanos) {
        for (int i = 0; i < SLOTS && count > 0; i++) {
            if (!used[i]) continue;
            NextHop hop = ipv6[i] ? ipv6NextHops.lookup(destinationHi[i], destinationLo[i])
                    : nextHops.lookup(destination[i]);
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
