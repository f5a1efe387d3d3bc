package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.TcpEchoServer;
import io.jlvs.tools.netns.UdpEchoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Failover between two jlvs directors (DR, VRRP with the connection sync following it): the master is frozen with
 * SIGSTOP, as a hung machine is, and the backup takes over; the takeover time is the client's silence, from the
 * last answer through the old master to the first through the new one, on a UDP stream of one datagram a
 * millisecond ({@link FailoverProbe}); after each takeover the client sends a byte on each of N long-lived TCP
 * connections opened before the first one, and counts those that do not answer. Then SIGCONT: the old master
 * preempts back, and the connections are checked again. Repeated F times at advert_int 1 (VRRP 2) and 0.1 (VRRP 3).
 */
final class FailoverBenchmark {
    static final int DEFAULT_FAILOVERS = 20;
    static final int DEFAULT_CONNECTIONS = 1000;
    /** The parts --failover-parts can name: takeovers (both VRRP versions), the sync's cost, a restart. */
    static final List<String> PARTS = List.of("takeover", "sync", "restart");
    /** The daemon's forwarding warm-up off, and at its default. */
    private static final List<String> WARMUPS = List.of("0", "1");
    /** Packets at the servers that show the flood is flowing (VRRP adverts reach them too, ten a second). */
    private static final long FLOWING = 1000;
    private static final int UDP_PORT = 9, TCP_PORT = 7;
    private static final Duration START = Duration.ofSeconds(120);

    private FailoverBenchmark() {}

    static String run(String prefix, int failovers, int connections, List<String> parts) {
        StringBuilder report = new StringBuilder();
        if (parts.contains("takeover")) {
            report.append(String.format(
                    "%nFailover: SIGSTOP of the master, %d times per row, %d TCP connections established%n", failovers,
                    connections));
            report.append("| VRRP | advert_int | takeover median (ms) | worst (ms) | bound 3 x advert + skew + 50 (ms) "
                    + "| connections lost per takeover (max) | lost per return (max) |\n|---|---|---|---|---|---|---|\n");
            report.append(measure(prefix + "v2", 2, "1", 100, failovers, connections));
            report.append(measure(prefix + "v3", 3, "0.1", 10, failovers, connections));
        }
        if (parts.contains("sync")) report.append(syncCost(prefix + "sc"));
        if (parts.contains("restart")) {
            report.append(String.format("%nForwarding in the first second after a restart (kill -9 and start, NAT) and "
                    + "after a takeover (SIGSTOP of the master, DR, VRRP 3 at 0.1 s); a 64-byte UDP flood to the VIP "
                    + "(trafgen, 256 flows), counted at the real servers%n"));
            report.append("| event | --warmup (s) | warm before (pkt/s) | first second after | ratio | five seconds "
                    + "later | ratio |\n|---|---|---|---|---|---|---|\n");
            for (String warmup : WARMUPS) report.append(restartRate(prefix + "rs", warmup));
            for (String warmup : WARMUPS) report.append(takeoverRate(prefix + "tr", warmup));
        }
        return report.toString();
    }

    private static String measure(String prefix, int version, String advert, int centis, int failovers,
                                  int connections) {
        SetupMeasurer.progress("failover: VRRP " + version + " advert_int " + advert + ", " + failovers
                + " takeovers (namespaces " + prefix + "-*)");
        try (FailoverTopology topology = FailoverTopology.dr(prefix, 2)) {
            Path dir = topology.processes().logDirectory();
            List<BackgroundProcess> servers = new ArrayList<>();
            for (int k = 1; k <= topology.serverCount(); k++) {
                servers.add(ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), "udp" + k,
                        UdpEchoServer.class, "rs" + k, Integer.toString(UDP_PORT)));
                servers.add(ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), "tcp" + k,
                        TcpEchoServer.class, "rs" + k, Integer.toString(TCP_PORT)));
            }
            servers.forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            JlvsDirector master = start(topology, 1, 150, version, advert);
            JlvsDirector backup = start(topology, 2, 100, version, advert);
            try {
                awaitState(master, "MASTER");
                awaitState(backup, "BACKUP");
                Path control = Files.createDirectories(dir.resolve("probe"));
                BackgroundProcess probe = ServerLauncher.startJava(topology.processes(), topology.clientNamespace(),
                        "probe", FailoverProbe.class, topology.vip(), Integer.toString(UDP_PORT),
                        Integer.toString(TCP_PORT), Integer.toString(connections), control.toString());
                probe.awaitLogLine("READY", Duration.ofSeconds(120));
                Conditions.await("the connections at the backup", Duration.ofSeconds(60),
                        () -> established(backup) >= connections);
                List<Long> takeovers = new ArrayList<>();
                int lostTakeover = 0, lostReturn = 0, check = 0;
                for (int i = 1; i <= failovers; i++) {
                    int gaps = lines(probe, "GAP ").size();
                    master.daemon().suspend();
                    Conditions.await("the takeover " + i, Duration.ofSeconds(30),
                            () -> lines(probe, "GAP ").size() > gaps);
                    String[] gap = lines(probe, "GAP ").get(gaps).split(" ");
                    takeovers.add(Long.parseLong(gap[2]) - Long.parseLong(gap[1]));
                    lostTakeover = Math.max(lostTakeover, checkConnections(probe, control, ++check));
                    int yielded = transitions(backup, "MASTER -> BACKUP");
                    master.daemon().resume();
                    Conditions.await("the return " + i, Duration.ofSeconds(30),
                            () -> transitions(backup, "MASTER -> BACKUP") > yielded);
                    lostReturn = Math.max(lostReturn, checkConnections(probe, control, ++check));
                }
                probe.stop(Duration.ofSeconds(2));
                List<Long> sorted = takeovers.stream().sorted().toList();
                long bound = 3L * centis * 10 + (256 - 100) * (version == 3 ? centis * 10L : 1000L) / 256 + 50;
                return String.format("| %d | %s | %d | %d | %d | %d of %d | %d of %d |%n", version, advert,
                        sorted.get(sorted.size() / 2), sorted.getLast(), bound, lostTakeover, connections,
                        lostReturn, connections);
            } finally {
                backup.close();
                master.daemon().resume();
                master.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * New connections per second through the master (connect, one byte echoed, close; 4 client threads, 10 s)
     * without a sync daemon, with the master's sync sending every connection, and with the backup importing them too
     * (which on this one machine takes CPU from the same cores).
     */
    private static String syncCost(String prefix) {
        SetupMeasurer.progress("failover: the sync's cost on new connections (namespaces " + prefix + "-*)");
        try (FailoverTopology topology = FailoverTopology.dr(prefix, 2)) {
            List<BackgroundProcess> servers = new ArrayList<>();
            for (int k = 1; k <= topology.serverCount(); k++) {
                servers.add(ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), "tcp" + k,
                        TcpEchoServer.class, "rs" + k, Integer.toString(TCP_PORT)));
            }
            servers.forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            // 0: no sync; 1: the master sends, the backup runs without a sync daemon (the master's own cost);
            // 2: the backup imports too, on the same two cores.
            long[] rates = new long[3];
            for (int mode = 0; mode <= 2; mode++) {
                JlvsDirector master = start(topology, 1, 150, 2, "1", mode > 0, "m" + mode, List.of());
                JlvsDirector backup = start(topology, 2, 100, 2, "1", mode == 2, "b" + mode, List.of());
                try {
                    awaitState(master, "MASTER");
                    awaitState(backup, "BACKUP");
                    BackgroundProcess rate = ServerLauncher.startJava(topology.processes(), topology.clientNamespace(),
                            "rate-" + mode, FailoverProbe.class, "rate", topology.vip(),
                            Integer.toString(TCP_PORT), "10", "4");
                    Conditions.await("the connection rate", Duration.ofSeconds(60), () -> !lines(rate, "RATE ").isEmpty());
                    rates[mode] = Long.parseLong(lines(rate, "RATE ").getFirst().split(" ")[1]);
                } finally {
                    backup.close();
                    master.close();
                }
            }
            return String.format("%nNew connections per second through the master (4 client threads, 10 s): %,d without "
                    + "the sync; %,d with the master sending to the group (%.2fx); %,d with the backup importing them "
                    + "on the same cores (%.2fx)%n", rates[0], rates[1], ratio(rates[1], rates[0]), rates[2],
                    ratio(rates[2], rates[0]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The forwarding rate of a restarted daemon against a warm one: NAT, a 64-byte UDP flood to the VIP; packets the
     * real servers receive in one second before a kill -9, in the first second after the new daemon's control
     * socket appears (its connections re-attached, its workers forwarding), and five seconds later.
     */
    private static String restartRate(String prefix, String warmup) {
        SetupMeasurer.progress("failover: the forwarding rate after a restart, --warmup " + warmup + " (namespaces "
                + prefix + "-*)");
        List<String> options = List.of("--warmup", warmup);
        try (LvsTopology topology = LvsTopology.nat(prefix, 2)) {
            UdpFloodMeter meter = new UdpFloodMeter(topology);
            JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", START, options);
            try {
                director.addServiceWithAllServers("-u", UdpFloodMeter.DISCARD_PORT, "rr", "-m");
                BackgroundProcess flood = meter.startFloodToVip(meter.directorMac(topology.directorNamespace()));
                try {
                    UdpFloodMeter.sleep(Duration.ofSeconds(5));
                    double warm = rate(meter);
                    director.kill();
                    director = director.startAgain(2, START);
                    return rateRow("restart", warmup, warm, meter);
                } finally {
                    flood.stop(Duration.ofSeconds(2));
                }
            } finally {
                director.close();
            }
        }
    }

    /**
     * The forwarding rate of a backup that takes over against the master's warm rate: DR, VRRP 3 at 0.1 s, the
     * flood addressed to the master's MAC, then (once the backup is MASTER) to the backup's; the backup has been
     * idle since its start, as a standby director is.
     */
    private static String takeoverRate(String prefix, String warmup) {
        SetupMeasurer.progress("failover: the forwarding rate after a takeover, --warmup " + warmup + " (namespaces "
                + prefix + "-*)");
        try (FailoverTopology topology = FailoverTopology.dr(prefix, 2)) {
            UdpFloodMeter meter = new UdpFloodMeter(topology);
            List<String> options = List.of("--warmup", warmup);
            JlvsDirector master = start(topology, 1, 150, 3, "0.1", false, "w1", options);
            JlvsDirector backup = start(topology, 2, 100, 3, "0.1", false, "w2", options);
            try {
                awaitState(master, "MASTER");
                awaitState(backup, "BACKUP");
                BackgroundProcess flood = meter.startFloodToVip(meter.directorMac(topology.directorNamespace(1)));
                try {
                    UdpFloodMeter.sleep(Duration.ofSeconds(5));
                    double warm = rate(meter);
                    // The method's own floor: the flood stopped and started again at the same, warm master.
                    flood = redirect(meter, flood, topology.directorNamespace(1));
                    String floor = rateRow("flood restarted, same master", warmup, warm, meter);
                    master.daemon().suspend();
                    awaitState(backup, "MASTER");
                    flood = redirect(meter, flood, topology.directorNamespace(2));
                    return floor + rateRow("takeover", warmup, warm, meter);
                } finally {
                    flood.stop(Duration.ofSeconds(2));
                }
            } finally {
                backup.close();
                master.daemon().resume();
                master.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the flood and floods director {@code namespace}'s MAC instead, returning once its first frames reach
     * the servers: trafgen's own start is not the director's.
     */
    private static BackgroundProcess redirect(UdpFloodMeter meter, BackgroundProcess flood, String namespace) {
        flood.stop(Duration.ofSeconds(2));
        long before = meter.receivedByServers();
        BackgroundProcess next = meter.startFloodToVip(meter.directorMac(namespace));
        Conditions.await("the flood through " + namespace, Duration.ofSeconds(20),
                () -> meter.receivedByServers() > before + FLOWING);
        return next;
    }

    /** The first second's rate and the rate five seconds later, against {@code warm}, as a table row. */
    private static String rateRow(String event, String warmup, double warm, UdpFloodMeter meter) {
        double first = rate(meter);
        UdpFloodMeter.sleep(Duration.ofSeconds(4));
        double later = rate(meter);
        return String.format("| %s | %s | %,.0f | %,.0f | %.2fx | %,.0f | %.2fx |%n", event, warmup, warm, first,
                first / warm, later, later / warm);
    }

    /** Packets per second the real servers receive over the next second. */
    private static double rate(UdpFloodMeter meter) {
        long before = meter.receivedByServers();
        long start = System.nanoTime();
        UdpFloodMeter.sleep(Duration.ofSeconds(1));
        return (meter.receivedByServers() - before) / ((System.nanoTime() - start) / 1e9);
    }

    private static double ratio(long a, long b) { return b == 0 ? 0.0 : (double) a / b; }

    private static int checkConnections(BackgroundProcess probe, Path control, int k) {
        try {
            Files.writeString(control.resolve("check-" + k), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "CHECK " + k + " LOST ";
        Conditions.await("connection check " + k, Duration.ofSeconds(60), () -> !lines(probe, prefix).isEmpty());
        return Integer.parseInt(lines(probe, prefix).getFirst().substring(prefix.length()).trim());
    }

    private static List<String> lines(BackgroundProcess p, String prefix) {
        return p.logText().lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private static int transitions(JlvsDirector director, String transition) {
        return (int) director.daemon().logText().lines().filter(l -> l.contains("VRRP VI_1: " + transition)).count();
    }

    private static long established(JlvsDirector director) {
        return director.admOrThrow("-L", "-n", "-c").lines().filter(l -> l.contains(" ESTABLISHED ")).count();
    }

    private static void awaitState(JlvsDirector director, String state) {
        director.awaitVrrpState("VI_1", state, Duration.ofSeconds(30));
    }

    private static JlvsDirector start(FailoverTopology topology, int d, int priority, int version, String advert)
            throws IOException {
        return start(topology, d, priority, version, advert, true, "d" + d, List.of());
    }

    /** A director with the VRRP instance and both services; {@code name} keeps its files apart from earlier ones. */
    private static JlvsDirector start(FailoverTopology topology, int d, int priority, int version, String advert,
                                      boolean sync, String name, List<String> daemonOptions) throws IOException {
        StringBuilder c = new StringBuilder("global_defs {\n    vrrp_version " + version
                + (sync ? "\n    lvs_sync_daemon lan0 VI_1 id 5" : "") + "\n}\nvrrp_instance VI_1 {\n    state BACKUP\n    interface lan0\n"
                + "    virtual_router_id 71\n    priority " + priority + "\n    advert_int " + advert
                + "\n    virtual_ipaddress {\n        " + topology.vip() + "/24 dev lan0\n    }\n}\n");
        for (String[] service : new String[][] {{"UDP", Integer.toString(UDP_PORT)}, {"TCP", Integer.toString(TCP_PORT)}}) {
            c.append("virtual_server ").append(topology.vip()).append(' ').append(service[1]).append(" {\n")
                    .append("    lb_algo rr\n    lb_kind DR\n    protocol ").append(service[0]).append('\n');
            for (String server : topology.serverAddresses()) {
                c.append("    real_server ").append(server).append(' ').append(service[1]).append(" {\n    }\n");
            }
            c.append("}\n");
        }
        Path config = topology.processes().logDirectory().resolve("jlvs-" + name + ".conf");
        Files.writeString(config, c.toString());
        List<String> options = new ArrayList<>(List.of("--config", config.toString()));
        options.addAll(daemonOptions);
        return JlvsDirector.start(topology.seat(d).named(name), "dr", "afpacket", START, options);
    }
}
