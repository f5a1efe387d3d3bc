package io.jlvs.platform.libc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Pipes and splice(2), for moving socket data through the kernel's page references without copying it to user space. */
public final class Pipes {
    private Pipes() {}

    /** fcntl.h: splice(2) flags. */
    public static final int SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2, SPLICE_F_MORE = 4;
    private static final int O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    /** fcntl.h: F_SETPIPE_SZ / F_GETPIPE_SZ (F_LINUX_SPECIFIC_BASE 1024 + 7, + 8). */
    private static final int F_SETPIPE_SZ = 1031;

    private static final MethodHandle PIPE2 = Libc.downcall("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle SPLICE = Libc.downcall("splice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), Libc.ERRNO);
    private static final MethodHandle FCNTL = Libc.downcall("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Libc.ERRNO, Linker.Option.firstVariadicArg(2));

    /** A non-blocking, close-on-exec pipe: {read end, write end}. */
    public static int[] open() throws IOException {
        int[] fds = new int[2];
        Libc.orThrow("pipe2", (arena, capture) -> {
            MemorySegment pair = arena.allocate(JAVA_INT, 2);
            int rc = (int) PIPE2.invokeExact(capture, pair, O_NONBLOCK | O_CLOEXEC);
            fds[0] = pair.getAtIndex(JAVA_INT, 0);
            fds[1] = pair.getAtIndex(JAVA_INT, 1);
            return rc;
        });
        return fds;
    }

    /** Sets the pipe's capacity (rounded up by the kernel to a power-of-two number of pages); returns it. */
    public static int setCapacity(int fd, int bytes) throws IOException {
        return (int) Libc.orThrow("fcntl(F_SETPIPE_SZ, " + bytes + ")",
                (arena, capture) -> (int) FCNTL.invokeExact(capture, fd, F_SETPIPE_SZ, bytes));
    }

    /** splice(2) without offsets: bytes moved, 0 at end of input, or -errno. */
    public static long splice(int in, int out, long length, int flags, MemorySegment capture) {
        try {
            return Libc.orErrno((long) SPLICE.invokeExact(capture, in, MemorySegment.NULL, out, MemorySegment.NULL,
                    length, flags), capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
