package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A TCP socket's byte counters, read into memory this object owns (one instance per thread):
 * <ul>
 * <li>struct tcp_info (linux/tcp.h, TCP_INFO): tcpi_bytes_received counts the sequence space received in order,
 *     a FIN included; tcpi_bytes_acked counts what the peer acknowledged;</li>
 * <li>SIOCINQ: bytes received and not read (a FIN not included); SIOCOUTQ: bytes written and not acknowledged.</li>
 * </ul>
 * bytes_acked + SIOCOUTQ is everything written to the socket. Two reads are not atomic, so the baselines are read
 * until the counter read first and last has not moved in between.
 */
final class TcpCounters {
    private static final int IPPROTO_TCP = 6;
    /** offsetof(struct tcp_info, tcpi_bytes_acked) and tcpi_bytes_received (Linux 4.1 and later). */
    private static final long BYTES_ACKED = 120, BYTES_RECEIVED = 128;
    private static final int TCP_INFO_SIZE = 232;
    private static final short POLLRDHUP = 0x2000;
    /** SO_MEMINFO (linux/sock_diag.h's SK_MEMINFO_* words); SK_MEMINFO_RMEM_ALLOC is the first. */
    private static final int SO_MEMINFO = 55, MEMINFO_SIZE = 64;
    private static final int ATTEMPTS = 100;

    private final MemorySegment capture;
    private final MemorySegment info;
    private final MemorySegment length;
    private final MemorySegment queue;
    private final MemorySegment pollfd;
    private final MemorySegment meminfo;

    TcpCounters(Arena arena) {
        capture = Libc.newCapture(arena);
        info = arena.allocate(TCP_INFO_SIZE, 8);
        length = arena.allocate(JAVA_INT);
        queue = arena.allocate(JAVA_INT);
        pollfd = arena.allocate(Libc.POLLFD_SIZE, 8);
        meminfo = arena.allocate(MEMINFO_SIZE, 8);
    }

    private long tcpInfo(int fd, long offset) {
        int rc = StreamSockets.getsockopt(fd, IPPROTO_TCP, StreamSockets.TCP_INFO, info, length, capture);
        if (rc < 0) return rc;
        if (rc < offset + 8) return -Libc.ENOENT;   // a kernel without the counter
        return info.get(JAVA_LONG, offset);
    }

    /** tcpi_bytes_received, or -errno. */
    long bytesReceived(int fd) {
        return tcpInfo(fd, BYTES_RECEIVED);
    }

    private long queued(int fd, long request) {
        int rc = StreamSockets.ioctlInt(fd, request, queue, capture);
        return rc < 0 ? rc : queue.get(JAVA_INT, 0);
    }

    /** Bytes written to the socket so far, never more than the truth (acked read before the queue), or -errno. */
    long written(int fd) {
        long acked = tcpInfo(fd, BYTES_ACKED);
        if (acked < 0) return acked;
        long unacked = queued(fd, StreamSockets.SIOCOUTQ);
        return unacked < 0 ? unacked : acked + unacked;
    }

    /** Bytes written to the socket so far, exactly (for a baseline), or -errno. */
    long writtenExactly(int fd) {
        for (int i = 0; i < ATTEMPTS; i++) {
            long before = tcpInfo(fd, BYTES_ACKED);
            long unacked = queued(fd, StreamSockets.SIOCOUTQ);
            long after = tcpInfo(fd, BYTES_ACKED);
            if (before < 0 || unacked < 0) return Math.min(before, unacked);
            if (before == after) return before + unacked;
        }
        return -Libc.EAGAIN;
    }

    /**
     * The payload bytes the socket has delivered to its reader so far, exactly (for a baseline), or -errno: in-order
     * bytes received, less the FIN if one came, less what waits unread. Must be read before the socket enters a
     * sockmap, whose psock answers SIOCINQ with its own queue.
     */
    long payloadConsumed(int fd) {
        for (int i = 0; i < ATTEMPTS; i++) {
            long before = bytesReceived(fd);
            long unread = queued(fd, StreamSockets.SIOCINQ);
            int fin = finReceived(fd);
            long after = bytesReceived(fd);
            if (before < 0 || unread < 0 || fin < 0) return Math.min(Math.min(before, unread), fin);
            if (before == after) return before - fin - unread;
        }
        return -Libc.EAGAIN;
    }

    /**
     * The receive memory the socket has charged and not freed (SO_MEMINFO's SK_MEMINFO_RMEM_ALLOC), or -errno: its
     * queues, and the skbs a sockmap redirect took from it and has not sent out of the peer yet (they stay charged
     * to the socket that received them until freed).
     */
    long receiveMemory(int fd) {
        int rc = StreamSockets.getsockopt(fd, Libc.SOL_SOCKET, SO_MEMINFO, meminfo, length, capture);
        if (rc < 0) return rc;
        return Integer.toUnsignedLong(meminfo.get(JAVA_INT, 0));
    }

    /** 1 if the peer's FIN has arrived (POLLRDHUP), 0 if not, or -errno. */
    int finReceived(int fd) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, POLLRDHUP);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int rc = Libc.poll(pollfd, 1, 0, capture);
        if (rc < 0) return rc;
        return (pollfd.get(JAVA_SHORT, 6) & POLLRDHUP) != 0 ? 1 : 0;
    }
}
