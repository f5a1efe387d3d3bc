package io.jlvs.health.check;

import io.jlvs.platform.libc.Libc;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checkers' event-loop threads: daemon threads at the lowest priority the kernel has (nice 19), so health
 * checks only get the CPU that packet forwarding leaves. Java's thread priority alone does nothing on Linux.
 */
final class CheckerThreads implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(CheckerThreads.class);
    static final int NICE = 19;
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable work) {
        Thread thread = new FastThreadLocalThread(() -> {
            lowerPriority();
            work.run();
        }, "jlvs-checker-" + count.incrementAndGet());
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    }

    private static void lowerPriority() {
        try {
            Libc.setCurrentThreadNice(NICE);
        } catch (Exception | LinkageError e) {
            LOG.debug("cannot lower the priority of {}: {}", Thread.currentThread().getName(), e.toString());
        }
    }
}
