package io.jlvs.health.engine;

import io.jlvs.health.check.CheckResult;
import io.jlvs.health.check.Checker;
import io.jlvs.health.config.CheckerSpec;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One server watched by one checker outside keepalived's virtual servers (the layer-7 proxy's servers): the
 * engine's retry counting ({@link CheckerRun}: down after retry + 1 consecutive failures, up at the first pass),
 * the next check delay_loop after a verdict or delay_before_retry after a failure within the retries, and a
 * listener told of every change between up and down (before up() shows it). The server starts up, as
 * keepalived's real servers do.
 * start, close and the listener run on loop's one thread; up() and last() may be read from any thread.
 */
public final class ServerWatch implements AutoCloseable {
    /** Told, on loop, that the server went up or down, and by which check. */
    @FunctionalInterface
    public interface Listener {
        void changed(boolean up, CheckResult cause);
    }

    private final CheckerRun run;
    private final ScheduledExecutorService loop;
    private final Listener listener;
    private volatile boolean up = true;
    private volatile CheckResult last;

    /** checker is the one spec describes; the watch closes it. */
    public ServerWatch(CheckerSpec spec, Checker checker, ScheduledExecutorService loop, Listener listener) {
        this.run = new CheckerRun(spec, checker, true);
        this.loop = loop;
        this.listener = listener;
    }

    /** Schedules the first check after firstDelayNanos; on loop. */
    public void start(long firstDelayNanos) {
        schedule(firstDelayNanos);
    }

    /** Whether the server passes its checks (or has not failed them yet). */
    public boolean up() { return up; }

    /** The last verdict, or null before the first. */
    public CheckResult last() { return last; }

    /** "TCP_CHECK 10.0.0.2:80". */
    public String describe() { return run.checker.describe(); }

    /** Stops the checks and closes the checker; a verdict still on its way is dropped. On loop. */
    @Override
    public void close() {
        run.stop(true);
    }

    private void schedule(long delayNanos) {
        if (run.stopped) return;
        run.next = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (run.stopped) return;
        run.start(loop, this::onResult);
    }

    private void onResult(CheckResult result) {
        if (run.stopped) return;
        long delay = run.record(result, System.currentTimeMillis());
        last = result;
        if (run.passing != up) {
            // the listener acts first, so that whoever reads up() sees what the listener made of it
            listener.changed(run.passing, result);
            up = run.passing;
        }
        schedule(delay);
    }
}
