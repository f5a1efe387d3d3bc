package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The user-space part of a sockmap direction, on the loop's thread: read(2) from the source, send(2) to the sink.
 * It carries what waited in the source's receive queue when the pair was spliced (bytes that arrived before the
 * caller stopped reading, perhaps the rest of an skb the caller read in part, which the sk_skb hook would mishandle:
 * without a parser the verdict gets the whole skb again, behind the strparser the rest of it is lost), and whole
 * directions the kernel cannot take. A read that returns less than it asked for (or EAGAIN) has emptied the queue
 * and so left no skb partly read: once its bytes are written, the source may enter the receivers map, from which
 * every skb comes whole, even if more skbs arrived meanwhile. The relay reads nothing after such a read.
 */
final class SockmapRelay {
    /** Buffers moved per call before letting other pairs go first. */
    private static final int BUDGET = 16;
    private static final int SPARE_CHUNKS = 16;

    /**
     * {@link #step}'s result besides DirectionMover's: the last read emptied the source's queue and the sink has
     * taken everything read; for a direction that stays in the relay, step reads on instead.
     */
    static final int DRAINED = -1;

    private final ChunkPool chunks;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);

    SockmapRelay(int chunkSize) {
        chunks = new ChunkPool(chunkSize, SPARE_CHUNKS);
    }

    /**
     * Moves what can be moved now: {@link #DRAINED}, or DirectionMover's BLOCKED (the sink is full), MORE (budget
     * spent), ENDED (the source's end reached, everything before it written), SOURCE_FAILED or SINK_FAILED.
     */
    int step(SockmapDirection d) {
        for (int round = 0; round < BUDGET; round++) {
            if (d.pending > 0) {
                long sent = StreamSockets.send(d.sink, d.chunk.address() + d.offset, d.pending, capture);
                if (sent == -Libc.EAGAIN) return DirectionMover.BLOCKED;   // the sink's EPOLLOUT brings us back
                if (sent == -Libc.EINTR) continue;
                if (sent < 0) return DirectionMover.SINK_FAILED;
                d.offset += sent;
                d.pending -= sent;
                d.relayed += sent;
                d.bytes = d.relayed;
                if (d.pending > 0) continue;
                release(d);
            }
            if (d.sourceEnded) return DirectionMover.ENDED;
            if (d.queueEmptied && !d.relayToEnd) return DRAINED;
            if (d.chunk == null) d.chunk = chunks.acquire();
            long read = Libc.read(d.source, d.chunk, chunks.chunkSize(), capture);
            if (read > 0) {
                d.offset = 0;
                d.pending = read;
                d.queueEmptied = read < chunks.chunkSize();
                continue;
            }
            release(d);
            if (read == 0) {
                d.sourceEnded = true;
                return DirectionMover.ENDED;
            }
            if (read == -Libc.EAGAIN) return DRAINED;
            if (read == -Libc.EINTR) continue;
            return DirectionMover.SOURCE_FAILED;
        }
        return DirectionMover.MORE;
    }

    /** Gives the direction's buffer back, with whatever it still held for the sink. */
    void release(SockmapDirection d) {
        if (d.chunk != null) chunks.release(d.chunk);
        d.chunk = null;
        d.pending = 0;
    }

    void close() {
        arena.close();
    }
}
