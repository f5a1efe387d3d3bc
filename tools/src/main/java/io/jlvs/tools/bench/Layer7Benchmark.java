package io.jlvs.tools.bench;

import io.jlvs.tools.netns.HaproxyHttpProxy;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer-7 proxies side by side in the director namespace of a NAT topology with three HTTP servers: HAProxy in
 * http mode (without and with {@code option splice-auto}) and jlvs's layer-7 proxy with each splice mode (sockmap,
 * pipe, copy), all with the same rules: paths under /images/ to the first server, the rest spread. Clients connect to
 * the director's own address on {@link #PROXY_PORT}. Figures: short requests per second on a new connection each, keep-alive
 * requests per second, one bulk download's MiB/s and the CPU seconds per GiB it cost the proxy process and the
 * machine. Ratios are to HAProxy http mode; the targets are checked against the sockmap row.
 */
final class Layer7Benchmark {
    static final int PROXY_PORT = 8080;
    static final long DEFAULT_BULK_BYTES = 1L << 30;
    static final String REFERENCE = "HAProxy http";
    static final String SOCKMAP = "jlvs L7 sockmap";
    static final String PHTTP = "jlvs L7 phttp";
    private static final Duration WARM_UP = Duration.ofSeconds(2);

    /** A started proxy: close() stops it; {@code pid} is the process whose CPU is the proxy's. */
    private record Running(AutoCloseable proxy, long pid, java.util.function.Supplier<String> note) {
    }

    private interface Starter {
        Running start() throws Exception;
    }

    private final LvsTopology topology;
    private final Duration window;
    private final WrkMeter wrk;
    private final BulkMeter bulk;
    private final String baseUrl;

    private final int rounds;

    private Layer7Benchmark(LvsTopology topology, Duration window, int connections, long bulkBytes, int rounds) {
        this.topology = topology;
        this.rounds = rounds;
        this.window = window;
        this.wrk = new WrkMeter(topology, connections);
        this.bulk = new BulkMeter(topology, bulkBytes);
        this.baseUrl = "http://" + topology.directorClientAddress() + ":" + PROXY_PORT;
    }

    /** Runs the whole part in its own namespaces ({@code prefix}l7-*) and returns the report text. */
    static String run(String prefix, Duration window, int connections, long bulkBytes, int rounds) {
        SetupMeasurer.progress("building the NAT topology for the layer-7 part (namespaces " + prefix + "l7-*)");
        try (LvsTopology topology = LvsTopology.nat(prefix + "l7", 3)) {
            for (int k = 1; k <= topology.serverCount(); k++) {
                ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), topology.serverName(k) + "-http",
                        HttpIdentityServer.class, topology.serverName(k), Integer.toString(NetnsBenchmark.HTTP_PORT), "4");
            }
            topology.processes().backgroundProcesses().forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            return new Layer7Benchmark(topology, window, connections, bulkBytes, rounds).runAll();
        }
    }

    private String runAll() {
        warmUpServers();
        String server = "http://" + topology.serverAddress(2) + ":" + NetnsBenchmark.HTTP_PORT;
        SetupMeasurer.progress("bulk straight from " + topology.serverName(2) + " to the director namespace");
        double direct = bulk.direct(topology.directorNamespace(), server);
        SetupMeasurer.progress(String.format("  %.0f MiB/s", direct));
        // rounds interleave the setups, so a slow spell of the machine costs each of them alike
        List<List<Layer7Row>> perSetup = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1) SetupMeasurer.progress("layer-7 part, round " + round + " of " + rounds);
            List<Layer7Row> measured = new ArrayList<>();
            measured.add(measure(REFERENCE, () -> haproxy(false), "nbthread 1; / round-robin over rs1-rs3"));
            measured.add(measure("HAProxy http, splice-auto", () -> haproxy(true), "as above, option splice-auto"));
            for (String mode : List.of("sockmap", "pipe", "copy")) {
                measured.add(measure("jlvs L7 " + mode, () -> jlvs("http", mode), "one event loop; / over rs2, rs3"));
            }
            measured.add(measure(PHTTP, () -> jlvs("phttp", "sockmap"),
                    "one event loop; every request placed, / over rs2, rs3"));
            for (int i = 0; i < measured.size(); i++) {
                if (round == 1) perSetup.add(new ArrayList<>());
                perSetup.get(i).add(measured.get(i));
            }
        }
        List<Layer7Row> rows = perSetup.stream().map(Layer7Row::median).toList();
        Layer7Row reference = rows.getFirst();
        Layer7Row sockmap = rows.stream().filter(r -> r.setup().equals(SOCKMAP)).findFirst().orElseThrow();
        Layer7Row phttp = rows.stream().filter(r -> r.setup().equals(PHTTP)).findFirst().orElseThrow();
        StringBuilder out = new StringBuilder(String.format("%nLayer 7 part%s (proxy on %s:%d; bulk: one %d MiB download; "
                + "a server sends %.0f MiB/s straight to the director namespace)%n",
                rounds == 1 ? "" : " (median of " + rounds + " rounds)", topology.directorClientAddress(),
                PROXY_PORT, bulkBytesMib(), direct));
        out.append(Layer7Table.format(rows, reference));
        out.append("  keep-alive: jlvs's http scheduler places a connection by its first request (the first 64 KiB are "
                + "relayed on the event loop, the rest spliced), so every request on a connection goes to the server its "
                + "first one chose; HAProxy chooses per request\n");
        out.append("  machine CPU: every core's busy time during the download (client, servers and proxy share one "
                + "kernel); softirq is part of it\n");
        out.append(targets(sockmap, phttp, reference));
        return out.toString();
    }

    private long bulkBytesMib() {
        return bulk.bytes() >> 20;
    }

    static String targets(Layer7Row sockmap, Layer7Row phttp, Layer7Row reference) {
        double newConnections = ratio(sockmap, reference, r -> r.newConnection().requestsPerSecond());
        double keepAlive = ratio(phttp, reference, r -> r.keepAlive().requestsPerSecond());
        double bulk = ratio(sockmap, reference, r -> r.bulk().mibPerSecond());
        double cpu = ratio(sockmap, reference, r -> r.bulk().processCpuPerGib());
        return String.format("Targets against HAProxy http: jlvs L7 sockmap new connections %.2fx (>= 1.0x: %s), "
                        + "jlvs L7 phttp keep-alive %.2fx (>= 0.9x: %s), jlvs L7 sockmap bulk %.2fx (>= 1.2x: %s) and "
                        + "proxy CPU per GiB %.2fx (<= 0.5x: %s)%n", newConnections, verdict(newConnections >= 1.0),
                keepAlive, verdict(keepAlive >= 0.9), bulk, verdict(bulk >= 1.2), cpu, verdict(cpu <= 0.5));
    }

    private static double ratio(Layer7Row row, Layer7Row reference, java.util.function.ToDoubleFunction<Layer7Row> figure) {
        return figure.applyAsDouble(row) / figure.applyAsDouble(reference);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }

    private Running haproxy(boolean spliceAuto) {
        HaproxyHttpProxy proxy = HaproxyHttpProxy.start(topology, PROXY_PORT, NetnsBenchmark.HTTP_PORT, spliceAuto);
        return new Running(proxy, proxy.process().pid(), () -> "");
    }

    /** A fresh daemon per mode, so each row's CPU and JIT start alike; a mode the kernel refused shows in the note. */
    private Running jlvs(String scheduler, String mode) {
        JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(90), List.of());
        try {
            String port = Integer.toString(PROXY_PORT);
            tcpvs(director, "-A", "-i", "web", "-s", scheduler, "-P", port, "--splice", mode);
            for (int k = 1; k <= topology.serverCount(); k++) {
                tcpvs(director, "-a", "-i", "web", "-r", server(k));
            }
            tcpvs(director, "--add-rule", "-i", "web", "-p", "^/images/", "-r", server(1));
            tcpvs(director, "--add-rule", "-i", "web", "-p", ".*", "-r", server(2));
            tcpvs(director, "--add-rule", "-i", "web", "-p", ".*", "-r", server(3));
            tcpvs(director, "--start");
            // The daemon's own account of the mode it spliced with: its listening line, and any fallback warning.
            return new Running(director, director.daemon().pid(), () -> String.join("; ", director.daemon().logText()
                    .lines().filter(l -> l.contains("--splice") || l.contains("layer-7 service web listening"))
                    .map(l -> l.substring(l.indexOf(':', l.indexOf("  ") + 1) + 1).strip()).toList()));
        } catch (RuntimeException e) {
            director.close();
            throw e;
        }
    }

    private String server(int k) {
        return topology.serverAddress(k) + ":" + NetnsBenchmark.HTTP_PORT;
    }

    private static void tcpvs(JlvsDirector director, String... args) {
        director.tcpvs(args).stdoutOrThrow();
    }

    private Layer7Row measure(String name, Starter starter, String note) {
        SetupMeasurer.progress("measuring " + name);
        forgetTimeWaitSockets();
        Running running;
        try {
            running = starter.start();
        } catch (Exception e) {
            SetupMeasurer.progress("  " + name + " could not start: " + SetupMeasurer.firstLine(e));
            return Layer7Row.failed(name, "not measured, setup failed: " + SetupMeasurer.firstLine(e));
        }
        try (AutoCloseable proxy = running.proxy()) {
            String url = baseUrl + "/";
            wrk.measure(url, false, WARM_UP);
            wrk.measure(url, true, WARM_UP);
            WrkMeter.HttpFigures newConnection = wrk.measure(url, true, window);
            WrkMeter.HttpFigures keepAlive = wrk.measure(url, false, window);
            BulkMeter.BulkFigures figures = bulk.measure(baseUrl, running.pid());
            long errors = newConnection.errors() + keepAlive.errors();
            String extra = running.note().get();
            String fullNote = note + (extra.isEmpty() ? "" : "; " + extra) + (errors == 0 ? "" : "; " + errors + " HTTP errors");
            SetupMeasurer.progress(String.format("  %s: %.0f req/s new connection, %.0f req/s keep-alive, %.0f MiB/s bulk, "
                            + "%.2f proxy CPU s/GiB", name, newConnection.requestsPerSecond(), keepAlive.requestsPerSecond(),
                    figures.mibPerSecond(), figures.processCpuPerGib()));
            return new Layer7Row(name, newConnection, keepAlive, figures, fullNote);
        } catch (Exception e) {
            SetupMeasurer.progress("  " + name + " failed: " + SetupMeasurer.firstLine(e));
            return Layer7Row.failed(name, "failed: " + SetupMeasurer.firstLine(e));
        }
    }

    /** Keep-alive, then a connection per request, from inside each server's namespace, until its JIT has compiled. */
    private void warmUpServers() {
        SetupMeasurer.progress("warming up the real servers' HTTP servers");
        String url = "http://127.0.0.1:" + NetnsBenchmark.HTTP_PORT + "/";
        for (String ns : topology.serverNamespaces()) {
            for (boolean newConnectionPerRequest : new boolean[] {false, true}) {
                topology.processes().run(ns, WrkMeter.command(url, 8, newConnectionPerRequest, WARM_UP), WARM_UP.plusSeconds(15));
            }
        }
    }

    /**
     * Each row starts without TIME_WAIT sockets, so a row's new connections never meet the previous row's 4-tuples
     * (see SetupMeasurer).
     */
    private void forgetTimeWaitSockets() {
        for (String ns : topology.network().namespaces()) {
            topology.processes().run(ns, List.of("ss", "-K", "-t", "-n", "state", "time-wait"), Duration.ofSeconds(30));
        }
    }
}
