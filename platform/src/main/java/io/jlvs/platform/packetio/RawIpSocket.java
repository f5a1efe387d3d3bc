package io.jlvs.platform.packetio;

import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A raw IPv4 socket for one IP protocol (socket(AF_INET, SOCK_RAW, proto)): the kernel hands it a copy of every
 * locally delivered packet of that protocol, IP header included. Used to receive IP-in-IP (protocol 4) where the
 * kernel has no ipip module: with a raw socket open the kernel also stops answering "protocol unreachable".
 * One reader thread.
 */
public final class RawIpSocket implements AutoCloseable {
    public static final int IPPROTO_IPIP = 4;
    /** IPv6 encapsulated (in IPv4 or IPv6): next header 41. */
    public static final int IPPROTO_IPV6 = 41;

    private final OwnedDescriptor descriptor;
    private final MemorySegment pollFd;

    private RawIpSocket(int fd) {
        descriptor = new OwnedDescriptor(fd);
        pollFd = descriptor.allocate(Libc.POLLFD_SIZE);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, Libc.POLLIN);
    }

    /** Opens a raw socket for {@code protocol} in the calling thread's network namespace. */
    public static RawIpSocket open(int protocol) throws IOException {
        return new RawIpSocket(Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol));
    }

    /**
     * Opens a raw IPv6 socket for {@code protocol} (socket(AF_INET6, SOCK_RAW, proto)). Unlike the IPv4 one it
     * receives the payload without the IPv6 header: for protocol 41, the inner packet itself.
     */
    public static RawIpSocket openIpv6(int protocol) throws IOException {
        return new RawIpSocket(Libc.socket(Libc.AF_INET6, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol));
    }

    /**
     * Waits up to {@code timeoutMillis} for a packet and reads it into {@code buf}. Returns its length, 0 on
     * timeout or interruption; throws on a socket error.
     */
    public int receive(MemorySegment buf, int timeoutMillis) throws IOException {
        pollFd.set(JAVA_SHORT, 6, (short) 0);
        int ready = Libc.poll(pollFd, 1, timeoutMillis, descriptor.capture());
        if (ready == -Libc.EINTR || ready == 0) return 0;
        if (ready < 0) throw Libc.failure("poll(raw socket)", -ready);
        long n = Libc.read(descriptor.fd(), buf, buf.byteSize(), descriptor.capture());
        if (n == -Libc.EINTR || n == -Libc.EAGAIN) return 0;
        if (n < 0) throw Libc.failure("read(raw socket)", (int) -n);
        return (int) n;
    }

    @Override
    public void close() {
        descriptor.close();
    }
}
