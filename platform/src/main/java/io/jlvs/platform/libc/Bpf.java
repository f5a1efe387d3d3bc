package io.jlvs.platform.libc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The bpf(2) system call, which glibc does not wrap: {@code syscall(SYS_bpf, cmd, attr, size)}. The caller builds
 * the {@code union bpf_attr} for its command (linux/bpf.h) in native memory; the kernel reads {@code size} bytes of
 * it and requires every byte past the command's fields to be zero.
 */
public final class Bpf {
    private Bpf() {}

    /** asm/unistd_64.h: __NR_bpf on x86-64. */
    private static final long SYS_BPF = 321;

    // syscall(2) is variadic after the number; every argument is passed as a long, as the kernel reads registers.
    private static final MethodHandle SYSCALL = Libc.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG), Libc.ERRNO,
            Linker.Option.firstVariadicArg(1));

    /** bpf(cmd, attr, attr.byteSize()): the result (a new descriptor for the creating commands, else 0). */
    public static int call(int cmd, MemorySegment attr, String what) throws IOException {
        return (int) Libc.orThrow("bpf(" + what + ")",
                (arena, capture) -> (long) SYSCALL.invokeExact(capture, SYS_BPF, (long) cmd, attr, attr.byteSize()));
    }

    /** The same call for loops and tear-down: the result, or -errno. */
    public static int call(int cmd, MemorySegment attr, MemorySegment capture) {
        try {
            return (int) Libc.orErrno((long) SYSCALL.invokeExact(capture, SYS_BPF, (long) cmd, attr, attr.byteSize()),
                    capture);
        } catch (Throwable t) {
            throw Libc.unexpected(t);
        }
    }
}
