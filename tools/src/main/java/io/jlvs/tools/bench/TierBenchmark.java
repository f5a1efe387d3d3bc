package io.jlvs.tools.bench;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.ProcessRunner;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.TcpEchoServer;
import io.jlvs.tools.netns.TierTopology;
import io.jlvs.tools.netns.UdpEchoServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * `jlvs bench --tier`: directors behind an ECMP router ({@link TierTopology}: BIRD on the router and on each
 * director, DR, mh with mh-port and sloppy_tcp on every director). With 1, 2 and 3 directors announcing (the others
 * drained): 64-byte UDP packets per second reaching the real servers (trafgen to the router, which spreads the
 * flows) and keep-alive HTTP requests per second (wrk, several runs, with the CPU they took), and the same wrk
 * against one real server through the router alone. Then, all three announcing, a real server added and a director
 * killed under N long-lived connections, without and with connection sync ({@link TierServerChangeRounds}). The
 * fourth real server's namespace serves only then.
 */
final class TierBenchmark {
    static final int DEFAULT_CONNECTIONS = 1000;
    private static final int HTTP_PORT = 80, ECHO_PORT = 7, DISCARD_PORT = UdpFloodMeter.DISCARD_PORT;
    private static final int WRK_CONNECTIONS = 32, KEEPALIVE_RUNS = 3;
    private static final Duration START = Duration.ofSeconds(120), BGP = Duration.ofSeconds(30);

    private TierBenchmark() {}

    static String run(String prefix, Duration window, int connections) {
        SetupMeasurer.progress("tier: three directors behind an ECMP router (namespaces " + prefix + "t-*)");
        try (TierTopology tier = TierTopology.build(prefix + "t", 3, 4)) {
            for (int k = 1; k <= 4; k++) {
                String ns = tier.serverNamespace(k);
                ServerLauncher.startJava(tier.processes(), ns, "rs" + k + "-http", HttpIdentityServer.class,
                        "rs" + k, Integer.toString(HTTP_PORT), "8").awaitLogLine(HttpIdentityServer.READY_LINE, START);
                ServerLauncher.startJava(tier.processes(), ns, "rs" + k + "-echo", TcpEchoServer.class,
                        "rs" + k, Integer.toString(ECHO_PORT)).awaitLogLine(HttpIdentityServer.READY_LINE, START);
                ServerLauncher.startJava(tier.processes(), ns, "rs" + k + "-uecho", UdpEchoServer.class,
                        "rs" + k, Integer.toString(ECHO_PORT)).awaitLogLine(HttpIdentityServer.READY_LINE, START);
            }
            List<JlvsDirector> directors = new ArrayList<>();
            try {
                String rules = rules(tier);
                for (int d = 1; d <= 3; d++) {
                    tier.startDirectorBird(d);
                    JlvsDirector director = JlvsDirector.start(tier.seat(d), "dr", "afpacket", START,
                            tier.bgpOptions(d));
                    directors.add(director);
                    director.admOrThrow("--sysctl", "sloppy_tcp=1");
                    director.restore(rules);
                }
                tier.awaitNextHops(List.of(1, 2, 3), BGP);
                StringBuilder out = new StringBuilder("""
                        Tier of directors behind an ECMP router (BGP, BIRD 2; DR, mh with mh-port, sloppy_tcp=1); \
                        keep-alive: the median of %d wrk runs of the window, their range, and the CPU busy \
                        during them (whole machine; the announcing directors' daemons):

                        | directors announcing | UDP 64 B pps at the servers | keep-alive req/s (wrk, %d conns) | range of the runs | p99 ms | errors | machine CPU busy | directors' CPU |
                        |---|---|---|---|---|---|---|---|
                        """.formatted(KEEPALIVE_RUNS, WRK_CONNECTIONS));
                UdpFloodMeter udp = UdpFloodMeter.throughRouter(tier);
                for (int n = 1; n <= 3; n++) {
                    List<Integer> active = new ArrayList<>();
                    for (int d = 1; d <= 3; d++) {
                        boolean on = d <= n;
                        if (on) active.add(d);
                        drain(tier, directors.get(d - 1), !on);
                    }
                    tier.awaitNextHops(active, BGP);
                    SetupMeasurer.progress("tier: " + n + " director(s) announcing");
                    double pps = udp.measure(false, Duration.ofSeconds(2), window);
                    KeepAlive http = keepAlive(tier, "http://" + TierTopology.VIP + ":" + HTTP_PORT + "/", window,
                            directors.subList(0, n));
                    out.append(String.format("| %d | %,.0f | %s |%n", n, pps, http.cells()));
                }
                SetupMeasurer.progress("tier: no director (client, router, one real server)");
                KeepAlive direct = keepAlive(tier, "http://" + tier.serverAddresses().get(0) + ":" + HTTP_PORT + "/",
                        window, List.of());
                out.append(String.format("| none: wrk to real server 1 through the router | | %s |%n",
                        direct.cells()));
                for (int d = 1; d <= 3; d++) drain(tier, directors.get(d - 1), false);
                tier.awaitNextHops(List.of(1, 2, 3), BGP);
                out.append('\n').append(TierServerChangeRounds.run(tier, directors, connections, ECHO_PORT,
                        rules));
                return out.toString();
            } finally {
                for (JlvsDirector d : directors) d.close();
            }
        }
    }

    /** wrk's figures over several runs: the median run's, the range, and the CPU spent during them. */
    private record KeepAlive(List<WrkMeter.HttpFigures> runs, double machineBusy, double directorsBusy) {
        String cells() {
            List<WrkMeter.HttpFigures> sorted = runs.stream()
                    .sorted(java.util.Comparator.comparingDouble(WrkMeter.HttpFigures::requestsPerSecond)).toList();
            WrkMeter.HttpFigures median = sorted.get(sorted.size() / 2);
            long errors = runs.stream().mapToLong(WrkMeter.HttpFigures::errors).sum();
            return String.format("%,.0f | %,.0f-%,.0f | %.1f | %d | %.0f %% | %.0f %%", median.requestsPerSecond(),
                    sorted.getFirst().requestsPerSecond(), sorted.getLast().requestsPerSecond(), median.p99Millis(),
                    errors, machineBusy * 100, directorsBusy * 100);
        }
    }

    /**
     * KEEPALIVE_RUNS wrk runs against url; the machine's busy share of its two cores' time, and the directors'
     * daemons' CPU over the same time (1.0: one core), during them.
     */
    private static KeepAlive keepAlive(TierTopology tier, String url, Duration window, List<JlvsDirector> busy) {
        List<String> wrk = WrkMeter.command(url, WRK_CONNECTIONS, false, window);
        List<WrkMeter.HttpFigures> runs = new ArrayList<>();
        CpuTime.Machine machineBefore = CpuTime.machine();
        double directorsBefore = directorsCpu(busy);
        long start = System.nanoTime();
        for (int r = 0; r < KEEPALIVE_RUNS; r++) {
            CommandResult result = tier.processes().run(tier.clientNamespace(), wrk, window.plusSeconds(15));
            runs.add(WrkMeter.parse(result.stdoutOrThrow(), false));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double machine = CpuTime.machine().minus(machineBefore).busySeconds()
                / (seconds * Runtime.getRuntime().availableProcessors());
        return new KeepAlive(runs, machine, (directorsCpu(busy) - directorsBefore) / seconds);
    }

    private static double directorsCpu(List<JlvsDirector> directors) {
        double sum = 0;
        for (JlvsDirector d : directors) sum += CpuTime.process(d.daemon().pid());
        return sum;
    }

    private static String rules(TierTopology tier) {
        StringBuilder rules = new StringBuilder();
        String[][] services = {{"-t", Integer.toString(HTTP_PORT)}, {"-t", Integer.toString(ECHO_PORT)},
                {"-u", Integer.toString(ECHO_PORT)}, {"-u", Integer.toString(DISCARD_PORT)}};
        for (String[] s : services) {
            String service = s[0] + " " + TierTopology.VIP + ":" + s[1];
            rules.append("-A ").append(service).append(" -s mh -b mh-port\n");
            for (String server : tier.serverAddresses().subList(0, 3)) {
                rules.append("-a ").append(service).append(" -r ").append(server).append(':').append(s[1])
                        .append(" -g -w 1\n");
            }
        }
        return rules.toString();
    }

    private static void drain(TierTopology tier, JlvsDirector director, boolean drain) {
        tier.processes().run(director.daemon().namespace(), List.of(director.home().resolve("bin/jlvs").toString(),
                "director", drain ? "drain" : "undrain", "--control", director.controlSocket().toString()),
                ProcessRunner.DEFAULT_TIMEOUT).stdoutOrThrow();
    }
}
