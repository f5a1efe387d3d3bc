package io.jlvs.health.check;

import io.jlvs.platform.libc.Libc;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * One ICMP socket of an address family shared by every PING_CHECK, read on the event loop it is registered with:
 * echo requests go out with this socket's id and a sequence number per outstanding check, and replies (and for
 * IPv4 the destination unreachables quoting a request) are matched back by id and sequence. It is a ping socket
 * (SOCK_DGRAM, IPPROTO_ICMP: the kernel picks the id) where net.ipv4.ping_group_range allows, else a raw socket.
 * Everything but construction and close runs on its loop.
 */
final class PingSocket implements EpollIoHandle {
    private static final Logger LOG = LoggerFactory.getLogger(PingSocket.class);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ECHO_PAYLOAD = 8, BUFFER = 2048, EAGAIN = Libc.EAGAIN;
    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final int SOL_RAW = 255, ICMP_FILTER = 1, ICMP6_FILTER = 1;

    private final boolean ipv6;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);
    private final MemorySegment buffer = arena.allocate(BUFFER);
    private final MemorySegment request = arena.allocate(8 + ECHO_PAYLOAD);
    /** sockaddr_in6 is 28 bytes, sockaddr_in 16: reused for every request. */
    private final MemorySegment address = arena.allocate(28);
    private final int id = (int) (ProcessHandle.current().pid() & 0xFFFF);
    private final Map<Integer, CheckAttempt> outstanding = new HashMap<>();
    private final FileDescriptor fd;
    private final boolean raw;
    private final String openError;
    private int nextSequence;

    PingSocket(boolean ipv6) {
        this.ipv6 = ipv6;
        int family = ipv6 ? Libc.AF_INET6 : Libc.AF_INET;
        int protocol = ipv6 ? Libc.IPPROTO_ICMPV6 : Libc.IPPROTO_ICMP;
        int flags = Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;
        int opened = -1;
        boolean isRaw = false;
        String error = null;
        try {
            opened = Libc.socket(family, Libc.SOCK_DGRAM | flags, protocol);
        } catch (IOException dgramRefused) {
            try {
                opened = Libc.socket(family, Libc.SOCK_RAW | flags, protocol);
                isRaw = true;
            } catch (IOException rawRefused) {
                error = "cannot open an ICMP socket: " + rawRefused.getMessage();
                LOG.warn("PING_CHECK: {} (a ping socket was refused too: {})", error, dgramRefused.getMessage());
            }
        }
        if (opened >= 0) tune(opened, isRaw);
        this.fd = opened < 0 ? null : new FileDescriptor(opened);
        this.raw = isRaw;
        this.openError = error;
    }

    /**
     * A raw socket gets a copy of every ICMP message of the host: a filter keeps the echo replies (and for IPv4 the
     * destination unreachables), and a receive buffer of a few MiB holds the replies to a burst of checks until
     * the loop reads them.
     */
    private void tune(int socket, boolean isRaw) {
        try {
            try {
                Libc.setsockoptInt(socket, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, RECEIVE_BUFFER, "SO_RCVBUFFORCE");
            } catch (IOException notPrivileged) {
                Libc.setsockoptInt(socket, Libc.SOL_SOCKET, Libc.SO_RCVBUF, RECEIVE_BUFFER, "SO_RCVBUF");
            }
            if (!isRaw) return;
            if (ipv6) {
                // struct icmp6_filter: 256 bits, a set bit blocks its type; only echo replies (129) pass
                MemorySegment filter = arena.allocate(32);
                filter.fill((byte) 0xFF);
                filter.set(ValueLayout.JAVA_INT, 129 / 32 * 4, ~(1 << (129 % 32)));
                Libc.setsockopt(socket, Libc.IPPROTO_ICMPV6, ICMP6_FILTER, filter, "ICMP6_FILTER");
            } else {
                // ICMP_FILTER: a set bit blocks its type; echo replies (0) and destination unreachables (3) pass
                Libc.setsockoptInt(socket, SOL_RAW, ICMP_FILTER, ~((1 << 0) | (1 << 3)), "ICMP_FILTER");
            }
        } catch (IOException e) {
            LOG.debug("PING_CHECK: tuning the ICMP socket: {}", e.getMessage());
        }
    }

    /** Why the socket could not be opened; null when it is open. */
    String openError() { return openError; }

    @Override
    public FileDescriptor fd() { return fd; }

    /** Sends an echo request to destination for the attempt; its reply (or error) gives the verdict. */
    void echo(InetAddress destination, CheckAttempt attempt) {
        if (openError != null) {
            attempt.down(openError);
            return;
        }
        int sequence = claimSequence(attempt);
        attempt.result().whenComplete((r, e) -> outstanding.remove(sequence, attempt));
        fillRequest(sequence);
        long sent = Libc.sendto(fd.intValue(), request, request.byteSize(), Libc.MSG_DONTWAIT, sockaddr(destination),
                capture);
        if (sent < 0) attempt.fail(Libc.failure("sendto", (int) -sent));
    }

    private int claimSequence(CheckAttempt attempt) {
        int sequence;
        do {
            sequence = nextSequence;
            nextSequence = (nextSequence + 1) & 0xFFFF;
        } while (outstanding.containsKey(sequence));
        outstanding.put(sequence, attempt);
        return sequence;
    }

    private void fillRequest(int sequence) {
        request.set(ValueLayout.JAVA_BYTE, 0, (byte) (ipv6 ? 128 : 8));
        request.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
        request.set(SHORT_BE, 2, (short) 0);
        request.set(SHORT_BE, 4, (short) id);
        request.set(SHORT_BE, 6, (short) sequence);
        request.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, System.nanoTime());
        // ICMPv6's checksum covers a pseudo-header: the kernel fills it in; ICMP's is ours (ping sockets redo it)
        if (!ipv6) request.set(SHORT_BE, 2, (short) checksum(request));
    }

    private static int checksum(MemorySegment packet) {
        long sum = 0;
        for (long i = 0; i + 1 < packet.byteSize(); i += 2) sum += packet.get(SHORT_BE, i) & 0xFFFF;
        if ((packet.byteSize() & 1) != 0) sum += (packet.get(ValueLayout.JAVA_BYTE, packet.byteSize() - 1) & 0xFF) << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (int) ~sum & 0xFFFF;
    }

    private MemorySegment sockaddr(InetAddress destination) {
        byte[] bytes = destination.getAddress();
        address.fill((byte) 0);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) (ipv6 ? Libc.AF_INET6 : Libc.AF_INET));
        if (ipv6) {
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, address, 8, 16);
            address.set(ValueLayout.JAVA_INT_UNALIGNED, 24, ((Inet6Address) destination).getScopeId());
        } else {
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, address, 4, 4);
        }
        return address.asSlice(0, ipv6 ? 28 : 16);
    }

    /** Readable: reads every datagram waiting and settles the attempts they answer. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        while (true) {
            long length = Libc.recv(fd.intValue(), buffer, BUFFER, Libc.MSG_DONTWAIT, capture);
            if (length == -EAGAIN || length == -Libc.EINTR) {
                if (length == -EAGAIN) return;
                continue;
            }
            if (length < 0) {
                LOG.debug("PING_CHECK: recv failed: {}", Libc.strerror((int) -length));
                return;
            }
            received(Math.min(length, BUFFER));
        }
    }

    private void received(long length) {
        // a raw IPv4 socket hands over the IP header too; ping sockets and ICMPv6 start at the ICMP header
        int icmp = raw && !ipv6 ? (buffer.get(ValueLayout.JAVA_BYTE, 0) & 0xF) * 4 : 0;
        if (length < icmp + 8) return;
        int type = buffer.get(ValueLayout.JAVA_BYTE, icmp) & 0xFF;
        int code = buffer.get(ValueLayout.JAVA_BYTE, icmp + 1) & 0xFF;
        if (type == (ipv6 ? 129 : 0)) {
            settle(icmp + 4, length, null);
        } else if (!ipv6 && raw && type == 3 && length >= icmp + 8 + 20 + 8) {
            int quoted = icmp + 8;
            int quotedIcmp = quoted + (buffer.get(ValueLayout.JAVA_BYTE, quoted) & 0xF) * 4;
            if (length >= quotedIcmp + 8 && (buffer.get(ValueLayout.JAVA_BYTE, quotedIcmp) & 0xFF) == 8) {
                settle(quotedIcmp + 4, length, unreachable(code));
            }
        }
    }

    /** Settles the attempt whose id and sequence are at offset: up when failure is null. */
    private void settle(int offset, long length, String failure) {
        int replyId = buffer.get(SHORT_BE, offset) & 0xFFFF;
        int sequence = buffer.get(SHORT_BE, offset + 2) & 0xFFFF;
        // a ping socket's id is the kernel's, and the kernel only hands this socket its own replies
        if (raw && replyId != id) return;
        CheckAttempt attempt = outstanding.get(sequence);
        if (attempt == null) return;
        if (failure == null) attempt.up("echo reply");
        else attempt.down(failure);
    }

    private static String unreachable(int code) {
        return switch (code) {
            case 0 -> "ICMP network unreachable";
            case 1 -> "ICMP host unreachable";
            case 13 -> "ICMP administratively prohibited";
            default -> "ICMP destination unreachable (code " + code + ")";
        };
    }

    @Override
    public synchronized void close() {
        if (fd == null || !fd.isOpen()) return;
        try {
            fd.close();
        } catch (IOException e) {
            LOG.debug("PING_CHECK: closing the ICMP socket: {}", e.toString());
        }
    }
}
