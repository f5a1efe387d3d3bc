package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Waits with poll(2) until one of several ports has frames, for a worker that serves several interfaces and has
 * nothing to do. The pollfd array lives in native memory owned by the thread, so waiting allocates nothing.
 */
public final class Poller {
    private static final ThreadLocal<Poller> PER_THREAD = ThreadLocal.withInitial(() -> new Poller(16));

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment capture = Libc.newCapture(arena);
    private MemorySegment pollfds;
    private int capacity;

    private Poller(int capacity) {
        grow(capacity);
    }

    private void grow(int newCapacity) {
        capacity = newCapacity;
        pollfds = arena.allocate((long) Libc.POLLFD_SIZE * newCapacity, 8);
    }

    /**
     * Blocks until a port is readable, the timeout passes, or a signal arrives. Ports without a descriptor are
     * skipped (poll ignores negative descriptors); with none at all this just sleeps for the timeout.
     *
     * @return the number of readable ports, 0 on timeout or interruption
     */
    public static int await(PacketPort[] ports, int timeoutMillis) {
        return PER_THREAD.get().poll(ports, timeoutMillis);
    }

    private int poll(PacketPort[] ports, int timeoutMillis) {
        if (ports.length > capacity) grow(Math.max(ports.length, capacity * 2));
        for (int i = 0; i < ports.length; i++) {
            long at = (long) i * Libc.POLLFD_SIZE;
            pollfds.set(JAVA_INT, at, ports[i].pollFd());
            pollfds.set(JAVA_SHORT, at + 4, Libc.POLLIN);
            pollfds.set(JAVA_SHORT, at + 6, (short) 0);
        }
        int ready = Libc.poll(pollfds, ports.length, timeoutMillis, capture);
        return Math.max(ready, 0);   // -EINTR: a signal; the caller's loop just goes round again
    }
}
