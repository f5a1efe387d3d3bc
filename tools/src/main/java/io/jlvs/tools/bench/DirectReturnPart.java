package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.RealServers;
import io.jlvs.tools.netns.ServerLauncher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The DR or TUN part of the netns benchmark, on its own topology: kernel routing to a real server's own address
 * (the reference, same path length), then jlvs forwarding to the VIP with each packet I/O backend, and for DR over
 * IPv6 too (the topology made dual-stack, the servers holding both VIPs). Servers are prepared with `jlvs
 * realserver` (for TUN that runs the user-space decapsulator).
 */
final class DirectReturnPart {
    /** MTU of the TUN server network: as large as the client LAN's, so no request needs fragmenting. */
    private static final int TUN_SERVER_MTU = 1500;

    private final String mode;
    private final String forwardFlag;
    private final List<String> backends;

    /** @param mode "dr" or "tun" */
    DirectReturnPart(String mode, List<String> backends) {
        this.mode = mode;
        this.forwardFlag = switch (mode) {
            case "dr" -> "-g";
            case "tun" -> "-i";
            default -> throw new IllegalArgumentException("DR or TUN only: " + mode);
        };
        this.backends = List.copyOf(backends);
    }

    String title() {
        return mode.toUpperCase() + " part";
    }

    List<BenchmarkRow> run(String prefix, int servers, Duration window, int connections, int wrkThreads, boolean withJlvs,
                           SetupSelection setups) {
        SetupMeasurer.progress("building the " + mode.toUpperCase() + " topology with " + servers
                + " real servers (namespaces " + prefix + "-*)");
        boolean ipv6 = mode.equals("dr") && setups.includes("ipv6");
        LvsTopology topology = mode.equals("dr") ? LvsTopology.dr(prefix, servers, false)
                : LvsTopology.tun(prefix, servers, TUN_SERVER_MTU);
        try {
            if (ipv6) topology.withIpv6();
            RealServers.prepareAll(topology, mode);
            if (ipv6) RealServers.prepareAll(topology, mode, LvsTopology.VIP6);
            List<BackgroundProcess> http = new ArrayList<>();
            for (int k = 1; k <= servers; k++) {
                http.add(ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k),
                        topology.serverName(k) + "-http", HttpIdentityServer.class, topology.serverName(k),
                        Integer.toString(NetnsBenchmark.HTTP_PORT), "4"));
            }
            http.forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            // TUN delivers to the servers' real addresses on the server network; DR on the shared LAN.
            String udpInterface = mode.equals("tun") ? LvsTopology.TUN_SERVER_INTERFACE : topology.serverInterface();
            SetupMeasurer measurer = new SetupMeasurer(topology, window, connections, wrkThreads, udpInterface);
            measurer.warmUpServers(NetnsBenchmark.HTTP_PORT, Duration.ofSeconds(3));
            return measureRows(topology, measurer, withJlvs, setups);
        } finally {
            try {
                if (ipv6) RealServers.undoAll(topology, mode, LvsTopology.VIP6);
                RealServers.undoAll(topology, mode);
            } finally {
                topology.close();
            }
        }
    }

    private List<BenchmarkRow> measureRows(LvsTopology topology, SetupMeasurer measurer, boolean withJlvs,
                                           SetupSelection setups) {
        List<BenchmarkRow> rows = new ArrayList<>();
        String firstServer = "http://" + topology.serverAddress(1) + ":" + NetnsBenchmark.HTTP_PORT + "/";
        String vip = "http://" + topology.vip() + ":" + NetnsBenchmark.HTTP_PORT + "/";
        if (setups.includes("routing")) {
            rows.add(measurer.measure(NetnsBenchmark.ROUTING_SETUP, () -> RoutedBaseline.start(topology), true, true,
                    firstServer, "no balancing: client -> director -> a server's own address (HTTP: one server)"));
        }
        for (String io : backends) {
            if (!setups.includes(io)) continue;
            String setup = "jlvs " + mode.toUpperCase() + " " + io;
            if (!withJlvs) {
                rows.add(BenchmarkRow.failed(setup, "skipped (--no-jlvs)"));
                continue;
            }
            rows.add(measurer.measure(setup, () -> startJlvs(topology, io, ServiceRules.httpAndDiscard(topology, forwardFlag)),
                    true, false, vip, ""));
        }
        if (mode.equals("dr") && setups.includes("ipv6")) {
            String setup = "jlvs DR6 afpacket";
            rows.add(!withJlvs ? BenchmarkRow.failed(setup, "skipped (--no-jlvs)")
                    : measurer.measureIpv6(setup,
                            () -> startJlvs(topology, "afpacket", ServiceRules.httpAndDiscard6(topology, forwardFlag)),
                            "http://[" + LvsTopology.VIP6 + "]:" + NetnsBenchmark.HTTP_PORT + "/",
                            "IPv6: client, VIP and servers"));
        }
        return rows;
    }

    private AutoCloseable startJlvs(LvsTopology topology, String io, String rules) {
        JlvsDirector director = JlvsDirector.start(topology, mode, io, Duration.ofSeconds(90));
        try {
            director.restore(rules);
            return director;
        } catch (RuntimeException e) {
            director.close();
            throw e;
        }
    }
}
