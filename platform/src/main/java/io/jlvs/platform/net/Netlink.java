package io.jlvs.platform.net;

import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A NETLINK_ROUTE socket through FFM: builds a request in place ({@link #request}), then {@link #transact} sends
 * it and hands every reply message to a handler until the kernel's ACK, DONE or single answer; errors come back
 * as IOExceptions that carry the errno and the kernel's extended-ack text. A socket made by {@link #subscribe}
 * listens to multicast groups instead ({@link #receive}).
 *
 * <p>Not thread-safe: one thread uses a socket at a time. The socket belongs to the network namespace of the
 * thread that opened it, whichever thread uses it later.
 */
public final class Netlink implements AutoCloseable {
    /** Replies to one receive; the kernel sizes dump chunks at most 32 KiB, events are small. */
    private static final int RECEIVE_BUFFER = 256 * 1024;
    private static final int SOCKADDR_NL_LEN = 12;
    private static final int AF_NETLINK = 16, NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270, NETLINK_EXT_ACK = 11, NETLINK_CAP_ACK = 10;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;

    /** Receives the messages of one reply or one batch of events. */
    @FunctionalInterface
    interface MessageHandler {
        /** {@code payload} is the first byte after the nlmsghdr, {@code end} the end of this message. */
        void onMessage(int type, MemorySegment buffer, long payload, long end) throws IOException;
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);
    private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_BUFFER, 8);
    private final MemorySegment kernelAddress = arena.allocate(SOCKADDR_NL_LEN, 4);
    private final NetlinkRequest request = new NetlinkRequest(arena, 4096);
    private final RtAttributes attributes = new RtAttributes();
    private final int fd;
    private int sequence = (int) (System.nanoTime() & 0x7FFF_FFFF);
    private boolean closed;

    private Netlink(int groups) throws IOException {
        kernelAddress.set(JAVA_SHORT, 0, (short) AF_NETLINK);
        int socket = Libc.socket(AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment local = temp.allocate(SOCKADDR_NL_LEN, 4);
            local.set(JAVA_SHORT, 0, (short) AF_NETLINK);
            local.set(JAVA_INT, 8, groups);
            if (groups != 0) {
                // events arrive in bursts (a link flap re-announces every route); a large buffer avoids ENOBUFS
                try {
                    Libc.setsockoptInt(socket, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, 4 << 20, "SO_RCVBUFFORCE");
                } catch (IOException e) {
                    Libc.setsockoptInt(socket, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 4 << 20, "SO_RCVBUF");
                }
            } else {
                // a request is answered at once; a bounded wait turns a lost reply into an error, not a hang
                MemorySegment timeout = temp.allocate(16, 8);
                timeout.set(ValueLayout.JAVA_LONG, 0, 5);
                Libc.setsockopt(socket, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, "SO_RCVTIMEO");
                Libc.setsockoptInt(socket, SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
                Libc.setsockoptInt(socket, SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            }
            Libc.bind(socket, local, "netlink groups " + groups);
        } catch (IOException | RuntimeException e) {
            Libc.close(socket);
            arena.close();
            throw e;
        }
        this.fd = socket;
    }

    /** A socket for requests and dumps. */
    public static Netlink open() throws IOException {
        return new Netlink(0);
    }

    /** A socket that receives the multicast groups in {@code rtmgrpBits} (RTMGRP_* bits). */
    static Netlink subscribe(int rtmgrpBits) throws IOException {
        return new Netlink(rtmgrpBits);
    }

    int fd() {
        return fd;
    }

    RtAttributes attributes() {
        return attributes;
    }

    /** Starts a request of {@code type}; NLM_F_REQUEST is added. Fill the family header and attributes next. */
    NetlinkRequest request(int type, int flags) {
        return request.begin(type, flags | RtNetlink.NLM_F_REQUEST);
    }

    /**
     * Sends the built request and passes each reply message to {@code handler} (may be null for an ACK-only
     * request). Returns when the kernel acknowledged, finished a dump, or sent its one answer.
     */
    void transact(MessageHandler handler) throws IOException {
        int seq = ++sequence;
        int length = request.finish(seq);
        int requestType = request.type();
        int flags = Short.toUnsignedInt(request.buffer().get(JAVA_SHORT, 6));
        boolean expectsDone = (flags & RtNetlink.NLM_F_DUMP) == RtNetlink.NLM_F_DUMP || (flags & RtNetlink.NLM_F_ACK) != 0;
        long sent = Libc.sendto(fd, request.buffer(), length, 0, kernelAddress, capture);
        if (sent < 0) throw Libc.failure("netlink send " + typeName(requestType), (int) -sent);
        while (true) {
            long n = receiveInto(0, typeName(requestType));
            long at = 0;
            while (at + RtNetlink.NLMSG_HDRLEN <= n) {
                int messageLength = receiveBuffer.get(JAVA_INT, at);
                if (messageLength < RtNetlink.NLMSG_HDRLEN || at + messageLength > n) break;
                int type = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT, at + 4));
                int messageFlags = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT, at + 6));
                int messageSeq = receiveBuffer.get(JAVA_INT, at + 8);
                long end = at + messageLength;
                long payload = at + RtNetlink.NLMSG_HDRLEN;
                at += NetlinkRequest.align(messageLength);
                if (messageSeq != seq) continue; // a late answer to an earlier, abandoned request
                if (type == RtNetlink.NLMSG_ERROR) {
                    int error = receiveBuffer.get(JAVA_INT, payload);
                    if (error == 0) return;
                    throw errorReply(requestType, -error, messageFlags, payload, end);
                }
                if (type == RtNetlink.NLMSG_DONE) return;
                if (handler != null) handler.onMessage(type, receiveBuffer, payload, end);
                if (!expectsDone && (messageFlags & RtNetlink.NLM_F_MULTI) == 0) return;
            }
        }
    }

    private IOException errorReply(int requestType, int errno, int flags, long payload, long end) {
        String detail = "";
        if ((flags & NLM_F_ACK_TLVS) != 0) {
            // with NETLINK_CAP_ACK the echoed request is only its header, the TLVs follow it
            long tlvs = payload + 4 + RtNetlink.NLMSG_HDRLEN;
            String message = attributes.parse(receiveBuffer, tlvs, end).string(NLMSGERR_ATTR_MSG);
            if (message != null && !message.isEmpty()) detail = ": " + message;
        }
        return new ErrnoException(Libc.failure(typeName(requestType), errno).getMessage() + detail, errno);
    }

    /**
     * Subscription sockets: receives one datagram without waiting and passes its messages to {@code handler}.
     * Returns false when nothing was queued. Throws an ErrnoException with ENOBUFS when the kernel dropped
     * events (the caller must then re-read the state it follows).
     */
    boolean receive(MessageHandler handler) throws IOException {
        long n = receiveInto(Libc.MSG_DONTWAIT, "netlink events");
        if (n < 0) return false;
        long at = 0;
        while (at + RtNetlink.NLMSG_HDRLEN <= n) {
            int messageLength = receiveBuffer.get(JAVA_INT, at);
            if (messageLength < RtNetlink.NLMSG_HDRLEN || at + messageLength > n) break;
            int type = Short.toUnsignedInt(receiveBuffer.get(JAVA_SHORT, at + 4));
            handler.onMessage(type, receiveBuffer, at + RtNetlink.NLMSG_HDRLEN, at + messageLength);
            at += NetlinkRequest.align(messageLength);
        }
        return true;
    }

    /** Returns the datagram length, or -1 when a non-blocking receive found nothing. */
    private long receiveInto(int flags, String what) throws IOException {
        while (true) {
            long n = Libc.recv(fd, receiveBuffer, RECEIVE_BUFFER, flags | Libc.MSG_TRUNC, capture);
            if (n >= 0) {
                if (n > RECEIVE_BUFFER) throw new IOException(what + ": netlink datagram of " + n + " bytes exceeds the buffer");
                return n;
            }
            int errno = (int) -n;
            if (errno == Libc.EINTR) continue;
            if (errno == Libc.EAGAIN && (flags & Libc.MSG_DONTWAIT) != 0) return -1;
            if (errno == Libc.EAGAIN) throw new ErrnoException(what + ": no netlink reply within 5 s", errno);
            throw Libc.failure("netlink receive (" + what + ")", errno);
        }
    }

    static String typeName(int type) {
        return switch (type) {
            case RtNetlink.RTM_NEWLINK -> "RTM_NEWLINK";
            case RtNetlink.RTM_GETLINK -> "RTM_GETLINK";
            case RtNetlink.RTM_SETLINK -> "RTM_SETLINK";
            case RtNetlink.RTM_GETADDR -> "RTM_GETADDR";
            case RtNetlink.RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RtNetlink.RTM_GETROUTE -> "RTM_GETROUTE";
            case RtNetlink.RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case RtNetlink.RTM_GETNEIGH -> "RTM_GETNEIGH";
            default -> "netlink message " + type;
        };
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
        arena.close();
    }
}
