package io.jlvs.forwarder.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Test network namespaces (names start with "jlvsnet"): created by the constructor, removed by close() and, if
 * the JVM dies first, by a shutdown hook. {@link #in} runs code on a thread that entered the namespace with
 * setns(2); sockets that code opens belong to the namespace.
 */
final class TestNamespaces implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = LINKER.downcallHandle(LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TestNamespaces::deleteQuietly)));
    }

    private final List<String> names;
    private final Map<String, ExecutorService> threads = new ConcurrentHashMap<>();

    TestNamespaces(String... names) throws IOException {
        this.names = List.of(names);
        for (String name : names) {
            if (!name.startsWith("jlvsnet")) throw new IllegalArgumentException("test namespaces start with jlvsnet: " + name);
            deleteQuietly(name); // a leftover of a killed run
            LIVE.add(name);
            run("ip", "netns", "add", name);
        }
    }

    /** Runs a shell command inside namespace {@code ns}; throws with its stderr when it fails. */
    String sh(String ns, String command) throws IOException {
        return run("ip", "netns", "exec", ns, "sh", "-c", command);
    }

    static String run(String... command) throws IOException {
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
    <T> T in(String ns, Callable<T> task) throws Exception {
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
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom("/var/run/netns/" + ns), O_RDONLY_CLOEXEC);
            if (fd < 0) throw new IllegalStateException("cannot open /var/run/netns/" + ns);
            int rc = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int ignored = (int) CLOSE.invokeExact(fd);
            if (rc != 0) throw new IllegalStateException("setns into " + ns + " failed");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
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
        java.util.Collections.reverse(reversed);
        for (String name : reversed) {
            deleteQuietly(name);
            LIVE.remove(name);
        }
    }

    static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    static long mac(String text) {
        return Long.parseLong(text.replace(":", ""), 16);
    }
}
