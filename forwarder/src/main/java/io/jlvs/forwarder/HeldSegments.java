package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionTable;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Client segments of SYN-proxied connections that arrive before the real server has answered the director's SYN
 * (a client sends its request right after the handshake with the director): held for up to a second, and handed
 * to the pipeline again once the connection is spliced, instead of dropped for a retransmission timeout. One per
 * worker, fixed size; the buffer is made at the first hold, in the global arena, so that the pipeline reads held
 * frames through the segment class and scope it reads its receive rings with.
 */
final class HeldSegments {
    static final int SLOTS = 32, SLOT_BYTES = 2048;
    private static final long HOLD_NANOS = 1_000_000_000L;

    private MemorySegment buffer;
    private final long[] connection = new long[SLOTS];
    private final int[] length = new int[SLOTS];
    private final int[] status = new int[SLOTS];
    private final PacketPort[] port = new PacketPort[SLOTS];
    private final long[] deadline = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private int count;

    boolean isEmpty() { return count == 0; }

    /** Whether a segment of {@code conn} is held already (a second one is the client retransmitting). */
    boolean holds(long conn) {
        for (int i = 0; i < SLOTS && count > 0; i++) if (used[i] && connection[i] == conn) return true;
        return false;
    }

    /** Keeps a copy of the frame; false when full or too large. */
    boolean hold(long conn, MemorySegment seg, long offset, int frameLength, int frameStatus, PacketPort from,
                 long nowNanos) {
        if (count == SLOTS || frameLength > SLOT_BYTES) return false;
        if (buffer == null) buffer = Arena.global().allocate((long) SLOTS * SLOT_BYTES, 64);
        for (int i = 0; i < SLOTS; i++) {
            if (used[i]) continue;
            MemorySegment.copy(seg, offset, buffer, (long) i * SLOT_BYTES, frameLength);
            connection[i] = conn;
            length[i] = frameLength;
            status[i] = frameStatus;
            port[i] = from;
            deadline[i] = nowNanos + HOLD_NANOS;
            used[i] = true;
            count++;
            return true;
        }
        return false;
    }

    /**
     * Hands the segments of connections spliced since to {@code pipeline}; drops (and counts) those whose
     * connection ended or which waited a second.
     */
    void release(PacketPipeline pipeline, SynProxyStates states, ConnectionTable conns, DropCounters drops,
                 long nowNanos) {
        for (int i = 0; i < SLOTS && count > 0; i++) {
            if (!used[i]) continue;
            long conn = connection[i];
            boolean live = conns.isLive(conn);
            if (live && states.state((int) conn) == SynProxyStates.SPLICED) {
                free(i);
                pipeline.beginBatch(port[i], nowNanos);
                pipeline.onFrame(buffer, (long) i * SLOT_BYTES, length[i], status[i]);
            } else if (!live || nowNanos - deadline[i] > 0) {
                free(i);
                drops.count(DropReason.SYNPROXY_OPENING);
            }
        }
    }

    private void free(int i) {
        used[i] = false;
        port[i] = null;
        count--;
    }
}
