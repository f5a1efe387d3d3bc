package io.jlvs.tools.netns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy in HTTP mode in the director namespace, listening on the director's own client-side address: the layer-7
 * baseline. Its rules are those of the layer-7 benchmark's jlvs service: paths under /images/ go to the first server,
 * everything else round-robin over all servers. With {@code spliceAuto}, {@code option splice-auto} lets it move
 * large bodies with splice(2) instead of copying them through user space.
 */
public final class HaproxyHttpProxy implements AutoCloseable {
    private final BackgroundProcess process;

    private HaproxyHttpProxy(BackgroundProcess process) {
        this.process = process;
    }

    public static HaproxyHttpProxy start(LvsTopology topology, int listenPort, int serverPort, boolean spliceAuto) {
        String label = spliceAuto ? "haproxy-http-splice" : "haproxy-http";
        Path config = KernelBaselines.writeTemp(topology.network(), label + ".cfg",
                config(topology, listenPort, serverPort, spliceAuto));
        // -db: stay in the foreground, so the process runner owns it and close() stops it.
        BackgroundProcess process = topology.processes().start(topology.directorNamespace(), label,
                List.of(HaproxyTcpProxy.HAPROXY, "-db", "-f", config.toString()));
        try {
            awaitListening(topology, process, listenPort, Duration.ofSeconds(10));
            return new HaproxyHttpProxy(process);
        } catch (RuntimeException e) {
            process.stop(Duration.ofSeconds(2));
            throw e;
        }
    }

    /** One thread, as the jlvs layer-7 proxy runs one event loop. */
    static String config(LvsTopology topology, int listenPort, int serverPort, boolean spliceAuto) {
        StringBuilder cfg = new StringBuilder()
                .append("global\n  maxconn 4096\n  nbthread 1\n")
                .append("defaults\n  mode http\n  option http-keep-alive\n")
                .append(spliceAuto ? "  option splice-auto\n" : "")
                .append("  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n")
                .append("frontend web\n  bind ").append(topology.directorClientAddress()).append(':').append(listenPort)
                .append("\n  acl img path_reg ^/images/\n  use_backend b1 if img\n  default_backend servers\n")
                .append("backend b1\n  server ").append(topology.serverName(1)).append(' ')
                .append(topology.serverAddress(1)).append(':').append(serverPort).append('\n')
                .append("backend servers\n  balance roundrobin\n");
        for (int k = 1; k <= topology.serverCount(); k++) {
            cfg.append("  server ").append(topology.serverName(k)).append(' ')
                    .append(topology.serverAddress(k)).append(':').append(serverPort).append('\n');
        }
        return cfg.toString();
    }

    private static void awaitListening(LvsTopology topology, BackgroundProcess process, int port, Duration timeout) {
        String address = topology.directorClientAddress() + ":" + port;
        boolean listening = Conditions.holdsWithin(timeout, () -> {
            if (!process.isAlive()) {
                throw process.failure("exited before listening on " + address);
            }
            return topology.inDirector("ss", "-Hltn", "sport = :" + port).stdout().contains(address);
        });
        if (!listening) {
            throw process.failure("is not listening on " + address + " after " + timeout);
        }
    }

    /** The HAProxy process: its CPU time is the proxy's. */
    public BackgroundProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(3));
    }
}
