package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the HTTP console costs the data plane, and how fast /metrics answers for a large configuration. One jlvs
 * NAT daemon with {@code --http}; in each round the UDP flood and keep-alive HTTP are measured with the console
 * closed and with it open (an event-stream client, as a browser's console page holds, and a scrape of /metrics and a
 * services listing every second, as Prometheus and a dashboard would), in alternating order so that drift of this
 * machine cancels. Then 1,000 services of 10 real servers each are loaded and /metrics is timed.
 */
final class ConsoleUnderLoadBenchmark {
    static final int HTTP_LISTENER_PORT = 9180;
    private static final int SCRAPE_SERVICES = 1000;
    private static final int SCRAPE_SERVERS = 10;
    private static final int SCRAPES = 21;

    private ConsoleUnderLoadBenchmark() {}

    static String run(String prefix, int servers, Duration window, int connections, int rounds) {
        SetupMeasurer.progress("building the NAT topology for the console benchmark (namespaces " + prefix + "con-*)");
        try (LvsTopology topology = LvsTopology.nat(prefix + "con", servers)) {
            for (int k = 1; k <= servers; k++) {
                ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), topology.serverName(k) + "-http",
                        HttpIdentityServer.class, topology.serverName(k), Integer.toString(NetnsBenchmark.HTTP_PORT), "4");
            }
            topology.processes().backgroundProcesses().forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(90),
                    List.of("--http", "127.0.0.1:" + HTTP_LISTENER_PORT))) {
                director.restore(ServiceRules.httpAndDiscard(topology, "-m"));
                UdpFloodMeter udp = new UdpFloodMeter(topology);
                WrkMeter wrk = new WrkMeter(topology, connections);
                String vip = "http://" + topology.vip() + ":" + NetnsBenchmark.HTTP_PORT + "/";
                wrk.measure(vip, false, Duration.ofSeconds(3));
                List<Double> udpClosed = new ArrayList<>(), udpOpen = new ArrayList<>();
                List<Double> httpClosed = new ArrayList<>(), httpOpen = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    boolean openFirst = round % 2 == 0;
                    for (int half = 0; half < 2; half++) {
                        boolean open = (half == 0) == openFirst;
                        BackgroundProcess console = open ? startConsoleLoad(topology, round) : null;
                        try {
                            (open ? udpOpen : udpClosed).add(udp.measure(false, Duration.ofSeconds(1), window));
                            (open ? httpOpen : httpClosed).add(wrk.measure(vip, false, window).requestsPerSecond());
                        } finally {
                            if (console != null) console.stop(Duration.ofSeconds(2));
                        }
                    }
                    SetupMeasurer.progress(String.format("  round %d: UDP %.0f closed / %.0f open pkt/s, keep-alive "
                            + "%.0f closed / %.0f open req/s", round, udpClosed.getLast(), udpOpen.getLast(),
                            httpClosed.getLast(), httpOpen.getLast()));
                }
                List<Double> scrapes = scrapeTimes(topology, director);
                StringBuilder out = new StringBuilder();
                out.append(String.format("%nConsole open (jlvs NAT afpacket, --http; an event stream open, /metrics and "
                        + "/api/v1/services fetched every second), %d rounds%n", rounds));
                out.append(row("UDP 64B pkt/s", udpClosed, udpOpen));
                out.append(row("keep-alive req/s", httpClosed, httpOpen));
                out.append(String.format("/metrics with %d services x %d servers: median %.1f ms, slowest %.1f ms of %d "
                        + "scrapes (target < 50 ms: %s)%n", SCRAPE_SERVICES, SCRAPE_SERVERS, Samples.median(scrapes),
                        scrapes.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), scrapes.size(),
                        Samples.median(scrapes) < 50 ? "met" : "missed"));
                return out.toString();
            }
        }
    }

    private static String row(String what, List<Double> closed, List<Double> open) {
        double ratio = Samples.median(open) / Samples.median(closed);
        return String.format("%-17s closed %s (median %.0f), open %s (median %.0f): %.3fx (target within 2%%: %s)%n",
                what, Samples.figures(closed), Samples.median(closed), Samples.figures(open), Samples.median(open), ratio,
                ratio >= 0.98 ? "met" : "missed");
    }

    /** The console's traffic while it is open: an event stream, and each second a scrape and a services listing. */
    private static BackgroundProcess startConsoleLoad(LvsTopology topology, int round) {
        String base = "http://127.0.0.1:" + HTTP_LISTENER_PORT;
        return topology.processes().start(topology.directorNamespace(), "console-load-" + round, List.of("sh", "-c",
                "curl -sN \"$0/api/v1/events\" > /dev/null & trap 'kill $!' EXIT; "
                        + "while :; do curl -s -o /dev/null \"$0/metrics\"; curl -s -o /dev/null \"$0/api/v1/services\"; "
                        + "sleep 1; done", base));
    }

    /** Loads the large configuration and times /metrics from the director's namespace, in milliseconds. */
    private static List<Double> scrapeTimes(LvsTopology topology, JlvsDirector director) {
        SetupMeasurer.progress("loading " + SCRAPE_SERVICES + " services x " + SCRAPE_SERVERS + " servers for the scrape timing");
        StringBuilder rules = new StringBuilder();
        for (int s = 0; s < SCRAPE_SERVICES; s++) {
            String service = "10.77." + (s / 250) + "." + (s % 250 + 1) + ":80";
            rules.append("-A -t ").append(service).append(" -s wlc\n");
            for (int r = 0; r < SCRAPE_SERVERS; r++) {
                rules.append("-a -t ").append(service).append(" -r 10.78.").append(s % 250).append('.').append(r + 1)
                        .append(":80 -m\n");
            }
        }
        director.restore(rules.toString());
        String out = topology.processes().run(topology.directorNamespace(), List.of("sh", "-c",
                "for i in $(seq " + SCRAPES + "); do curl -s -o /dev/null -w '%{time_total}\\n' "
                        + "http://127.0.0.1:" + HTTP_LISTENER_PORT + "/metrics; done"), Duration.ofMinutes(2)).stdoutOrThrow();
        List<Double> millis = new ArrayList<>();
        for (String line : out.strip().split("\n")) millis.add(Double.parseDouble(line.strip()) * 1000);
        // The first scrape builds the new label sets; it is reported as the slowest, not left out.
        return millis;
    }
}
