package io.jlvs.packets;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u8;

/**
 * Joins two TCP sequence spaces that met at a director which answered the client's handshake itself (a SYN proxy):
 * the client knows the director's initial sequence number and timestamp clock, the server its own. Toward the
 * server, the client's acknowledgement, SACK edges and echoed timestamp move into the server's spaces; toward the
 * client, the server's sequence number and timestamp move back, and its window is rescaled from the server's
 * window scale to the one the client was given. The checksum is updated incrementally, unless the frame's checksum
 * is partial (the caller then completes it over the rewritten segment).
 */
public final class TcpSplice {
    private TcpSplice() {}

    /**
     * A client's segment toward the server: ack, SACK edges += {@code seqDelta}; TSecr += {@code tsDelta}.
     *
     * @param seqDelta the server's initial sequence number minus the director's
     * @param tsDelta  the server's timestamp clock minus the director's, at the server's SYN-ACK
     */
    public static void towardServer(MemorySegment seg, long l4Offset, TcpOptions options, int seqDelta, int tsDelta,
                                    boolean partialChecksum) {
        int checksum = u16(seg, l4Offset + Tcp.CHECKSUM);
        if ((u8(seg, l4Offset + Tcp.FLAGS) & Tcp.ACK) != 0) {
            checksum = shift(seg, l4Offset + Tcp.ACK_NUMBER, seqDelta, checksum);
        }
        for (int b = 0; b < options.sackBlocks; b++) {
            checksum = shift(seg, options.sackAt + 8L * b, seqDelta, checksum);
            checksum = shift(seg, options.sackAt + 8L * b + 4, seqDelta, checksum);
        }
        if (options.timestampAt >= 0) checksum = shift(seg, options.timestampAt + 4, tsDelta, checksum);
        if (!partialChecksum) put16(seg, l4Offset + Tcp.CHECKSUM, checksum);
    }

    /**
     * A server's segment toward the client: seq -= {@code seqDelta}; TSval -= {@code tsDelta}; the window from
     * the server's scale to the client's ({@code windowShift} = server's scale - client's, either sign; a window
     * too large for the client's scale is capped at 65535).
     */
    public static void towardClient(MemorySegment seg, long l4Offset, TcpOptions options, int seqDelta, int tsDelta,
                                    int windowShift, boolean partialChecksum) {
        int checksum = shift(seg, l4Offset + Tcp.SEQ, -seqDelta, u16(seg, l4Offset + Tcp.CHECKSUM));
        if (options.timestampAt >= 0) checksum = shift(seg, options.timestampAt, -tsDelta, checksum);
        if (windowShift != 0) {
            int window = u16(seg, l4Offset + Tcp.WINDOW);
            long scaled = windowShift > 0 ? (long) window << windowShift : window >>> -windowShift;
            int rescaled = (int) Math.min(scaled, 0xFFFF);
            put16(seg, l4Offset + Tcp.WINDOW, rescaled);
            checksum = Checksums.update16(checksum, window, rescaled);
        }
        if (!partialChecksum) put16(seg, l4Offset + Tcp.CHECKSUM, checksum);
    }

    /** Adds {@code delta} to the 32-bit field at {@code at}; returns the checksum updated for it. */
    private static int shift(MemorySegment seg, long at, int delta, int checksum) {
        int old = u32(seg, at), updated = old + delta;
        put32(seg, at, updated);
        return Checksums.update32(checksum, old, updated);
    }
}
