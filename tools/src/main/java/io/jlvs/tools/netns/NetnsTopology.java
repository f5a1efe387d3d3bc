package io.jlvs.tools.netns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds network namespaces joined by veth pairs and bridges, and removes everything it made at {@link #close()}.
 *
 * <p>Every namespace name starts with the caller's prefix, which must begin with "jlvs" so that bin/test can delete
 * leftovers of a killed run. Nothing is created in the host namespace: veth pairs are created directly inside their
 * namespaces, so deleting the namespaces removes every link. A JVM shutdown hook closes topologies still open at
 * exit (Ctrl-C, a failing test that skipped its finally).
 */
public final class NetnsTopology implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetnsTopology.class);
    private static final Set<NetnsTopology> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetnsTopology::close), "jlvs-netns-teardown"));
    }

    private final String prefix;
    private final ProcessRunner runner;
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private boolean closed;

    public NetnsTopology(String prefix) {
        if (!prefix.startsWith("jlvs") || !prefix.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("namespace prefix must start with 'jlvs' and use [A-Za-z0-9_-]: " + prefix);
        }
        this.prefix = prefix;
        Path logs;
        try {
            logs = Files.createTempDirectory(prefix + "-logs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.runner = new ProcessRunner(logs, Map.of("JAVA_HOME", System.getProperty("java.home")));
        OPEN.add(this);
    }

    public String prefix() {
        return prefix;
    }

    public ProcessRunner processes() {
        return runner;
    }

    public List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Creates namespace {@code prefix + suffix} with lo up; a leftover of the same name is deleted first. */
    public synchronized String addNamespace(String suffix) {
        ensureOpen();
        String name = prefix + suffix;
        if (listNamespaces().contains(name)) {
            deleteNamespace(name);
        }
        namespaces.add(name); // recorded before creation so that a half-made namespace is removed too
        host("ip", "netns", "add", name);
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * A veth pair with one end in each namespace, both ends up, one queue in use each way (the kernel's default).
     * Interface names are local to their namespace.
     */
    public void addVethPair(String namespaceA, String interfaceA, String namespaceB, String interfaceB) {
        addVethPair(namespaceA, interfaceA, namespaceB, interfaceB, 1);
    }

    /**
     * As {@link #addVethPair(String, String, String, String)}, each end with {@code queues} receive and transmit
     * queues: a frame leaves on the transmit queue its sender picks (by flow hash unless XPS says otherwise) and
     * reaches the peer's receive queue of the same index.
     */
    public void addVethPair(String namespaceA, String interfaceA, String namespaceB, String interfaceB, int queues) {
        if (queues < 1) throw new IllegalArgumentException("a veth has at least one queue: " + queues);
        if (queues == 1) {
            ip(namespaceA, "link", "add", interfaceA, "type", "veth", "peer", "name", interfaceB, "netns", namespaceB);
        } else {
            String count = Integer.toString(queues);
            ip(namespaceA, "link", "add", interfaceA, "numtxqueues", count, "numrxqueues", count, "type", "veth",
                    "peer", "name", interfaceB, "netns", namespaceB, "numtxqueues", count, "numrxqueues", count);
        }
        setUp(namespaceA, interfaceA);
        setUp(namespaceB, interfaceB);
    }

    /** A bridge without STP and without forwarding delay, so that ports forward at once. */
    public void addBridge(String namespace, String bridge) {
        ip(namespace, "link", "add", bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        setUp(namespace, bridge);
    }

    public void attachToBridge(String namespace, String port, String bridge) {
        ip(namespace, "link", "set", port, "master", bridge);
    }

    public void setUp(String namespace, String iface) {
        ip(namespace, "link", "set", iface, "up");
    }

    /** Adds an address in CIDR form, for example 10.0.0.1/24. */
    public void addAddress(String namespace, String iface, String cidr) {
        ip(namespace, "addr", "add", cidr, "dev", iface);
    }

    /** An IPv6 address without duplicate address detection, usable at once. */
    public void addAddress6(String namespace, String iface, String cidr) {
        check(namespace, "ip", "-6", "addr", "add", cidr, "dev", iface, "nodad");
    }

    public void deleteAddress(String namespace, String iface, String cidr) {
        ip(namespace, "addr", "del", cidr, "dev", iface);
    }

    public void addRoute(String namespace, String destination, String via) {
        ip(namespace, "route", "add", destination, "via", via);
    }

    public void addDefaultRoute(String namespace, String via) {
        addRoute(namespace, "default", via);
    }

    /**
     * Moves the interface's NAPI polling into a kernel thread of its own (/sys/class/net/IF/threaded), named
     * napi/IF-ID; the thread exists while the interface has NAPI on (GRO or an XDP program).
     */
    public void threadNapi(String namespace, String iface) {
        runner.check(namespace, "sh", "-c", "echo 1 > /sys/class/net/" + iface + "/threaded");
    }

    /** Sets a sysctl inside the namespace (net.* sysctls are per namespace). */
    public void sysctl(String namespace, String key, String value) {
        runner.check(namespace, "sysctl", "-q", "-w", key + "=" + value);
    }

    /**
     * Turns checksum offload off: with tx off the sender computes full checksums, with rx off the receiver verifies
     * them, so a packet the director rewrote with a wrong checksum is dropped and the test fails.
     */
    public void disableChecksumOffload(String namespace, String iface) {
        runner.check(namespace, "ethtool", "-K", iface, "rx", "off", "tx", "off");
    }

    public String macAddress(String namespace, String iface) {
        return runner.check(namespace, "cat", "/sys/class/net/" + iface + "/address").strip();
    }

    public CommandResult run(String namespace, String... command) {
        return runner.run(namespace, command);
    }

    public String check(String namespace, String... command) {
        return runner.check(namespace, command);
    }

    /** Names of all network namespaces on the host ({@code ip netns list}). */
    public static List<String> listNamespaces() {
        try {
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            List<String> names = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    names.add(line.strip().split("\\s+")[0]);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops every tracked process, kills whatever else still runs in our namespaces (a daemonized helper, say),
     * and deletes the namespaces, newest first. Idempotent; never throws, so it cannot hide a test's own failure.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            runner.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping processes failed: {}", e.toString());
        }
        List<String> toDelete = new ArrayList<>(namespaces);
        Collections.reverse(toDelete);
        for (String name : toDelete) {
            try {
                deleteNamespace(name);
                namespaces.remove(name);
            } catch (RuntimeException e) {
                LOG.warn("could not delete namespace {}: {}", name, e.getMessage());
            }
        }
        OPEN.remove(this);
    }

    private void deleteNamespace(String name) {
        CommandResult pids = runner.run(null, "ip", "netns", "pids", name);
        if (pids.succeeded()) {
            for (String pid : pids.stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        CommandResult del = runner.run(null, "ip", "netns", "del", name);
        if (!del.succeeded() && listNamespaces().contains(name)) {
            throw new IllegalStateException(del.describe());
        }
    }

    private void ip(String namespace, String... args) {
        List<String> command = new ArrayList<>(args.length + 2);
        command.add("ip");
        command.add("-n");
        command.add(namespace);
        command.addAll(List.of(args));
        runner.run(null, command, ProcessRunner.DEFAULT_TIMEOUT).stdoutOrThrow();
    }

    private void host(String... command) {
        runner.check(null, command);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("topology " + prefix + " is closed");
        }
    }
}
