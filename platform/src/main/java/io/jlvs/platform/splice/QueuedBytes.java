package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Moves what waits unread in a socket's receive queue to its peer, in user space, before the socket enters the
 * sockmap. The sk_skb hook mishandles an skb its reader has partly consumed: without a parser the verdict gets the
 * whole skb again (the consumed bytes are sent twice), behind the strparser the rest of it is lost. Reading to
 * EAGAIN leaves no partly consumed skb; whatever arrives afterwards comes in whole skbs, which the hook handles.
 */
final class QueuedBytes {
    private static final int BUFFER = 1 << 16;
    private static final short POLLOUT = 4;
    private static final int SEND_WAIT_MILLIS = 1000;

    private final MemorySegment capture;
    private final MemorySegment buffer;
    private final MemorySegment queued;
    private final MemorySegment pollfd;

    QueuedBytes(Arena arena) {
        capture = Libc.newCapture(arena);
        buffer = arena.allocate(BUFFER, 4096);
        queued = arena.allocate(JAVA_INT);
        pollfd = arena.allocate(Libc.POLLFD_SIZE, 8);
    }

    /** Bytes waiting unread in {@code socket}'s receive queue (SIOCINQ). */
    static int unread(int socket, Arena arena) throws IOException {
        MemorySegment value = arena.allocate(JAVA_INT);
        int rc = StreamSockets.ioctlInt(socket, StreamSockets.SIOCINQ, value, Libc.newCapture(arena));
        if (rc < 0) throw Libc.failure("ioctl(SIOCINQ)", -rc);
        return value.get(JAVA_INT, 0);
    }

    /**
     * Reads {@code from} until EAGAIN and sends it all to {@code to}, waiting up to a second in all for room in its
     * send buffer. Returns the bytes moved.
     *
     * @throws IOException when a read or send fails or the peer takes no more within the wait; the bytes moved so
     *                     far have reached the peer, in order
     */
    long moveAll(int from, int to) throws IOException {
        long moved = 0;
        long deadline = System.nanoTime() + SEND_WAIT_MILLIS * 1_000_000L;
        while (true) {
            long read = Libc.recv(from, buffer, BUFFER, Libc.MSG_DONTWAIT, capture);
            if (read == -Libc.EAGAIN || read == 0) return moved;
            if (read == -Libc.EINTR) continue;
            if (read < 0) throw Libc.failure("recv(fd " + from + ") of the bytes queued before splicing", (int) -read);
            for (long sent = 0; sent < read; ) {
                long n = StreamSockets.send(to, buffer.address() + sent, read - sent, capture);
                if (n > 0) {
                    sent += n;
                } else if (n == -Libc.EAGAIN) {
                    awaitRoom(to, deadline, moved + sent);
                } else if (n != -Libc.EINTR) {
                    throw Libc.failure("send(fd " + to + ") of the bytes queued before splicing", (int) -n);
                }
            }
            moved += read;
        }
    }

    private void awaitRoom(int socket, long deadline, long movedSoFar) throws IOException {
        int millis = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
        pollfd.set(JAVA_INT, 0, socket);
        pollfd.set(JAVA_SHORT, 4, POLLOUT);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        if (millis == 0 || Libc.poll(pollfd, 1, millis, capture) <= 0) {
            throw new IOException("fd " + socket + " took no more of the bytes queued before splicing within "
                    + SEND_WAIT_MILLIS + " ms (" + movedSoFar + " moved)");
        }
    }
}
