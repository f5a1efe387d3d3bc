package io.jlvs.health.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded scheduler on virtual time: tasks run on the test's thread when the test advances the clock,
 * in time order, so an engine's timing is checked exactly and without sleeping.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean shutdown;

    final Clock clock = new Clock() {
        public ZoneOffset getZone() { return ZoneOffset.UTC; }

        public Clock withZone(java.time.ZoneId zone) { return this; }

        public Instant instant() { return Instant.ofEpochMilli(millis()); }

        public long millis() { return 1_000_000_000L + nowNanos / 1_000_000; }
    };

    /** Runs every task due up to now + d, moving the clock to each task's time. */
    void advance(java.time.Duration d) {
        long end = nowNanos + d.toNanos();
        while (!queue.isEmpty() && queue.peek().at <= end) {
            Task<?> t = queue.poll();
            nowNanos = Math.max(nowNanos, t.at);
            if (!t.isCancelled()) t.run();
        }
        nowNanos = end;
    }

    /** Runs what is due now. */
    void runDue() { advance(java.time.Duration.ZERO); }

    long nowMillis() { return clock.millis(); }

    private <V> Task<V> enqueue(Callable<V> c, long delayNanos) {
        if (shutdown) throw new java.util.concurrent.RejectedExecutionException("shut down");
        Task<V> t = new Task<>(c, nowNanos + Math.max(0, delayNanos), sequence++);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable command) { enqueue(() -> { command.run(); return null; }, 0); }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(() -> { command.run(); return null; }, unit.toNanos(delay));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(callable, unit.toNanos(delay));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return scheduleWithFixedDelay(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return enqueue(() -> {
            command.run();
            scheduleWithFixedDelay(command, delay, delay, unit);
            return null;
        }, unit.toNanos(initialDelay));
    }

    @Override public void shutdown() { shutdown = true; }

    @Override public List<Runnable> shutdownNow() { shutdown = true; queue.clear(); return List.of(); }

    @Override public boolean isShutdown() { return shutdown; }

    @Override public boolean isTerminated() { return shutdown; }

    @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return true; }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long at;
        final long seq;

        Task(Callable<V> c, long at, long seq) {
            super(c);
            this.at = at;
            this.seq = seq;
        }

        @Override
        public long getDelay(TimeUnit unit) { return unit.convert(at - nowNanos, TimeUnit.NANOSECONDS); }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            return at != t.at ? Long.compare(at, t.at) : Long.compare(seq, t.seq);
        }
    }
}
