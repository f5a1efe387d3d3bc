package io.jlvs.console.metrics;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * A part of a scrape handed to a helper thread while the scraping thread does another. Whoever joins it first
 * runs it if the helper has not started it yet (the helper busy with another scrape, or refusing work), so a
 * scrape never waits for a queue and the helper being taken never blocks anything.
 */
final class Fork<T> {
    private final FutureTask<T> task;

    private Fork(Callable<T> work) {
        task = new FutureTask<>(work);
    }

    /** Hands work to helper; a helper that refuses it leaves it to join. */
    static <T> Fork<T> start(Executor helper, Callable<T> work) {
        Fork<T> fork = new Fork<>(work);
        try {
            helper.execute(fork.task);
        } catch (RejectedExecutionException e) {
            // join runs it
        }
        return fork;
    }

    /** The result: runs the work here unless it has started elsewhere, then waits for it. */
    T join() throws IOException {
        task.run(); // does nothing once the work has started or ended
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a part of the scrape", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }
}
