package io.jlvs.forwarder;

import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;

/** Measures what a per-packet step allocates on the calling thread once the JIT has settled. */
final class Allocations {
    private Allocations() {}

    private static final int WARM_UP_ROUNDS = 2;

    /**
     * Runs {@code step} {@code times} times per round (its argument is the index within the round), for two
     * warm-up rounds and one measured round; returns the bytes the measured round allocated.
     */
    static long steadyStateBytes(int times, IntConsumer step) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int round = 0; round <= WARM_UP_ROUNDS; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < times; i++) step.accept(i);
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        return allocated;
    }
}
