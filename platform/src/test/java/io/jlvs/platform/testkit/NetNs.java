package io.jlvs.platform.testkit;

import io.jlvs.platform.libc.Libc;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Moves the calling thread into a named network namespace ({@code ip netns add NAME} makes
 * /var/run/netns/NAME). setns(2) changes only the calling OS thread, so sockets it opens afterwards belong to
 * that namespace while the rest of the JVM stays where it was; the sockets keep their namespace when used from
 * other threads later.
 */
public final class NetNs {
    private static final int CLONE_NEWNET = 0x40000000;

    private NetNs() {}

    /** Enters the namespace for the rest of this thread's life. Not for virtual threads (they change carriers). */
    public static void enter(String nsName) throws IOException {
        if (Thread.currentThread().isVirtual()) throw new IllegalStateException("setns on a virtual thread");
        if (nsName.isEmpty() || nsName.contains("/")) throw new IllegalArgumentException("namespace name " + nsName);
        int fd = Libc.open("/var/run/netns/" + nsName, Libc.O_RDONLY | Libc.O_CLOEXEC);
        try {
            Libc.setns(fd, CLONE_NEWNET, "netns " + nsName);
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * Runs {@code task} on a new platform thread inside the namespace and returns its result; what it throws,
     * an {@link Error} such as a failed assertion included, is thrown here.
     */
    public static <T> T callIn(String nsName, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns-" + nsName).unstarted(() -> {
            try {
                enter(nsName);
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        thread.start();
        thread.join();
        Throwable thrown = failure.get();
        if (thrown instanceof Exception e) throw e;
        if (thrown instanceof Error e) throw e;
        return result.get();
    }
}
