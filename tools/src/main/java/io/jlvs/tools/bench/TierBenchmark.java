package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.ProcessRunner;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.TcpEchoServer;
import io.jlvs.tools.netns.TierTopology;
import io.jlvs.tools.netns.UdpEchoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * `jlvs bench --tier`: directors behind an ECMP router ({@link TierTopology}: BIRD on the router and on each
 * director, DR, mh with mh-port and sloppy_tcp on every director). With 1, 2 and 3 directors announcing (the others
 * drained): 64-byte UDP packets per second reaching the real servers (trafgen to the router, which spreads the
 * flows) and keep-alive HTTP requests per second (wrk). Then, all three announcing, N long-lived connections
 * ({@link FailoverProbe}) spread over the directors; one director's daemon is killed with SIGKILL and the
 * connections that no longer echo are counted.
 */
final class TierBenchmark {
    static final int DEFAULT_CONNECTIONS = 1000;
    private static final int HTTP_PORT = 80, ECHO_PORT = 7, DISCARD_PORT = UdpFloodMeter.DISCARD_PORT;
    private static final int WRK_CONNECTIONS = 32;
    private static final Duration START = Duration.ofSeconds(120), BGP = Duration.ofSeconds(30);

    private TierBenchmark() {}

    static String run(String prefix, Duration window, int connections) {
        SetupMeasurer.progress("tier: three directors behind an ECMP router (namespaces " + prefix + "t-*)");
        try (TierTopology tier = TierTopology.build(prefix + "t", 3, 3)) {
            for (int k = 1; k <= 3; k++) {
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
                for (int d = 1; d <= 3; d++) {
                    tier.startDirectorBird(d);
                    JlvsDirector director = JlvsDirector.start(tier.seat(d), "dr", "afpacket", START,
                            tier.bgpOptions(d));
                    directors.add(director);
                    director.admOrThrow("--sysctl", "sloppy_tcp=1");
                    director.restore(rules(tier));
                }
                tier.awaitNextHops(List.of(1, 2, 3), BGP);
                StringBuilder out = new StringBuilder("""
                        Tier of directors behind an ECMP router (BGP, BIRD 2; DR, mh with mh-port, sloppy_tcp=1):

                        | directors announcing | UDP 64 B pps at the servers | keep-alive req/s (wrk, %d conns) | p99 ms | errors |
                        |---|---|---|---|---|
                        """.formatted(WRK_CONNECTIONS));
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
                    List<String> wrk = WrkMeter.command("http://" + TierTopology.VIP + ":" + HTTP_PORT + "/",
                            WRK_CONNECTIONS, false, window);
                    CommandResult result = tier.processes().run(tier.clientNamespace(), wrk, window.plusSeconds(15));
                    WrkMeter.HttpFigures http = WrkMeter.parse(result.stdoutOrThrow(), false);
                    out.append(String.format("| %d | %,.0f | %,.0f | %.1f | %d |%n", n, pps, http.requestsPerSecond(),
                            http.p99Millis(), http.errors()));
                }
                out.append('\n').append(failure(tier, directors, connections));
                return out.toString();
            } finally {
                for (JlvsDirector d : directors) d.close();
            }
        }
    }

    /** N connections over three directors; director 2's daemon killed; the connections that stopped echoing. */
    private static String failure(TierTopology tier, List<JlvsDirector> directors, int connections) {
        SetupMeasurer.progress("tier: " + connections + " connections, one director killed");
        Path control;
        try {
            control = Files.createDirectories(tier.processes().logDirectory().resolve("tier-probe"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BackgroundProcess probe = ServerLauncher.startJava(tier.processes(), tier.clientNamespace(), "tier-probe",
                FailoverProbe.class, TierTopology.VIP, Integer.toString(ECHO_PORT), Integer.toString(ECHO_PORT),
                Integer.toString(connections), control.toString());
        try {
            probe.awaitLogLine("READY", Duration.ofSeconds(180));
            long[] onDirector = new long[3];
            Conditions.await("the probe's connections in the directors' tables", Duration.ofSeconds(60), () -> {
                for (int d = 0; d < 3; d++) onDirector[d] = established(directors.get(d));
                return onDirector[0] + onDirector[1] + onDirector[2] >= connections;
            });
            directors.get(1).kill();
            Duration withdrawn = tier.awaitNextHops(List.of(1, 3), BGP);
            int lost = check(probe, control, 1);
            return String.format("Director failure (kill -9 of one daemon, %d connections: %d, %d and %d on the "
                            + "directors): route withdrawn in %d ms, connections broken: %d of %d.%n", connections,
                    onDirector[0], onDirector[1], onDirector[2], withdrawn.toMillis(), lost, connections);
        } finally {
            probe.stop(Duration.ofSeconds(2));
        }
    }

    private static String rules(TierTopology tier) {
        StringBuilder rules = new StringBuilder();
        String[][] services = {{"-t", Integer.toString(HTTP_PORT)}, {"-t", Integer.toString(ECHO_PORT)},
                {"-u", Integer.toString(ECHO_PORT)}, {"-u", Integer.toString(DISCARD_PORT)}};
        for (String[] s : services) {
            String service = s[0] + " " + TierTopology.VIP + ":" + s[1];
            rules.append("-A ").append(service).append(" -s mh -b mh-port\n");
            for (String server : tier.serverAddresses()) {
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

    private static long established(JlvsDirector director) {
        return director.admOrThrow("-L", "-n", "-c").lines().filter(l -> l.contains("ESTABLISHED")).count();
    }

    private static int check(BackgroundProcess probe, Path control, int k) {
        try {
            Files.writeString(control.resolve("check-" + k), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "CHECK " + k + " LOST ";
        Conditions.await("connection check " + k, Duration.ofSeconds(60),
                () -> probe.logText().lines().anyMatch(l -> l.startsWith(prefix)));
        return Integer.parseInt(probe.logText().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
                .substring(prefix.length()).trim());
    }
}
