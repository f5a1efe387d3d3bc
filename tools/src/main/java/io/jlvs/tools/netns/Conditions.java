package io.jlvs.tools.netns;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting on a condition instead of sleeping for a guessed time: the condition is polled with a short park
 * between checks until it holds or the timeout passes. A condition may throw to fail fast (a process that
 * exited, for example) instead of running into the timeout.
 */
public final class Conditions {
    /** How long to park between two checks: short next to any timeout, long enough not to spin a core. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private Conditions() {
    }

    /**
     * Returns once {@code condition} holds; throws an {@link IllegalStateException} naming {@code description}
     * when it still does not hold after {@code timeout}.
     */
    public static void await(String description, Duration timeout, BooleanSupplier condition) {
        if (!holdsWithin(timeout, condition)) {
            throw new IllegalStateException("timed out after " + timeout + " waiting for " + description);
        }
    }

    /** Polls {@code condition} until it holds (true) or {@code timeout} passes (false). */
    public static boolean holdsWithin(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting");
            }
        }
    }
}
