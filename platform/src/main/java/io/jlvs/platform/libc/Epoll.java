package io.jlvs.platform.libc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * epoll(7) through FFM. On x86-64 struct epoll_event is packed: {u32 events; u64 data} in 12 bytes, so the data word
 * sits unaligned at offset 4. Creating the set throws; ctl and wait are loop calls returning -errno.
 */
public final class Epoll {
    private Epoll() {}

    /** sys/epoll.h event bits and operations. */
    public static final int EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010,
            EPOLLRDHUP = 0x2000, EPOLLET = 1 << 31;
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = 0x80000;
    /** sizeof(struct epoll_event) on x86-64 (packed). */
    public static final int EVENT_SIZE = 12;

    private static final MethodHandle CREATE = Libc.downcall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle CTL = Libc.downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Libc.ERRNO);
    private static final MethodHandle WAIT = Libc.downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Libc.ERRNO);

    /** A close-on-exec epoll set. */
    public static int create() throws IOException {
        return (int) Libc.orThrow("epoll_create1", (arena, capture) -> (int) CREATE.invokeExact(capture, EPOLL_CLOEXEC));
    }

    /** epoll_ctl(2) with {@code event} (one EVENT_SIZE slot the caller owns, filled here): 0 or -errno. */
    public static int ctl(int epfd, int op, int fd, int events, long data, MemorySegment event, MemorySegment capture) {
        event.set(JAVA_INT_UNALIGNED, 0, events);
        event.set(JAVA_LONG_UNALIGNED, 4, data);
        try {
            return (int) Libc.orErrno((int) CTL.invokeExact(capture, epfd, op, fd, event), capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    /** epoll_wait(2): the number of events written to {@code events}, 0 on timeout, or -errno (-EINTR). */
    public static int await(int epfd, MemorySegment events, int maxEvents, int timeoutMillis, MemorySegment capture) {
        try {
            return (int) Libc.orErrno((int) WAIT.invokeExact(capture, epfd, events, maxEvents, timeoutMillis), capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }

    public static int events(MemorySegment events, int index) {
        return events.get(JAVA_INT_UNALIGNED, (long) index * EVENT_SIZE);
    }

    public static long data(MemorySegment events, int index) {
        return events.get(JAVA_LONG_UNALIGNED, (long) index * EVENT_SIZE + 4);
    }
}
