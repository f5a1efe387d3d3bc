package io.jlvs.platform.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Test network namespaces (names start with "jlvsnet"): created by the constructor, removed by close() and, if
 * the JVM dies first, by a shutdown hook. {@link #in} runs code on a thread that entered the namespace with
 * setns(2); sockets that code opens belong to the namespace.
 */
public final class TestNamespaces implements AutoCloseable {

    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TestNamespaces::deleteQuietly)));
    }

    private final List<String> names;
    private final Map<String, ExecutorService> threads = new ConcurrentHashMap<>();

    public TestNamespaces(String... names) throws IOException {
        this.names = List.of(names);
        for (String name : names) {
            if (!name.startsWith("jlvsnet")) throw new IllegalArgumentException("test namespaces start with jlvsnet: " + name);
            deleteQuietly(name); // a leftover of a killed run
            LIVE.add(name);
            run("ip", "netns", "add", name);
        }
    }

    /** Runs a shell command inside namespace {@code ns}; throws with its stderr when it fails. */
    public String sh(String ns, String command) throws IOException {
        return run("ip", "netns", "exec", ns, "sh", "-c", command);
    }

    public static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + err.strip());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Runs {@code task} on this namespace's dedicated thread and returns its result. */
    public <T> T in(String ns, Callable<T> task) throws Exception {
        ExecutorService executor = threads.computeIfAbsent(ns, n -> Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                enter(n);
                r.run();
            }, "netns-" + n);
            t.setDaemon(true);
            return t;
        }));
        try {
            return executor.submit(task).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    private static void enter(String ns) {
        try {
            NetNs.enter(ns);
        } catch (IOException e) {
            throw new IllegalStateException("cannot enter namespace " + ns, e);
        }
    }

    private static void deleteQuietly(String name) {
        try {
            new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException | InterruptedException ignored) {
            // best effort: nothing to remove, or the hook runs at exit
        }
    }

    @Override
    public void close() {
        threads.values().forEach(ExecutorService::shutdownNow);
        List<String> reversed = new ArrayList<>(names);
        Collections.reverse(reversed);
        for (String name : reversed) {
            deleteQuietly(name);
            LIVE.remove(name);
        }
    }

    public static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    public static long mac(String text) {
        return Long.parseLong(text.replace(":", ""), 16);
    }
}
