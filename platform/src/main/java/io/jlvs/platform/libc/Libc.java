package io.jlvs.platform.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls jlvs makes, bound once as FFM downcalls with errno captured; the packet I/O (io) and netlink
 * (net) layers both go through here. One calling convention:
 * <ul>
 * <li>set-up calls (socket, setsockopt, bind, ioctl, open, ...) allocate their own capture and throw an
 *     {@link ErrnoException} naming the call and the errno text;</li>
 * <li>calls made in a loop or on the hot path (poll, read, write, sendto, recv, flushTx) take a caller-owned
 *     capture segment ({@link #newCapture}) and return {@code -errno} on failure, so they neither allocate nor
 *     throw.</li>
 * </ul>
 */
public final class Libc {
    private Libc() {}

    public static final int EINTR = 4, EAGAIN = 11, ENOENT = 2, EBUSY = 16, ENOBUFS = 105;
    public static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public static final int IPPROTO_ICMP = 1, IPPROTO_ICMPV6 = 58;
    public static final int SIGKILL = 9;
    public static final int SOL_SOCKET = 1, SO_RCVBUF = 8, SO_RCVTIMEO = 20, SO_RCVBUFFORCE = 33;
    public static final int MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40;
    public static final int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    public static final short POLLIN = 1;
    /** struct pollfd {int fd; short events; short revents}. */
    public static final int POLLFD_SIZE = 8;

    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    /** The errno capture option, for the sibling bindings of this package. */
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));

    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle SENDTO = downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle RECVFROM = downcall("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle RECVMSG = downcall("recvmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO);
    // ioctl and open are variadic: the linker must know where the variadic part starts (x86-64 sets %al).
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle SOCKETPAIR = downcall("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    /** Without errno capture: used where a failure is harmless and the caller has no capture (wake-ups). */
    private static final MethodHandle WRITE_NO_ERRNO = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = downcall("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETTID = downcall("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SETPRIORITY = downcall("setpriority",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle KILL = downcall("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);

    /** A capture segment for the loop calls; allocate one per thread or per object and reuse it. */
    public static MemorySegment newCapture(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO_HANDLE.get(capture, 0L);
    }

    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** The exception for a failed {@code call}: "call failed: strerror (errno N)". */
    public static ErrnoException failure(String call, int errno) {
        return new ErrnoException(call + " failed: " + strerror(errno) + " (errno " + errno + ")", errno);
    }

    /** A loop call's result: {@code rc} itself, or -errno when the call failed. */
    static long orErrno(long rc, MemorySegment capture) {
        return rc < 0 ? -errno(capture) : rc;
    }

    static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    // ---- set-up calls: throw ErrnoException naming the call

    /** One downcall made with a fresh capture; {@code arena} lives for the call, for its arguments. */
    @FunctionalInterface
    interface SetUpCall {
        long invoke(Arena arena, MemorySegment capture) throws Throwable;
    }

    /** Runs {@code call}; a negative result (-1, or MAP_FAILED) becomes an ErrnoException naming {@code name}. */
    static long orThrow(String name, SetUpCall call) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = newCapture(arena);
            long rc = call.invoke(arena, capture);
            if (rc < 0) throw failure(name, errno(capture));
            return rc;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int socket(int domain, int type, int protocol) throws IOException {
        return (int) orThrow("socket(" + domain + ", " + type + ", " + protocol + ")",
                (arena, capture) -> (int) SOCKET.invokeExact(capture, domain, type, protocol));
    }

    public static void setsockopt(int fd, int level, int option, MemorySegment value, String what) throws IOException {
        orThrow("setsockopt(" + what + ")",
                (arena, capture) -> (int) SETSOCKOPT.invokeExact(capture, fd, level, option, value, (int) value.byteSize()));
    }

    public static void setsockoptInt(int fd, int level, int option, int value, String what) throws IOException {
        orThrow("setsockopt(" + what + ")", (arena, capture) -> {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            return (int) SETSOCKOPT.invokeExact(capture, fd, level, option, v, (int) v.byteSize());
        });
    }

    /** Fills {@code value} (its whole size) and returns the length the kernel wrote. */
    public static int getsockopt(int fd, int level, int option, MemorySegment value, String what) throws IOException {
        return (int) orThrow("getsockopt(" + what + ")", (arena, capture) -> {
            MemorySegment length = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
            int rc = (int) GETSOCKOPT.invokeExact(capture, fd, level, option, value, length);
            return rc < 0 ? rc : length.get(JAVA_INT, 0);
        });
    }

    public static void bind(int fd, MemorySegment address, String what) throws IOException {
        orThrow("bind(" + what + ")",
                (arena, capture) -> (int) BIND.invokeExact(capture, fd, address, (int) address.byteSize()));
    }

    /** Maps {@code length} bytes of the descriptor shared and read-write (AF_PACKET rings); returns the address. */
    public static long mmapShared(int fd, long length, String what) throws IOException {
        // MAP_FAILED is (void *) -1; user-space addresses are below 2^47, so every mapping is positive
        return orThrow("mmap(" + what + ", " + length + " bytes)", (arena, capture) -> ((MemorySegment) MMAP.invokeExact(
                capture, MemorySegment.NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L)).address());
    }

    /** Maps {@code length} bytes at {@code offset} of the descriptor, shared and read-write (AF_XDP rings). */
    public static long mmapShared(int fd, long length, long offset, String what) throws IOException {
        return orThrow("mmap(" + what + ", " + length + " bytes)", (arena, capture) -> ((MemorySegment) MMAP.invokeExact(
                capture, MemorySegment.NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset)).address());
    }

    /** Best effort: used on close paths, where there is nothing better to do with a failure. */
    public static void munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) MUNMAP.invokeExact(newCapture(arena), MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Best effort, and a no-op for a negative descriptor: the fd is gone either way. */
    public static void close(int fd) {
        if (fd < 0) return;
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) CLOSE.invokeExact(newCapture(arena), fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void ioctl(int fd, long request, MemorySegment argument, String what) throws IOException {
        orThrow("ioctl(" + what + ")", (arena, capture) -> (int) IOCTL.invokeExact(capture, fd, request, argument));
    }

    public static int open(String path, int flags) throws IOException {
        return (int) orThrow("open(" + path + ")",
                (arena, capture) -> (int) OPEN.invokeExact(capture, arena.allocateFrom(path), flags));
    }

    public static void setns(int fd, int nsType, String what) throws IOException {
        orThrow("setns(" + what + ")", (arena, capture) -> (int) SETNS.invokeExact(capture, fd, nsType));
    }

    /**
     * Sets the nice value of the calling platform thread only (Linux schedules threads as tasks: PRIO_PROCESS
     * with a thread id). Used to keep control-plane work such as a million-row listing from taking CPU that the
     * forwarding workers need.
     */
    public static void setCurrentThreadNice(int nice) throws IOException {
        orThrow("setpriority(thread, " + nice + ")", (arena, capture) -> {
            int tid = (int) GETTID.invokeExact();
            return (int) SETPRIORITY.invokeExact(capture, PRIO_PROCESS, tid, nice);
        });
    }

    /** kill(2): sends signal to pid, or to the process group -pid when pid is negative. */
    public static void kill(int pid, int signal) throws IOException {
        orThrow("kill(" + pid + ", " + signal + ")", (arena, capture) -> (int) KILL.invokeExact(capture, pid, signal));
    }

    /** socketpair(2): two connected sockets of {@code domain} and {@code type}, as {first, second}. */
    public static int[] socketpair(int domain, int type) throws IOException {
        int[] fds = new int[2];
        orThrow("socketpair", (arena, capture) -> {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            int rc = (int) SOCKETPAIR.invokeExact(capture, domain, type, 0, pair);
            fds[0] = pair.getAtIndex(JAVA_INT, 0);
            fds[1] = pair.getAtIndex(JAVA_INT, 1);
            return rc;
        });
        return fds;
    }

    /** A non-blocking, close-on-exec eventfd with counter 0. */
    public static int eventfd() throws IOException {
        return (int) orThrow("eventfd",
                (arena, capture) -> (int) EVENTFD.invokeExact(capture, 0, EFD_CLOEXEC | EFD_NONBLOCK));
    }

    // ---- loop and hot-path calls: caller-owned capture, result or -errno

    /** Kicks an AF_PACKET TX ring: the kernel sends every slot marked SEND_REQUEST. Returns bytes sent or -errno. */
    public static long flushTx(int fd, MemorySegment capture) {
        try {
            return orErrno((long) SENDTO.invokeExact(capture, fd, MemorySegment.NULL, 0L, MSG_DONTWAIT,
                    MemorySegment.NULL, 0), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * An empty sendto(2) that asks the kernel to transmit a socket's ring, for loops that judge by the ring's
     * progress: the raw result (-1 on failure), errno left in {@code capture} for {@link #errnoOf}.
     */
    public static long kick(int fd, MemorySegment capture) {
        try {
            return (long) SENDTO.invokeExact(capture, fd, MemorySegment.NULL, 0L, MSG_DONTWAIT, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The errno a failed call left in {@code capture}. */
    public static int errnoOf(MemorySegment capture) {
        return errno(capture);
    }

    /** sendto(2) of {@code length} bytes to {@code address} (its whole size): bytes sent, or -errno. */
    public static long sendto(int fd, MemorySegment buf, long length, int flags, MemorySegment address,
                              MemorySegment capture) {
        try {
            return orErrno((long) SENDTO.invokeExact(capture, fd, buf, length, flags, address,
                    (int) address.byteSize()), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** recv(2): the datagram length (larger than {@code length} with MSG_TRUNC), or -errno. */
    public static long recv(int fd, MemorySegment buf, long length, int flags, MemorySegment capture) {
        try {
            return orErrno((long) RECVFROM.invokeExact(capture, fd, buf, length, flags, MemorySegment.NULL,
                    MemorySegment.NULL), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * recvmsg(2) with a struct msghdr the caller built ({@link #MSGHDR_SIZE} bytes: name, namelen, iov, iovlen,
     * control, controllen, flags at the offsets below): the datagram length, or -errno.
     */
    public static long recvmsg(int fd, MemorySegment msghdr, int flags, MemorySegment capture) {
        try {
            return orErrno((long) RECVMSG.invokeExact(capture, fd, msghdr, flags), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** struct msghdr on x86-64 and aarch64 Linux, and its fields' offsets; struct iovec is 16 bytes. */
    public static final int MSGHDR_SIZE = 56, MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24,
            MSG_CONTROL = 32, MSG_CONTROLLEN = 40, MSG_FLAGS = 48, IOVEC_SIZE = 16;
    /** struct cmsghdr: length (size_t), level, type, then the data at {@link #CMSG_DATA}, aligned to 8 bytes. */
    public static final int CMSG_LEVEL = 8, CMSG_TYPE = 12, CMSG_DATA = 16;

    /** poll(2); returns the number of ready descriptors, 0 on timeout, or -errno. */
    public static int poll(MemorySegment pollfds, int count, int timeoutMillis, MemorySegment capture) {
        try {
            return (int) orErrno((int) POLL.invokeExact(capture, pollfds, (long) count, timeoutMillis), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** read(2) into {@code buf}: bytes read, or -errno. */
    public static long read(int fd, MemorySegment buf, long length, MemorySegment capture) {
        try {
            return orErrno((long) READ.invokeExact(capture, fd, buf, length), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** write(2) from {@code buf}: bytes written, or -errno. */
    public static long write(int fd, MemorySegment buf, long length, MemorySegment capture) {
        try {
            return orErrno((long) WRITE.invokeExact(capture, fd, buf, length), capture);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** write(2) for callers that have no capture and nothing to do on failure (eventfd wake-ups); -1 on failure. */
    public static long writeIgnoringErrors(int fd, MemorySegment buf, long length) {
        try {
            return (long) WRITE_NO_ERRNO.invokeExact(fd, buf, length);
        } catch (Throwable t) {
            return -1;
        }
    }
}
