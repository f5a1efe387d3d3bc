package io.jlvs.platform.libc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Signal dispositions the JVM will not change itself: a signal ignored when the process started (nohup ignores
 * SIGHUP) stays ignored even after a Java handler is registered for it, so the daemon resets it first.
 */
public final class Signals {
    public static final int SIGHUP = 1;
    /** SIG_IGN as signal(2) returns it. */
    private static final long SIG_IGN = 1;

    private static final MethodHandle SIGNAL = Libc.downcall("signal",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));

    private Signals() {}

    /** Sets {@code signal}'s disposition to the default; true when it was ignored until then. */
    public static boolean restoreDefault(int signal) {
        try {
            MemorySegment previous = (MemorySegment) SIGNAL.invokeExact(signal, MemorySegment.NULL);
            return previous.address() == SIG_IGN;
        } catch (Throwable t) {
            throw new IllegalStateException("signal(" + signal + ", SIG_DFL): " + t, t);
        }
    }
}
