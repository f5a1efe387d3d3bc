package io.jlvs.tools.netns;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the test servers as child JVMs inside the real-server namespaces. All are launched first and then
 * awaited, so JVM start-up overlaps; each is ready once it has printed its READY line (printed after bind).
 */
public final class ServerLauncher {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private ServerLauncher() {
    }

    /** One {@link HttpIdentityServer} per real server, named rs1, rs2, ..., listening on {@code port}. */
    public static List<BackgroundProcess> startHttpIdentityServers(LvsTopology topology, int port) {
        return startOnEveryServer(topology, HttpIdentityServer.class, "http", port);
    }

    /** One {@link HttpIdentityServer} on real server k (1-based), named rsK, listening on {@code port}. */
    public static BackgroundProcess startHttpIdentityServer(LvsTopology topology, int k, int port) {
        String name = topology.serverName(k);
        BackgroundProcess p = startJava(topology.processes(), topology.serverNamespace(k), name + "-http" + port,
                HttpIdentityServer.class, name, Integer.toString(port));
        p.awaitLogLine(HttpIdentityServer.READY_LINE, READY_TIMEOUT);
        return p;
    }

    /** One {@link UdpEchoServer} per real server, named rs1, rs2, ..., listening on {@code port}. */
    public static List<BackgroundProcess> startUdpEchoServers(LvsTopology topology, int port) {
        return startOnEveryServer(topology, UdpEchoServer.class, "udp", port);
    }

    /**
     * One {@link UdpEchoServer} per real server, listening on {@code address}:{@code port} only: a direct-routing
     * server bound to the VIP answers from the VIP.
     */
    public static List<BackgroundProcess> startUdpEchoServers(LvsTopology topology, int port, String address) {
        return startOnEveryServer(topology, UdpEchoServer.class, "udp", port, address);
    }

    private static List<BackgroundProcess> startOnEveryServer(LvsTopology topology, Class<?> main, String kind, int port,
                                                              String... more) {
        List<BackgroundProcess> started = new ArrayList<>();
        for (int k = 1; k <= topology.serverCount(); k++) {
            String name = topology.serverName(k);
            List<String> args = new ArrayList<>(List.of(name, Integer.toString(port)));
            args.addAll(List.of(more));
            started.add(startJava(topology.processes(), topology.serverNamespace(k), name + "-" + kind + port,
                    main, args.toArray(String[]::new)));
        }
        started.forEach(p -> p.awaitLogLine(HttpIdentityServer.READY_LINE, READY_TIMEOUT));
        return started;
    }

    /** Starts {@code main} in a child JVM in {@code namespace}, with this module's classes on the class path. */
    public static BackgroundProcess startJava(ProcessRunner runner, String namespace, String label, Class<?> main,
                                              String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:CICompilerCount=2",
                "-cp", classPathOf(main), main.getName()));
        command.addAll(List.of(args));
        return runner.start(namespace, label, command);
    }

    /** The jar or class folder this class was loaded from: the servers need nothing beyond the JDK. */
    static String classPathOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
