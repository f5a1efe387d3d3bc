package io.jlvs.forwarder.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libc calls the net package needs, bound once through FFM. Every call that can fail takes an errno
 * capture segment (see {@link #newErrnoState}) so the caller can say why it failed; callers on a loop keep one
 * such segment and reuse it instead of allocating per call.
 */
final class Libc {
    static final int AF_NETLINK = 16;
    static final int AF_INET = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_EXT_ACK = 11;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_TRUNC = 0x20;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final short POLLIN = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOBUFS = 105;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = bind("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** Without errno capture: used on the data path's miss branch, where a failed wake-up is harmless. */
    private static final MethodHandle WRITE_NO_ERRNO = LINKER.downcallHandle(LIBC.find("write").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {}

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name)),
                descriptor, Linker.Option.captureCallState("errno"));
    }

    static MemorySegment newErrnoState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static IOException failure(String what, MemorySegment state) {
        int errno = errno(state);
        return new ErrnoException(what + ": " + strerror(errno) + " (errno " + errno + ")", errno);
    }

    /** An IOException that keeps the errno, so callers can tell EAGAIN or ENOENT from real failures. */
    static final class ErrnoException extends IOException {
        final int errno;

        ErrnoException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }

    static int socket(MemorySegment st, int domain, int type, int protocol) throws IOException {
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(st, domain, type, protocol);
        } catch (Throwable t) {
            throw new IOException("socket", t);
        }
        if (fd < 0) throw failure("socket(" + domain + ", " + type + ", " + protocol + ")", st);
        return fd;
    }

    static void bind(MemorySegment st, int fd, MemorySegment address) throws IOException {
        int rc;
        try {
            rc = (int) BIND.invokeExact(st, fd, address, (int) address.byteSize());
        } catch (Throwable t) {
            throw new IOException("bind", t);
        }
        if (rc < 0) throw failure("bind", st);
    }

    static void setsockoptInt(MemorySegment st, int fd, int level, int option, int value, Arena arena) throws IOException {
        MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        setsockopt(st, fd, level, option, v);
    }

    static void setsockopt(MemorySegment st, int fd, int level, int option, MemorySegment value) throws IOException {
        int rc;
        try {
            rc = (int) SETSOCKOPT.invokeExact(st, fd, level, option, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw new IOException("setsockopt", t);
        }
        if (rc < 0) throw failure("setsockopt(level " + level + ", option " + option + ")", st);
    }

    /** Returns the byte count, or -1 with errno in {@code st}. */
    static long sendto(MemorySegment st, int fd, MemorySegment buf, long len, int flags, MemorySegment addr) {
        try {
            return (long) SENDTO.invokeExact(st, fd, buf, len, flags, addr, (int) addr.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Returns the byte count (larger than len with MSG_TRUNC), or -1 with errno in {@code st}. */
    static long recv(MemorySegment st, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECVFROM.invokeExact(st, fd, buf, len, flags, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int poll(MemorySegment st, MemorySegment fds, int count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(st, fds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int eventfd(MemorySegment st) throws IOException {
        int fd;
        try {
            fd = (int) EVENTFD.invokeExact(st, 0, EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (Throwable t) {
            throw new IOException("eventfd", t);
        }
        if (fd < 0) throw failure("eventfd", st);
        return fd;
    }

    static long read(MemorySegment st, int fd, MemorySegment buf, long len) {
        try {
            return (long) READ.invokeExact(st, fd, buf, len);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static long writeIgnoringErrors(int fd, MemorySegment buf, long len) {
        try {
            return (long) WRITE_NO_ERRNO.invokeExact(fd, buf, len);
        } catch (Throwable t) {
            return -1;
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(newErrnoState(arena), fd);
        } catch (Throwable ignored) {
            // closing is best effort: the fd is gone either way
        }
    }
}
