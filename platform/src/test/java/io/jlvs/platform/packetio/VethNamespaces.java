package io.jlvs.platform.packetio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces joined by a veth pair: {@code va} (10.77.0.1/24) in {@link #a}, {@code vb} (10.77.0.2/24)
 * in {@link #b}, IPv6 off so the kernel adds no noise. Namespaces are named jlvsio-PID-N{a,b} (or another
 * prefix) and removed by
 * {@link #close()} and, should the JVM die first, by a shutdown hook.
 */
public final class VethNamespaces implements AutoCloseable {
    public static final String A_IF = "va", B_IF = "vb";
    static final int A_IP = 0x0A4D0001, B_IP = 0x0A4D0002;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final String a;
    public final String b;
    private final Thread cleanup;

    VethNamespaces() throws IOException {
        this("jlvsio");
    }

    /** Namespaces named {@code namePrefix}-PID-N{a,b}. */
    public VethNamespaces(String namePrefix) throws IOException {
        String prefix = namePrefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        a = prefix + "a";
        b = prefix + "b";
        cleanup = new Thread(this::remove);
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            for (String ns : List.of(a, b)) {
                run("ip", "netns", "add", ns);
                run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
                run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
            }
            run("ip", "link", "add", A_IF, "netns", a, "type", "veth", "peer", "name", B_IF, "netns", b);
            run("ip", "-n", a, "addr", "add", "10.77.0.1/24", "dev", A_IF);
            run("ip", "-n", b, "addr", "add", "10.77.0.2/24", "dev", B_IF);
            run("ip", "-n", a, "link", "set", A_IF, "up");
            run("ip", "-n", b, "link", "set", B_IF, "up");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) throw new IOException(String.join(" ", command) + " -> " + output);
    }

    private void remove() {
        List<String> failures = new ArrayList<>();
        for (String ns : List.of(a, b)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException e) {
                if (!e.getMessage().contains("No such file")) failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) System.err.println("namespace cleanup: " + failures);
    }

    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run; removal is idempotent
        }
    }
}
