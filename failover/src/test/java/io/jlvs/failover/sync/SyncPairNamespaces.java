package io.jlvs.failover.sync;

import io.jlvs.platform.testkit.NetNs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces, a master's and a backup's, joined by a veth pair named {@link #INTERFACE} on both sides
 * (10.77.0.1/24 and 10.77.0.2/24); removed by close(), and at the start when a killed run left them.
 */
final class SyncPairNamespaces implements AutoCloseable {
    static final String INTERFACE = "sz0";
    final String master, backup;
    private final ExecutorService masterThread, backupThread;

    SyncPairNamespaces(String prefix) throws IOException {
        if (!prefix.startsWith("jlvssz")) throw new IllegalArgumentException("sync test namespaces start with jlvssz");
        master = prefix + "-m";
        backup = prefix + "-b";
        close();
        try {
            run("ip", "netns", "add", master);
            run("ip", "netns", "add", backup);
            run("ip", "link", "add", INTERFACE, "netns", master, "type", "veth", "peer", "name", INTERFACE, "netns",
                    backup);
            run("ip", "-n", master, "addr", "add", "10.77.0.1/24", "dev", INTERFACE);
            run("ip", "-n", backup, "addr", "add", "10.77.0.2/24", "dev", INTERFACE);
            for (String ns : List.of(master, backup)) {
                run("ip", "-n", ns, "link", "set", INTERFACE, "up");
                run("ip", "-n", ns, "link", "set", "lo", "up");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        masterThread = Executors.newSingleThreadExecutor(threadsIn(master));
        backupThread = Executors.newSingleThreadExecutor(threadsIn(backup));
    }

    /** Threads that enter the namespace before running anything: an event loop's sockets then belong to it. */
    static ThreadFactory threadsIn(String ns) {
        return r -> {
            Thread t = new Thread(() -> {
                try {
                    NetNs.enter(ns);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                r.run();
            }, "sync-test-" + ns);
            t.setDaemon(true);
            return t;
        };
    }

    /** A daemon on the sync pair's interface, started in namespace ns as role, its event loop in ns too. */
    SyncDaemon start(String ns, SyncDaemon.Source source, SyncDaemon.Target target, SyncDaemon.Role role)
            throws Exception {
        SyncDaemon.Settings settings = new SyncDaemon.Settings(INTERFACE, 7, 1472,
                InetAddress.getByName(SyncLayout.DEFAULT_GROUP), SyncLayout.DEFAULT_PORT, SyncLayout.DEFAULT_TTL);
        return call(ns, () -> {
            SyncDaemon d = new SyncDaemon(settings, source, target, threadsIn(ns));
            d.start(role);
            return d;
        });
    }

    <T> T call(String ns, Callable<T> task) throws Exception {
        try {
            return (ns.equals(master) ? masterThread : backupThread).submit(task).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        if (masterThread != null) masterThread.shutdownNow();
        if (backupThread != null) backupThread.shutdownNow();
        for (String ns : List.of(master, backup)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException absent) {
                // not there: nothing to remove
            }
        }
    }
}
