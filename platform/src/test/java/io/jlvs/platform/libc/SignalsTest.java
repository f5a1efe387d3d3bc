package io.jlvs.platform.libc;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A SIGHUP ignored from the start (nohup) reaches a Java handler once its disposition is reset. */
class SignalsTest {
    @Test
    void anIgnoredSighupIsDeliveredToAJavaHandlerAfterTheReset() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle signal = linker.downcallHandle(linker.defaultLookup().find("signal").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        CountDownLatch handled = new CountDownLatch(1);
        SignalHandler previous = Signal.handle(new Signal("HUP"), s -> handled.countDown());
        try {
            MemorySegment ignored = (MemorySegment) signal.invokeExact(Signals.SIGHUP, MemorySegment.ofAddress(1));

            assertTrue(Signals.restoreDefault(Signals.SIGHUP), "it was ignored");
            assertFalse(Signals.restoreDefault(Signals.SIGHUP), "no longer ignored");
            Signal.handle(new Signal("HUP"), s -> handled.countDown());
            Signal.raise(new Signal("HUP"));

            assertTrue(handled.await(5, TimeUnit.SECONDS), "the Java handler ran");
        } finally {
            Signal.handle(new Signal("HUP"), previous);
        }
    }
}
