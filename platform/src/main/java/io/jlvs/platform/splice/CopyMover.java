package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Epoll;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * SpliceMode.COPY: read(2) from the source into a native buffer and send(2) it to the sink (MSG_NOSIGNAL, so a
 * gone sink is -EPIPE, not SIGPIPE). A direction keeps its buffer only while the sink has not taken all of it.
 */
final class CopyMover extends DirectionMover {
    /** Buffers moved per call before letting other pairs go first. */
    private static final int BUDGET = 16;
    private static final int SPARE_CHUNKS = 64;

    private final ChunkPool chunks;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);

    CopyMover(int chunkSize) {
        chunks = new ChunkPool(chunkSize, SPARE_CHUNKS);
    }

    static final class CopyDirection extends Direction {
        MemorySegment chunk;
        long offset;
        long pending;

        CopyDirection(SplicedPair pair, int source, int sink, int sourceSide) {
            super(pair, source, sink, sourceSide);
        }
    }

    @Override
    int eventMask() {
        return Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET;
    }

    @Override
    Direction newDirection(SplicedPair pair, int source, int sink, int sourceSide) {
        return new CopyDirection(pair, source, sink, sourceSide);
    }

    @Override
    void attach(SplicedPair pair) throws IOException {
        StreamSockets.setNonBlocking(pair.first());
        StreamSockets.setNonBlocking(pair.second());
    }

    @Override
    int move(Direction direction, int sourceEvents) {
        CopyDirection d = (CopyDirection) direction;
        for (int round = 0; round < BUDGET; round++) {
            if (d.pending > 0) {
                long sent = StreamSockets.send(d.sink, d.chunk.address() + d.offset, d.pending, capture);
                if (sent == -Libc.EAGAIN) return BLOCKED;   // the sink's EPOLLOUT brings us back
                if (sent == -Libc.EINTR) continue;
                if (sent < 0) return SINK_FAILED;
                d.offset += sent;
                d.pending -= sent;
                d.bytes += sent;
                if (d.pending > 0) continue;
                chunks.release(d.chunk);
                d.chunk = null;
            }
            if (d.sourceEnded) return ENDED;
            if (d.chunk == null) d.chunk = chunks.acquire();
            long read = Libc.read(d.source, d.chunk, chunks.chunkSize(), capture);
            if (read > 0) {
                d.offset = 0;
                d.pending = read;
                continue;
            }
            chunks.release(d.chunk);
            d.chunk = null;
            if (read == 0) {
                d.sourceEnded = true;
                return ENDED;
            }
            if (read == -Libc.EAGAIN) return BLOCKED;
            if (read == -Libc.EINTR) continue;
            return SOURCE_FAILED;
        }
        return MORE;
    }

    @Override
    void detach(SplicedPair pair) {
        release((CopyDirection) pair.forward);
        release((CopyDirection) pair.backward);
    }

    private void release(CopyDirection d) {
        if (d.chunk != null) chunks.release(d.chunk);
        d.chunk = null;
        d.pending = 0;
    }

    @Override
    public void close() {
        arena.close();
    }
}
