package io.jlvs.health.check;

import io.netty.util.concurrent.FastThreadLocalThread;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checkers' event-loop threads: named daemon threads at normal priority. A check starved of CPU misses its
 * deadline and takes a healthy server out of service (measured: at nice 19 on a busy 2-core director, a quarter
 * of 1,000 servers went down falsely and stayed down), so checks run as keepalived's do; their cost is bounded by
 * the number of servers and delay_loop, not by traffic.
 */
final class CheckerThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable work) {
        Thread thread = new FastThreadLocalThread(work, "jlvs-checker-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
