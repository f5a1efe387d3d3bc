package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Epoll;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.Pipes;
import io.jlvs.platform.libc.StreamSockets;
import io.jlvs.platform.log.RateLimitedLog;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * SpliceMode.PIPE: splice(2) from the source socket into a pipe and from the pipe into the sink socket, with
 * SPLICE_F_MOVE | SPLICE_F_NONBLOCK, as HAProxy does. The pages of the received skbs are referenced by the pipe
 * and then by the sink's send queue; no byte is copied to user space.
 */
final class PipeMover extends DirectionMover {
    private static final RateLimitedLog PIPE_FAILURES =
            new RateLimitedLog(LoggerFactory.getLogger(PipeMover.class), 1, Duration.ofSeconds(10));
    /** Pipe fills moved per call before letting other pairs go first. */
    private static final int BUDGET = 16;
    private static final int SPARE_PIPES = 32;
    private static final int FLAGS = Pipes.SPLICE_F_MOVE | Pipes.SPLICE_F_NONBLOCK;

    private final PipePool pipes;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);

    PipeMover(int pipeCapacity) {
        pipes = new PipePool(pipeCapacity, SPARE_PIPES);
    }

    static final class PipeDirection extends Direction {
        PipePool.Pipe pipe;
        /** Bytes in the pipe, not yet in the sink. */
        long inPipe;

        PipeDirection(SplicedPair pair, int source, int sink, int sourceSide) {
            super(pair, source, sink, sourceSide);
        }
    }

    /** A pipe opened here to find out the capacity the kernel grants (it rounds up, and may refuse). */
    static void probe(int pipeCapacity) throws IOException {
        try (PipePool probe = new PipePool(pipeCapacity, 1)) {
            probe.release(probe.acquire());
        }
    }

    @Override
    int eventMask() {
        return Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET;
    }

    @Override
    Direction newDirection(SplicedPair pair, int source, int sink, int sourceSide) {
        return new PipeDirection(pair, source, sink, sourceSide);
    }

    @Override
    void attach(SplicedPair pair) throws IOException {
        StreamSockets.setNonBlocking(pair.first());
        StreamSockets.setNonBlocking(pair.second());
    }

    @Override
    int move(Direction direction, int sourceEvents) {
        PipeDirection d = (PipeDirection) direction;
        for (int round = 0; round < BUDGET; round++) {
            if (d.inPipe > 0) {
                long out = Pipes.splice(d.pipe.readEnd, d.sink, d.inPipe, FLAGS, capture);
                if (out == -Libc.EAGAIN) return BLOCKED;   // the sink's EPOLLOUT brings us back
                if (out == -Libc.EINTR) continue;
                if (out <= 0) return SINK_FAILED;
                d.inPipe -= out;
                d.bytes += out;
                if (d.inPipe > 0) continue;
                pipes.release(d.pipe);
                d.pipe = null;
            }
            if (d.sourceEnded) return ENDED;
            if (d.pipe == null) {
                try {
                    d.pipe = pipes.acquire();
                } catch (IOException e) {
                    PIPE_FAILURES.warn("no pipe for {}: {}; the pair is reset", d.pair, e.getMessage());
                    return SOURCE_FAILED;
                }
            }
            long in = Pipes.splice(d.source, d.pipe.writeEnd, pipes.capacity(), FLAGS, capture);
            if (in > 0) {
                d.inPipe = in;
                continue;
            }
            pipes.release(d.pipe);
            d.pipe = null;
            if (in == 0) {
                d.sourceEnded = true;
                return ENDED;
            }
            if (in == -Libc.EAGAIN) return BLOCKED;
            if (in == -Libc.EINTR) continue;
            return SOURCE_FAILED;
        }
        return MORE;
    }

    @Override
    void detach(SplicedPair pair) {
        release((PipeDirection) pair.forward);
        release((PipeDirection) pair.backward);
    }

    private void release(PipeDirection d) {
        if (d.pipe == null) return;
        if (d.inPipe == 0) pipes.release(d.pipe);
        else pipes.discard(d.pipe);
        d.pipe = null;
        d.inPipe = 0;
    }

    /** Spare pipes open now (tests count descriptors). */
    int sparePipes() {
        return pipes.spareCount();
    }

    @Override
    public void close() {
        pipes.close();
        arena.close();
    }
}
