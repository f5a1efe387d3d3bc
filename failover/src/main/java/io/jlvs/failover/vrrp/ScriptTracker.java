package io.jlvs.failover.vrrp;

import io.jlvs.health.config.VrrpScriptConfig;
import io.jlvs.health.script.ScriptRunner;

import java.time.Duration;
import java.util.List;
import java.util.Queue;

/**
 * One vrrp_script: run every interval (never two at once), failed after fall consecutive failures (a non-zero exit
 * or an overrun of timeout), recovered after rise consecutive successes. It starts as succeeding. The engine's
 * thread calls {@link #due}; results come back on the runner's threads and are queued for that thread.
 */
final class ScriptTracker {
    record Result(ScriptTracker tracker, boolean success) {}

    private final VrrpScriptConfig config;
    private boolean up = true;
    private int streak;
    private boolean running;
    private long nextRun;

    ScriptTracker(VrrpScriptConfig config) {
        this.config = config;
    }

    VrrpScriptConfig config() { return config; }

    boolean up() { return up; }

    long nextRun() { return running ? Long.MAX_VALUE : nextRun; }

    /** Starts the script if it is due, its result to be queued on {@code results}. */
    void due(long now, ScriptRunner runner, Queue<Result> results) {
        if (running || now < nextRun) return;
        running = true;
        nextRun = now + config.intervalSeconds() * 1_000_000_000L;
        runner.run(config.script(), List.of(), Duration.ofSeconds(config.timeoutSeconds()))
                .thenAccept(outcome -> results.add(new Result(this, outcome.exitCode() == 0 && !outcome.timedOut())));
    }

    /** A result arrived: true when the script's verdict (up or down) changed. */
    boolean record(boolean success) {
        running = false;
        if (success == up) {
            streak = 0;
            return false;
        }
        streak++;
        if (streak >= (success ? config.rise() : config.fall())) {
            up = success;
            streak = 0;
            return true;
        }
        return false;
    }
}
