package io.jlvs.health.engine;

import io.jlvs.health.check.CheckResult;
import io.jlvs.health.check.Checker;
import io.jlvs.health.config.CheckTiming;
import io.jlvs.health.config.CheckerSpec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One checker of one real server as the engine runs it: keepalived's retry counting (the checker fails after
 * retry + 1 consecutive failed checks, a retry coming delay_before_retry after a failure) and the next run.
 * Confined to the engine's thread.
 */
final class CheckerRun {
    final CheckerSpec spec;
    final Checker checker;
    /** The checker passes (or, failing, has not yet used its retries). */
    boolean passing;
    int consecutiveFailures;
    CheckResult last;
    long lastMillis;
    ScheduledFuture<?> next;
    boolean stopped;

    CheckerRun(CheckerSpec spec, Checker checker, boolean passing) {
        this.spec = spec;
        this.checker = checker;
        this.passing = passing;
    }

    CheckTiming timing() { return spec.timing(); }

    /**
     * Starts one check; its verdict (a checker that throws or fails its future is a down result) is handed to
     * onResult on loop, and dropped when loop no longer runs.
     */
    void start(Executor loop, Consumer<CheckResult> onResult) {
        long started = System.nanoTime();
        CompletableFuture<CheckResult> check;
        try {
            check = checker.check();
        } catch (RuntimeException e) {
            check = CompletableFuture.completedFuture(CheckResult.down("checker failed: " + e, 0));
        }
        check.whenComplete((result, error) -> {
            CheckResult r = result != null ? result
                    : CheckResult.down("checker failed: " + error, System.nanoTime() - started);
            try {
                loop.execute(() -> onResult.accept(r));
            } catch (RejectedExecutionException stopping) {
                // The loop is closing: the result has nowhere to go.
            }
        });
    }

    /** Takes a result in; returns the delay in nanoseconds until the next check. */
    long record(CheckResult result, long nowMillis) {
        last = result;
        lastMillis = nowMillis;
        if (result.up()) {
            consecutiveFailures = 0;
            passing = true;
            return timing().delayLoop().toNanos();
        }
        consecutiveFailures++;
        if (consecutiveFailures > timing().retry()) {
            passing = false;
            return timing().delayLoop().toNanos();
        }
        return timing().delayBeforeRetry().toNanos();
    }

    /** Stops this run; closeChecker false hands the checker on to the run that replaces this one. */
    void stop(boolean closeChecker) {
        stopped = true;
        if (next != null) next.cancel(false);
        if (closeChecker) checker.close();
    }

    /** A run of the same checker for a reloaded server: same counters, scheduled afresh. */
    CheckerRun carriedOver() {
        CheckerRun c = new CheckerRun(spec, checker, passing);
        c.consecutiveFailures = consecutiveFailures;
        c.last = last;
        c.lastMillis = lastMillis;
        return c;
    }
}
