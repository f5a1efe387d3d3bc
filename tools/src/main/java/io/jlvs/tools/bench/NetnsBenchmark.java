package io.jlvs.tools.bench;

import io.jlvs.tools.netns.HaproxyTcpProxy;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.KernelBaselines;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark run in one NAT topology, with side-by-side rows: kernel routing, kernel NAT (nftables DNAT),
 * HAProxy TCP, jlvs NAT over AF_PACKET and over pcap. Figures: 64-byte UDP packets per second delivered to the
 * real servers, HTTP requests per second with keep-alive and with a new connection per request, p50/p99 latency.
 *
 * <p>Usage: {@code NetnsBenchmark [--servers N] [--seconds S] [--connections C] [--no-jlvs] [--prefix jlvsbench]}.
 * The jlvs rows need bin/jlvs daemon; when it cannot start, the row says so and the kernel rows still print.
 */
public final class NetnsBenchmark {
    static final int HTTP_PORT = 80;
    static final String REFERENCE_SETUP = "kernel NAT (nftables DNAT)";

    private final LvsTopology topology;
    private final Duration window;
    private final UdpFloodMeter udp;
    private final WrkMeter wrk;

    private NetnsBenchmark(LvsTopology topology, Duration window, int connections) {
        this.topology = topology;
        this.window = window;
        this.udp = new UdpFloodMeter(topology);
        this.wrk = new WrkMeter(topology, connections);
    }

    public static void main(String[] args) throws Exception {
        int servers = 3;
        int seconds = 4;
        int connections = 32;
        boolean withJlvs = true;
        String prefix = "jlvsbench";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--servers" -> servers = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--no-jlvs" -> withJlvs = false;
                case "--prefix" -> prefix = args[++i];
                default -> {
                    System.err.println("usage: bench [--servers N] [--seconds S] [--connections C] [--no-jlvs] [--prefix jlvs...]");
                    System.exit(2);
                }
            }
        }
        progress("building the NAT topology with " + servers + " real servers (namespaces " + prefix + "-*)");
        try (LvsTopology topology = LvsTopology.nat(prefix, servers)) {
            // Four HTTP threads per server: wrk, the servers and the director all share this machine's cores.
            for (int k = 1; k <= servers; k++) {
                ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), topology.serverName(k) + "-http",
                        io.jlvs.tools.netns.HttpIdentityServer.class, topology.serverName(k), Integer.toString(HTTP_PORT), "4");
            }
            topology.processes().backgroundProcesses().forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            List<BenchmarkRow> rows = new NetnsBenchmark(topology, Duration.ofSeconds(seconds), connections).runAll(withJlvs);
            BenchmarkRow reference = rows.stream().filter(r -> r.setup().equals(REFERENCE_SETUP)).findFirst().orElse(null);
            System.out.println();
            System.out.print(BenchmarkTable.format(rows, reference));
        }
    }

    private List<BenchmarkRow> runAll(boolean withJlvs) {
        List<BenchmarkRow> rows = new ArrayList<>();
        String firstServer = "http://" + topology.serverAddress(1) + ":" + HTTP_PORT + "/";
        String vip = "http://" + topology.vip() + ":" + HTTP_PORT + "/";
        rows.add(measured("kernel routing", () -> KernelBaselines.routing(topology), true, true, firstServer,
                "no balancing: client addresses the servers directly (HTTP: one server)"));
        rows.add(measured(REFERENCE_SETUP, () -> KernelBaselines.nftablesNat(topology), true, false, vip, ""));
        rows.add(measured("HAProxy TCP", () -> HaproxyTcpProxy.start(topology, HTTP_PORT), false, false, vip,
                "TCP proxy: carries no UDP"));
        for (String io : List.of("afpacket", "pcap")) {
            String setup = "jlvs NAT " + io;
            if (!withJlvs) {
                rows.add(BenchmarkRow.failed(setup, "skipped (--no-jlvs)"));
                continue;
            }
            rows.add(measured(setup, () -> startJlvs(io), true, false, vip, ""));
        }
        return rows;
    }

    private AutoCloseable startJlvs(String io) {
        JlvsDirector director = JlvsDirector.start(topology, "nat", io, Duration.ofSeconds(90));
        try {
            director.addServiceWithAllServers("-t", HTTP_PORT, "rr", "-m");
            director.addServiceWithAllServers("-u", UdpFloodMeter.DISCARD_PORT, "rr", "-m");
            return director;
        } catch (RuntimeException e) {
            director.close();
            throw e;
        }
    }

    private interface Setup {
        AutoCloseable start() throws Exception;
    }

    /** Starts the setup, measures what applies to it, and always undoes the setup; a failure becomes a note. */
    private BenchmarkRow measured(String name, Setup setup, boolean udpApplies, boolean udpToServers, String url, String note) {
        progress("measuring " + name);
        AutoCloseable running;
        try {
            running = setup.start();
        } catch (Exception e) {
            progress("  " + name + " could not start: " + firstLine(e));
            return BenchmarkRow.failed(name, "not measured, setup failed: " + firstLine(e));
        }
        try (running) {
            double pps = udpApplies ? udp.measure(udpToServers, Duration.ofSeconds(1), window) : Double.NaN;
            WrkMeter.HttpFigures keepAlive = wrk.measure(url, false, window);
            WrkMeter.HttpFigures newConnection = wrk.measure(url, true, window);
            long errors = keepAlive.errors() + newConnection.errors();
            String fullNote = note + (errors == 0 ? "" : (note.isEmpty() ? "" : "; ") + errors + " HTTP errors");
            progress(String.format("  %s: %.0f UDP pkt/s, %.0f req/s keep-alive, %.0f req/s new connection",
                    name, pps, keepAlive.requestsPerSecond(), newConnection.requestsPerSecond()));
            return new BenchmarkRow(name, pps, keepAlive, newConnection, fullNote);
        } catch (Exception e) {
            progress("  " + name + " failed: " + firstLine(e));
            return BenchmarkRow.failed(name, "failed: " + firstLine(e));
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void progress(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }
}
