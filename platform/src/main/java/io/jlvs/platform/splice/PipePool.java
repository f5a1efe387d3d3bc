package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.Pipes;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Pipes for the splice(2) relay, owned by the loop thread (HAProxy's pipe pool). A direction holds a pipe only
 * while bytes sit in it; an empty pipe goes back here, so with no sink blocked one pipe serves every pair. Up to
 * {@code spares} empty pipes are kept open; a pipe that still holds bytes is never reused, only closed.
 */
final class PipePool implements AutoCloseable {
    /** Both ends of one pipe. */
    static final class Pipe {
        final int readEnd;
        final int writeEnd;

        Pipe(int readEnd, int writeEnd) {
            this.readEnd = readEnd;
            this.writeEnd = writeEnd;
        }
    }

    private final int capacity;
    private final int spares;
    private final ArrayDeque<Pipe> idle;

    PipePool(int capacity, int spares) {
        this.capacity = capacity;
        this.spares = spares;
        this.idle = new ArrayDeque<>(spares);
    }

    /** The size each pipe was given; the most a direction moves into its pipe at once. */
    int capacity() {
        return capacity;
    }

    Pipe acquire() throws IOException {
        Pipe pipe = idle.pollFirst();
        if (pipe != null) return pipe;
        int[] ends = Pipes.open();
        try {
            Pipes.setCapacity(ends[1], capacity);
        } catch (IOException e) {
            Libc.close(ends[0]);
            Libc.close(ends[1]);
            throw e;
        }
        return new Pipe(ends[0], ends[1]);
    }

    /** Takes back an empty pipe. */
    void release(Pipe pipe) {
        if (idle.size() < spares) idle.addFirst(pipe);
        else discard(pipe);
    }

    /** Closes a pipe that may hold bytes. */
    void discard(Pipe pipe) {
        Libc.close(pipe.readEnd);
        Libc.close(pipe.writeEnd);
    }

    /** Spare pipes open now. */
    int spareCount() {
        return idle.size();
    }

    @Override
    public void close() {
        Pipe pipe;
        while ((pipe = idle.pollFirst()) != null) discard(pipe);
    }
}
