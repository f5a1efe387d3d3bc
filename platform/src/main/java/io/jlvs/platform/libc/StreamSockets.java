package io.jlvs.platform.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls on connected stream (TCP) sockets that {@link Libc} does not make: connecting, listening,
 * accepting, half-closing, resetting, and the loop calls of a relay (send without SIGPIPE, getsockopt and ioctl
 * into caller-owned memory). Same convention as {@link Libc}: set-up calls throw {@link ErrnoException}, loop calls
 * take a capture and return -errno.
 */
public final class StreamSockets {
    private StreamSockets() {}

    public static final int SOCK_STREAM = 1, IPPROTO_TCP = 6;
    /** sys/socket.h: shutdown(2)'s how. */
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    /** asm-generic/socket.h. */
    public static final int SO_ERROR = 4, SO_LINGER = 13, SO_RCVLOWAT = 18, SO_COOKIE = 57, SO_REUSEADDR = 2;
    /** linux/tcp.h: TCP_INFO fills struct tcp_info. */
    public static final int TCP_INFO = 11;
    /** linux/sockios.h: SIOCINQ (= FIONREAD) unread bytes, SIOCOUTQ bytes in the send queue (unsent and unacked). */
    public static final long SIOCINQ = 0x541B, SIOCOUTQ = 0x5411;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int EPIPE = 32, ECONNRESET = 104, ENOTCONN = 107, EINPROGRESS = 115;
    private static final int F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, O_NONBLOCK = 0x800;

    private static final MethodHandle CONNECT = Libc.downcall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle LISTEN = Libc.downcall("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle ACCEPT4 = Libc.downcall("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle GETSOCKNAME = Libc.downcall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Libc.ERRNO);
    private static final MethodHandle SHUTDOWN = Libc.downcall("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), Libc.ERRNO);
    /** The buffer as a raw address (a long in the same register as a pointer), so a partial send's rest needs no slice. */
    private static final MethodHandle SEND = Libc.downcall("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle GETSOCKOPT = Libc.downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Libc.ERRNO);
    private static final MethodHandle SETSOCKOPT = Libc.downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Libc.ERRNO);
    // ioctl and fcntl are variadic: the linker must know where the variadic part starts.
    private static final MethodHandle IOCTL = Libc.downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Libc.ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL = Libc.downcall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Libc.ERRNO, Linker.Option.firstVariadicArg(2));

    // ---- set-up calls

    /** connect(2), blocking unless the socket is non-blocking (then EINPROGRESS is an ErrnoException). */
    public static void connect(int fd, MemorySegment address, String what) throws IOException {
        Libc.orThrow("connect(" + what + ")",
                (arena, capture) -> (int) CONNECT.invokeExact(capture, fd, address, (int) address.byteSize()));
    }

    public static void listen(int fd, int backlog) throws IOException {
        Libc.orThrow("listen", (arena, capture) -> (int) LISTEN.invokeExact(capture, fd, backlog));
    }

    /** accept4(2) without the peer's address; {@code flags} SOCK_NONBLOCK, SOCK_CLOEXEC. */
    public static int accept(int fd, int flags) throws IOException {
        return (int) Libc.orThrow("accept4", (arena, capture) ->
                (int) ACCEPT4.invokeExact(capture, fd, MemorySegment.NULL, MemorySegment.NULL, flags));
    }

    /** Fills {@code address} (its whole size) with the socket's local address; returns the kernel's length. */
    public static int getsockname(int fd, MemorySegment address) throws IOException {
        return (int) Libc.orThrow("getsockname", (arena, capture) -> {
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
            int rc = (int) GETSOCKNAME.invokeExact(capture, fd, address, length);
            return rc < 0 ? rc : length.get(JAVA_INT, 0);
        });
    }

    /** Sets O_NONBLOCK, keeping the other status flags. */
    public static void setNonBlocking(int fd) throws IOException {
        int flags = (int) Libc.orThrow("fcntl(F_GETFL)", (arena, capture) -> (int) FCNTL.invokeExact(capture, fd, F_GETFL, 0));
        if ((flags & O_NONBLOCK) != 0) return;
        Libc.orThrow("fcntl(F_SETFL)", (arena, capture) -> (int) FCNTL.invokeExact(capture, fd, F_SETFL, flags | O_NONBLOCK));
    }

    /**
     * A second descriptor of the same socket (fcntl F_DUPFD_CLOEXEC): the socket stays open when the first is
     * closed, as when a connection is handed from an event loop to the splicer.
     */
    public static int duplicate(int fd) throws IOException {
        return (int) Libc.orThrow("fcntl(F_DUPFD_CLOEXEC)",
                (arena, capture) -> (int) FCNTL.invokeExact(capture, fd, F_DUPFD_CLOEXEC, 0));
    }

    /** The socket's cookie (SO_COOKIE): a 64-bit id, unique while the system runs, that BPF programs also see. */
    public static long cookie(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            Libc.getsockopt(fd, Libc.SOL_SOCKET, SO_COOKIE, value, "SO_COOKIE");
            return value.get(JAVA_LONG, 0);
        }
    }

    // ---- loop and tear-down calls: caller-owned capture, result or -errno

    /**
     * send(2) of {@code length} bytes at native address {@code address} (a segment's address() plus an offset)
     * with MSG_NOSIGNAL | MSG_DONTWAIT: bytes sent, or -errno (-EPIPE, not SIGPIPE, when the peer is gone). The
     * caller keeps the memory alive for the call.
     */
    public static long send(int fd, long address, long length, MemorySegment capture) {
        try {
            return Libc.orErrno((long) SEND.invokeExact(capture, fd, address, length, MSG_NOSIGNAL | Libc.MSG_DONTWAIT), capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /** shutdown(2): 0 or -errno. */
    public static int shutdown(int fd, int how, MemorySegment capture) {
        try {
            return (int) Libc.orErrno((int) SHUTDOWN.invokeExact(capture, fd, how), capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /**
     * getsockopt(2) into {@code value} with {@code length} (a JAVA_INT the caller owns, set to the value's size
     * here): the length the kernel wrote, or -errno.
     */
    public static int getsockopt(int fd, int level, int option, MemorySegment value, MemorySegment length,
                                 MemorySegment capture) {
        try {
            length.set(JAVA_INT, 0, (int) value.byteSize());
            int rc = (int) GETSOCKOPT.invokeExact(capture, fd, level, option, value, length);
            return rc < 0 ? (int) Libc.orErrno(rc, capture) : length.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /** setsockopt(2) of the whole {@code value}: 0 or -errno. */
    public static int setsockopt(int fd, int level, int option, MemorySegment value, MemorySegment capture) {
        try {
            return (int) Libc.orErrno((int) SETSOCKOPT.invokeExact(capture, fd, level, option, value,
                    (int) value.byteSize()), capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /** An ioctl(2) that writes one int (SIOCINQ, SIOCOUTQ) into {@code value}: 0 or -errno. */
    public static int ioctlInt(int fd, long request, MemorySegment value, MemorySegment capture) {
        try {
            return (int) Libc.orErrno((int) IOCTL.invokeExact(capture, fd, request, value), capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
