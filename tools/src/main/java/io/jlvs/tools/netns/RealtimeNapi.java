package io.jlvs.tools.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Polls an interface's receive in a NAPI thread of its own (/sys/class/net/IF/threaded) and gives that thread
 * real-time priority (SCHED_FIFO 50), as a NIC's interrupt-driven receive runs ahead of every process. Without it a
 * veth's receive under load runs in softirq work the kernel defers to ksoftirqd, an ordinary thread, and frames
 * sent meanwhile are dropped at the veth's full ring. The interface must have NAPI on (GRO or an XDP program); the
 * thread goes when NAPI does.
 */
public final class RealtimeNapi {
    private static final long THREAD_WAIT_NANOS = 5_000_000_000L;

    private RealtimeNapi() {}

    /**
     * The interface's NAPI threads may exist before the switch (the kernel can keep one from an earlier threaded
     * period or create it with NAPI), so every thread named after the interface gets the priority, not only those
     * the switch started; the interface's name must not be used in another namespace meanwhile.
     */
    public static void enable(NetnsTopology network, String namespace, String iface) {
        network.threadNapi(namespace, iface);
        long deadline = System.nanoTime() + THREAD_WAIT_NANOS;
        Set<Long> threads;
        while ((threads = napiThreads(iface)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no NAPI thread of " + iface + " in " + namespace + " started (is NAPI"
                        + " on there: GRO or an XDP program?)");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        for (long pid : threads) network.check(namespace, "chrt", "-f", "-p", "50", Long.toString(pid));
    }

    /** The kernel threads named napi/IFACE-ID (kernel threads are seen from every namespace). */
    private static Set<Long> napiThreads(String iface) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> comm(p).startsWith("napi/" + iface + "-"))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return ""; // the process ended meanwhile
        }
    }
}
