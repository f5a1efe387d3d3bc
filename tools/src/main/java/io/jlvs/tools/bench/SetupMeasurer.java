package io.jlvs.tools.bench;

import io.jlvs.tools.netns.LvsTopology;

import java.time.Duration;
import java.util.List;

/**
 * Measures one setup of a benchmark part: starts it, takes the UDP and HTTP figures that apply to it, and always
 * undoes it, so the namespaces are clean for the next setup. A setup that fails becomes a row with a note.
 */
final class SetupMeasurer {
    /** Starts a setup; close() undoes it. */
    interface Setup {
        AutoCloseable start() throws Exception;
    }

    private static final Duration WARM_UP = Duration.ofSeconds(2);

    private final Duration window;
    private final UdpFloodMeter udp;
    /** The flood to the IPv6 VIP, for a dual-stack topology; null otherwise. */
    private final UdpFloodMeter udp6;
    private final WrkMeter wrk;
    private final LvsTopology topology;

    /** @param udpServerInterface the servers' interface where forwarded UDP arrives (eth1 on the TUN server network) */
    SetupMeasurer(LvsTopology topology, Duration window, int connections, int wrkThreads, String udpServerInterface) {
        this.topology = topology;
        this.window = window;
        this.udp = new UdpFloodMeter(topology, udpServerInterface);
        this.udp6 = topology.serverAddresses6().isEmpty() ? null : UdpFloodMeter.ipv6(topology, udpServerInterface);
        this.wrk = new WrkMeter(topology, connections, wrkThreads);
    }

    /**
     * Loads every real server's HTTP server from inside its own namespace (keep-alive, then a connection per
     * request) until its JIT has compiled the request path. Without it the first setup to spread requests over all
     * servers pays their warm-up: the routing row sends everything to server 1, so in the DR and TUN parts the jlvs
     * row that follows it would meet two cold JVMs, and a p99 that later rows do not see.
     */
    void warmUpServers(int port, Duration each) {
        progress("warming up the real servers' HTTP servers");
        String url = "http://127.0.0.1:" + port + "/";
        for (String ns : topology.serverNamespaces()) {
            for (boolean newConnectionPerRequest : new boolean[] {false, true}) {
                topology.processes().run(ns, WrkMeter.command(url, 8, newConnectionPerRequest, each), each.plusSeconds(15));
            }
        }
    }

    /**
     * @param udpToServers send the UDP flood to the servers' own addresses (routing) instead of the VIP
     * @param url          the HTTP URL wrk requests
     */
    BenchmarkRow measure(String name, Setup setup, boolean udpApplies, boolean udpToServers, String url, String note) {
        return measure(name, setup, udpApplies, udpToServers, WrkMeter.Target.of(url), note);
    }

    /** As above, with wrk's target spelled out (one URL, or spread over the servers' own addresses). */
    BenchmarkRow measure(String name, Setup setup, boolean udpApplies, boolean udpToServers, WrkMeter.Target url,
                         String note) {
        return measure(name, setup, udpApplies ? udp : null, udpToServers, url, note);
    }

    /**
     * A setup measured over IPv6 on a dual-stack topology: the UDP flood to the IPv6 VIP, wrk to {@code url} (the
     * IPv6 VIP in brackets).
     */
    BenchmarkRow measureIpv6(String name, Setup setup, String url, String note) {
        if (udp6 == null) throw new IllegalStateException("the topology has no IPv6 addresses");
        return measure(name, setup, udp6, false, WrkMeter.Target.of(url), note);
    }

    /** {@code flood}: the UDP flood that applies, or null when none does. */
    private BenchmarkRow measure(String name, Setup setup, UdpFloodMeter flood, boolean udpToServers,
                                 WrkMeter.Target url, String note) {
        progress("measuring " + name);
        forgetTimeWaitSockets();
        AutoCloseable running;
        try {
            running = setup.start();
        } catch (Exception e) {
            progress("  " + name + " could not start: " + firstLine(e));
            return BenchmarkRow.failed(name, "not measured, setup failed: " + firstLine(e));
        }
        try (running) {
            // Unrecorded HTTP through the setup first: a fresh jlvs daemon's JIT has not compiled its TCP path yet,
            // and its first seconds of keep-alive run markedly slower than the next; the kernel setups get the same
            // treatment.
            wrk.measure(url, false, WARM_UP);
            wrk.measure(url, true, WARM_UP);
            double pps = flood != null ? flood.measure(udpToServers, Duration.ofSeconds(1), window) : Double.NaN;
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

    /**
     * Every setup starts without TIME_WAIT sockets. The routing rows leave one on a server for each of the client's
     * ports (a new connection per request, the server closes first); a NAT row then reuses those 4-tuples at the
     * server, but the client's SYN carries timestamps from another per-destination offset (it addressed the VIP,
     * not the server), so half the SYNs fail PAWS against the TIME_WAIT and wait a second to retry, which would cut
     * the next row's new connections per second by an order of magnitude.
     */
    private void forgetTimeWaitSockets() {
        forgetTimeWaitSockets(topology);
    }

    /** Closes the TIME_WAIT sockets of every namespace of the topology (see above). */
    static void forgetTimeWaitSockets(LvsTopology topology) {
        for (String ns : topology.network().namespaces()) {
            topology.processes().run(ns, List.of("ss", "-K", "-t", "-n", "state", "time-wait"), Duration.ofSeconds(30));
        }
    }

    static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static void progress(String line) {
        System.out.println("[bench] " + line);
        System.out.flush();
    }
}
