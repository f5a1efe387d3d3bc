package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A file descriptor one object owns, with the native memory its loop calls reuse (the errno capture and any
 * small buffers), so a read or write allocates nothing. {@link #close} releases both, once, whichever thread
 * calls it.
 */
final class OwnedDescriptor implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);
    private int fd;

    OwnedDescriptor(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    /** The errno capture segment for {@link Libc}'s loop calls on this descriptor. */
    MemorySegment capture() {
        return capture;
    }

    /** Native memory that lives as long as the descriptor. */
    MemorySegment allocate(long bytes) {
        return arena.allocate(bytes, 8);
    }

    @Override
    public synchronized void close() {
        if (fd < 0) return;
        Libc.close(fd);
        fd = -1;
        arena.close();
    }
}
