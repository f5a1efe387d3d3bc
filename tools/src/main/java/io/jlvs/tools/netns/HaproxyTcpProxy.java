package io.jlvs.tools.netns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy in TCP mode in the director namespace, listening on VIP:port and balancing round-robin over the real
 * servers: the user-space proxy baseline. The VIP is added to the director for the proxy's lifetime only.
 */
public final class HaproxyTcpProxy implements AutoCloseable {
    public static final String HAPROXY = "/usr/sbin/haproxy";

    private final LvsTopology topology;
    private final BackgroundProcess process;
    private final String vipCidr;

    private HaproxyTcpProxy(LvsTopology topology, BackgroundProcess process, String vipCidr) {
        this.topology = topology;
        this.process = process;
        this.vipCidr = vipCidr;
    }

    public static HaproxyTcpProxy start(LvsTopology topology, int port) {
        KernelBaselines.requireNat(topology);
        NetnsTopology net = topology.network();
        String director = topology.directorNamespace();
        Path config = KernelBaselines.writeTemp(net, "haproxy.cfg", config(topology, port));
        String vipCidr = topology.vip() + "/32";
        net.addAddress(director, topology.directorClientSide(), vipCidr);
        BackgroundProcess process = null;
        try {
            // -db: stay in the foreground, so the process runner owns it and close() stops it.
            process = topology.processes().start(director, "haproxy", List.of(HAPROXY, "-db", "-f", config.toString()));
            awaitListening(topology, process, port, Duration.ofSeconds(10));
            return new HaproxyTcpProxy(topology, process, vipCidr);
        } catch (RuntimeException e) {
            if (process != null) {
                process.stop(Duration.ofSeconds(2));
            }
            net.run(director, "ip", "addr", "del", vipCidr, "dev", topology.directorClientSide());
            throw e;
        }
    }

    static String config(LvsTopology topology, int port) {
        StringBuilder cfg = new StringBuilder()
                .append("global\n  maxconn 4096\n  nbthread 1\n")
                .append("defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n")
                .append("frontend vip\n  bind ").append(topology.vip()).append(':').append(port)
                .append("\n  default_backend servers\n")
                .append("backend servers\n  balance roundrobin\n");
        for (int k = 1; k <= topology.serverCount(); k++) {
            cfg.append("  server ").append(topology.serverName(k)).append(' ')
                    .append(topology.serverAddress(k)).append(':').append(port).append('\n');
        }
        return cfg.toString();
    }

    private static void awaitListening(LvsTopology topology, BackgroundProcess process, int port, Duration timeout) {
        boolean listening = Conditions.holdsWithin(timeout, () -> {
            if (!process.isAlive()) {
                throw process.failure("exited before listening on " + topology.vip() + ":" + port);
            }
            return topology.inDirector("ss", "-Hltn", "sport = :" + port).stdout().contains(topology.vip() + ":" + port);
        });
        if (!listening) {
            throw process.failure("is not listening on " + topology.vip() + ":" + port + " after " + timeout);
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(3));
        topology.inDirector("ip", "addr", "del", vipCidr, "dev", topology.directorClientSide());
    }
}
