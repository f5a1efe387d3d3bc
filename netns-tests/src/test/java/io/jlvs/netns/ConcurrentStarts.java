package io.jlvs.netns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starting several members of a topology (directors, say) at once: each start runs in its own thread, so that
 * their launches and JVM start-ups overlap instead of queueing. Either every member starts or none is left running.
 */
final class ConcurrentStarts {
    private ConcurrentStarts() {}

    /**
     * Runs every start at once and returns what they started, in the order given. When any start fails, the members
     * that did start are closed and the first failure is thrown (the others suppressed in it).
     */
    static <T extends AutoCloseable> List<T> all(List<Callable<T>> starts) throws Exception {
        List<Future<T>> futures;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            futures = starts.stream().map(threads::submit).toList();
        }
        List<T> started = new ArrayList<>();
        Exception failure = null;
        for (Future<T> future : futures) {
            try {
                started.add(future.get());
            } catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception x ? x : e;
                if (failure == null) failure = cause;
                else failure.addSuppressed(cause);
            }
        }
        if (failure != null) {
            for (T member : started) {
                try {
                    member.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
        return started;
    }
}
