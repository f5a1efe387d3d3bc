package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.KernelBaselines;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.RealtimeNapi;
import io.jlvs.tools.netns.ServerLauncher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code jlvs bench --synflood}: legitimate clients' new connections per second at a NAT service, without and
 * during a spoofed SYN flood at the highest rate trafgen sends from this machine (random unicast sources and
 * ports, one sending process, no rate limit), for jlvs with --synproxy and for kernel nftables DNAT with SYN
 * cookies on the real servers ({@code net.ipv4.tcp_syncookies=1}, the kernel's default: cookies once a listener's
 * SYN queue overflows); jlvs with one worker and with one per core, and with the SYNs answered by the XDP fast
 * path (--fast-path xdp) in the kernel, natively, generically, and natively with the director's receive polled at
 * real-time priority ({@link RealtimeNapi}). Each setup faces three floods: trafgen at full speed, and at
 * {@link #FLOOD_RATES}' fixed rates, the same for every setup: at full speed trafgen sends as fast as the setup lets
 * it, which differs (the kernel's NAT and the XDP answers run in trafgen's own sending context, the Java path on
 * another core). A fourth window has the same full-speed trafgen send into a device that drops every frame, to
 * measure what the sending process alone takes from the clients on this machine's shared cores. wrk opens a new
 * connection per request (Connection: close). Reported per setup: both
 * rates and their ratio, the flood's rate, the connection table (jlvs: its connections; the kernel: the director's
 * conntrack entries) before the flood and at the end of its window, and the half-open connections at the servers then.
 *
 * <p>The director has a default route toward the client side for the run, as toward an uplink, so that the
 * kernel can route the answers to spoofed sources as jlvs sends its own; trafgen and wrk share this machine's
 * cores with the director and the servers, so the flood also takes CPU from everything else.
 */
final class SynFloodBenchmark {
    static final int PORT = NetnsBenchmark.HTTP_PORT;
    static final String JLVS_SETUP = "jlvs NAT afpacket --synproxy";
    /** The SYNs answered by the XDP program in the kernel, the rest as in {@link #JLVS_SETUP}. */
    static final String XDP_SETUP = "jlvs NAT afpacket --synproxy --fast-path xdp";
    static final String KERNEL_SETUP = "kernel NAT (nftables DNAT), syncookies on the servers";

    /** {@link Row#floodRate()} of the unflooded figure. */
    static final int NO_FLOOD = -1;
    /**
     * {@link Row#floodRate()} of the figure with the sender alone: trafgen at full speed, its frames into a device
     * that drops them ({@link #SINK}), so that nothing answers or forwards them. What that window loses is the CPU
     * the sending process takes from the legitimate clients on this machine, the part of a flood's cost no defence
     * of the director can win back here.
     */
    static final int SENDER_ALONE = -2;
    /** An ifb device in the client namespace: with no traffic redirected to it, it drops what it is given. */
    static final String SINK = "synsink";

    /** One figure of a setup: without a flood, at full speed (0), at a set rate, or with the sender alone. */
    record Row(String setup, int floodRate, double connectionsPerSecond, double unflooded, long synPerSecond,
               long clientDropsPerSecond, long table, long halfOpen, long errors, String failure) {
        static Row failed(String setup, String why) {
            return new Row(setup, NO_FLOOD, 0, 0, 0, 0, 0, 0, 0, why);
        }

        /** The flooded figure over the setup's unflooded one (1 for the unflooded row itself). */
        double ratio() { return floodRate == NO_FLOOD ? 1 : unflooded > 0 ? connectionsPerSecond / unflooded : 0; }

        String flood() {
            return switch (floodRate) {
                case NO_FLOOD -> "none";
                case SENDER_ALONE -> "full, sunk";
                case 0 -> "full speed";
                default -> String.format(Locale.ROOT, "%,d/s", floodRate);
            };
        }
    }

    /**
     * The floods of each setup: trafgen at full speed, and at two rates every setup takes: 100,000/s, about what
     * the kernel's NAT and the XDP answers let trafgen send at full speed here, and 10,000/s.
     */
    static final List<Integer> FLOOD_RATES = List.of(0, 100_000, 10_000);
    /**
     * Unrecorded wrk before a setup's first window: with 5 s a freshly started director's first window still ran
     * at half its later rate (the Java path that opens the proxied connections not yet compiled).
     */
    private static final Duration WARM_UP = Duration.ofSeconds(20);
    /** Longer than the servers' SYN-ACK retries of a half-open connection (tcp_synack_retries 5: 63 s). */
    private static final Duration HALF_OPEN_DRAIN = Duration.ofSeconds(75);

    private final LvsTopology topology;
    private final Duration window;
    private final WrkMeter wrk;

    private SynFloodBenchmark(LvsTopology topology, Duration window, int connections) {
        this.topology = topology;
        this.window = window;
        this.wrk = new WrkMeter(topology, connections);
    }

    static String run(String prefix, int servers, Duration window, int connections) {
        SetupMeasurer.progress("building the NAT topology with " + servers + " real servers (namespaces " + prefix
                + "-*)");
        try (LvsTopology topology = LvsTopology.nat(prefix, servers)) {
            for (int k = 1; k <= servers; k++) {
                topology.network().sysctl(topology.serverNamespace(k), "net.ipv4.tcp_syncookies", "1");
                ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), topology.serverName(k)
                        + "-http", HttpIdentityServer.class, topology.serverName(k), Integer.toString(PORT), "4");
            }
            topology.processes().backgroundProcesses().forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            topology.network().addDefaultRoute(topology.directorNamespace(), topology.clientAddress());
            topology.network().check(topology.clientNamespace(), "ip", "link", "add", SINK, "type", "ifb");
            topology.network().check(topology.clientNamespace(), "ip", "link", "set", SINK, "up");
            SynFloodBenchmark bench = new SynFloodBenchmark(topology, window, connections);
            // jlvs first: the kernel's flood leaves conntrack entries behind in the director for minutes.
            List<Row> rows = new ArrayList<>(bench.measureJlvs(1, false));
            int cores = Runtime.getRuntime().availableProcessors();
            if (cores > 1) rows.addAll(bench.measureJlvs(cores, false));
            rows.addAll(bench.measureKernel());
            // Last: it turns on NAPI and an XDP program at the client's veth end, which the XDP answers need; the
            // conntrack entries the kernel's flood left do not meet them (they never reach the director's kernel).
            topology.enableXdpRedirectIntoDirector();
            topology.enableXdpTxToClientSide();
            // The director's veth receives in the sender's softirq, so trafgen pays for the XDP answers as it pays
            // for the kernel's NAT above.
            rows.addAll(bench.measureJlvs(1, true));
            rows.addAll(bench.measureJlvs(1, true, "generic"));
            rows.addAll(bench.measureJlvsReceivingAhead());
            return format(rows, window, connections);
        }
    }

    /**
     * jlvs with {@code workers} forwarding threads (more than one: one per core, PACKET_FANOUT spreading flows), and
     * with {@code xdp} the SYNs answered by the fast path's XDP program.
     */
    private List<Row> measureJlvs(int workers, boolean xdp) {
        return measureJlvs(workers, xdp, "auto");
    }

    /** As {@link #measureJlvs(int, boolean)}, the XDP program attached in {@code xdpMode} (jlvs --xdp-mode). */
    private List<Row> measureJlvs(int workers, boolean xdp, String xdpMode) {
        String base = xdp ? XDP_SETUP : JLVS_SETUP;
        if (!xdpMode.equals("auto")) base += " --xdp-mode " + xdpMode;
        return measureJlvs(workers, xdp, xdpMode, workers == 1 ? base : base + ", " + workers + " workers", false);
    }

    /**
     * The XDP answers with the director's client-side veth polled by a NAPI thread of its own at real-time
     * priority, once the program has turned NAPI on there: as a NIC's interrupt-driven receive, which no process
     * can keep from running, where veth's receive otherwise runs in softirq work that, under the flood, the kernel
     * hands to ksoftirqd, a thread the sender and everything else compete with while the 256-frame ring fills.
     */
    private List<Row> measureJlvsReceivingAhead() {
        return measureJlvs(1, true, "auto", XDP_SETUP + ", receive at real-time priority", true);
    }

    private List<Row> measureJlvs(int workers, boolean xdp, String xdpMode, String setup, boolean receiveAhead) {
        SetupMeasurer.progress(setup);
        List<String> options = new ArrayList<>(List.of("--workers", Integer.toString(workers)));
        if (xdp) options.addAll(List.of("--fast-path", "xdp", "--xdp-mode", xdpMode));
        JlvsDirector director;
        try {
            director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(90), options);
        } catch (RuntimeException e) {
            return List.of(Row.failed(setup, "the daemon did not start: " + SetupMeasurer.firstLine(e)));
        }
        try (director) {
            String service = topology.vip() + ":" + PORT;
            StringBuilder rules = new StringBuilder("-A -t " + service + " -s rr --synproxy\n");
            for (String server : topology.serverAddresses()) {
                rules.append("-a -t ").append(service).append(" -r ").append(server).append(':').append(PORT)
                        .append(" -m\n");
            }
            director.restore(rules.toString());
            if (receiveAhead) RealtimeNapi.enable(topology.network(), topology.directorNamespace(),
                    topology.directorClientSide());
            // Native XDP on the director's veth receives into its NAPI ring (256 frames), whose EAGAIN ends
            // trafgen's TX ring send; generic XDP receives through the backlog, as without a program.
            return measure(setup, () -> jlvsConnections(director), xdp && xdpMode.equals("auto"));
        } catch (RuntimeException e) {
            return List.of(Row.failed(setup, SetupMeasurer.firstLine(e)));
        }
    }

    private List<Row> measureKernel() {
        SetupMeasurer.progress(KERNEL_SETUP);
        try (AutoCloseable nat = KernelBaselines.nftablesNat(topology)) {
            return measure(KERNEL_SETUP, this::conntrackEntries, false);
        } catch (Exception e) {
            return List.of(Row.failed(KERNEL_SETUP, SetupMeasurer.firstLine(e)));
        }
    }

    /**
     * The unflooded figure, one per flood rate, one with the sender alone, and the unflooded figure again: the
     * flooded ones are compared with the mean of the two around them, so that the machine's drift and the
     * director's warming do not pass for the flood's effect. The table and the servers' half-open connections are
     * read after each window, the flood still on (jlvsadm is a JVM: reading it during the window would take CPU from
     * the figure).
     */
    private List<Row> measure(String setup, LongSupplier table, boolean napiRing) {
        String url = "http://" + topology.vip() + ":" + PORT + "/";
        awaitNoHalfOpenAtServers();
        SetupMeasurer.forgetTimeWaitSockets(topology);
        wrk.measure(url, true, WARM_UP); // warm-up: servers, director (its JIT), ARP
        WrkMeter.HttpFigures before = wrk.measure(url, true, window);
        long tableBefore = table.getAsLong(), halfOpenBefore = halfOpenAtServers();
        SetupMeasurer.progress(String.format(Locale.ROOT, "  unflooded: %.0f new connections/s", before.requestsPerSecond()));
        List<Row> flooded = new ArrayList<>();
        List<Integer> floods = new ArrayList<>(FLOOD_RATES);
        floods.add(SENDER_ALONE);
        for (int rate : floods) {
            boolean sunk = rate == SENDER_ALONE;
            BackgroundProcess flood = sunk ? startFlood(SINK, 0, false) : startFlood(rate, napiRing);
            LongSupplier sentFrames = sunk ? this::sunk : this::clientSent;
            try {
                UdpFloodMeter.sleep(Duration.ofSeconds(1)); // the flood at its rate before the window starts
                requireFlooding(flood, "before the window");
                long sentBefore = sentFrames.getAsLong(), droppedBefore = clientDropped();
                long start = System.nanoTime();
                WrkMeter.HttpFigures figures = wrk.measure(url, true, window);
                long sent = sentFrames.getAsLong() - sentBefore, dropped = clientDropped() - droppedBefore;
                double seconds = (System.nanoTime() - start) / 1e9;
                long synRate = (long) (sent / seconds), dropRate = (long) (dropped / seconds);
                requireFlooding(flood, "during the window");
                flooded.add(new Row(setup, rate, figures.requestsPerSecond(), 0, synRate, dropRate, table.getAsLong(),
                        halfOpenAtServers(), figures.errors(), null));
                SetupMeasurer.progress(String.format(Locale.ROOT,
                        "  flood %s (%,d frames/s, %,d/s dropped at the client): %.0f new connections/s",
                        flooded.getLast().flood(), synRate, dropRate, figures.requestsPerSecond()));
            } finally {
                flood.stop(Duration.ofSeconds(3));
            }
        }
        WrkMeter.HttpFigures after = wrk.measure(url, true, window);
        SetupMeasurer.progress(String.format(Locale.ROOT, "  unflooded again: %.0f new connections/s",
                after.requestsPerSecond()));
        double unflooded = (before.requestsPerSecond() + after.requestsPerSecond()) / 2;
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(setup, NO_FLOOD, unflooded, 0, 0, 0, tableBefore, halfOpenBefore,
                before.errors() + after.errors(), null));
        for (Row r : flooded) {
            rows.add(new Row(r.setup(), r.floodRate(), r.connectionsPerSecond(), unflooded, r.synPerSecond(),
                    r.clientDropsPerSecond(), r.table(), r.halfOpen(), r.errors(), null));
        }
        return rows;
    }

    /** Fails the row when trafgen has ended ({@code when}: before or during the window), with the end of its log. */
    private static void requireFlooding(BackgroundProcess flood, String when) {
        if (!flood.isAlive()) throw new IllegalStateException("trafgen exited " + when + ": " + flood.logTail(5));
    }

    /** Frames the client's interface sent: the flood's and the legitimate client's own. */
    private long clientSent() {
        return clientCounter(topology.clientInterface(), "tx_packets");
    }

    /**
     * Frames the client's veth dropped because the director's end could not take them: its receive ring (NAPI,
     * 256 frames) or the backlog was full. The flood's and the legitimate client's own are counted alike.
     */
    private long clientDropped() {
        return clientCounter(topology.clientInterface(), "tx_dropped");
    }

    /** Frames the sink dropped (an ifb counts what it drops on its receive side). */
    private long sunk() {
        return clientCounter(SINK, "rx_dropped");
    }

    private long clientCounter(String iface, String counter) {
        return Long.parseLong(topology.network().check(topology.clientNamespace(), "cat",
                "/sys/class/net/" + iface + "/statistics/" + counter).strip());
    }

    /**
     * trafgen from the client, at full speed (rate 0) or {@code rate} frames per second: SYNs to VIP:80 from random
     * unicast sources (11-126.x.x.x) and ports. {@code napiRing}: the director's veth receives into a NAPI ring
     * (native XDP).
     */
    private BackgroundProcess startFlood(int rate, boolean napiRing) {
        return startFlood(topology.clientInterface(), rate, napiRing);
    }

    /** As {@link #startFlood(int, boolean)}, sent out of the client namespace's {@code device}. */
    private BackgroundProcess startFlood(String device, int rate, boolean napiRing) {
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        String clientMac = topology.network().macAddress(topology.clientNamespace(), topology.clientInterface());
        Path config;
        try {
            config = Files.writeString(topology.processes().logDirectory().resolve("synflood.trafgen"),
                    synFloodConfig(directorMac, clientMac, topology.vip(), PORT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> trafgen = new ArrayList<>(List.of(UdpFloodMeter.TRAFGEN, "--dev", device,
                "--conf", config.toString(), "-P", "1", "--no-sock-mem", "--notouch-irq"));
        // Full speed is trafgen's TX ring, its fastest send, unless the director's veth receives into a NAPI ring:
        // the ring's send ends trafgen at the first EAGAIN, which that veth answers while its ring is full, and a
        // flood restarted dozens of times a second spends the machine on starting trafgen instead of sending. There
        // full speed is one frame per send call with no gap (-t 0), which counts EAGAIN as a frame lost and goes on.
        if (rate > 0) trafgen.addAll(List.of("--rate", rate + "pps"));
        else if (napiRing) trafgen.addAll(List.of("-t", "0"));
        String name = device.equals(SINK) ? "synflood-sunk" : "synflood-" + (rate == 0 ? "full" : rate);
        return topology.processes().start(topology.clientNamespace(), name,
                trafgen);
    }

    /** One 58-byte frame: Ethernet, IPv4 (checksum by trafgen), TCP SYN with an MSS option (checksum by trafgen). */
    static String synFloodConfig(String directorMac, String clientMac, String vip, int port) {
        return "{\n"
                + "  " + UdpFloodMeter.mac(directorMac) + ",\n"
                + "  " + UdpFloodMeter.mac(clientMac) + ",\n"
                + "  c16(0x0800),\n"
                + "  0x45, 0x00, c16(44), drnd(2), c16(0x4000), 64, 6, csumip(14, 33),\n"
                + "  dinc(11, 126), drnd(3),\n"
                + "  " + UdpFloodMeter.octets(vip, 4) + ",\n"
                + "  drnd(2), c16(" + port + "), drnd(4), c32(0), 0x60, 0x02, c16(64240), csumtcp(14, 34), c16(0),\n"
                + "  0x02, 0x04, c16(1460)\n"
                + "}\n";
    }

    private long jlvsConnections(JlvsDirector director) {
        long n = 0;
        for (String line : director.admOrThrow("-L", "-n").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("->") && !f[1].equals("RemoteAddress:Port")) {
                n += Long.parseLong(f[4]) + Long.parseLong(f[5]);
            }
        }
        return n;
    }

    private long conntrackEntries() {
        String count = topology.network().run(topology.directorNamespace(), "cat",
                "/proc/sys/net/netfilter/nf_conntrack_count").stdout().strip();
        return count.isEmpty() ? 0 : Long.parseLong(count);
    }

    /**
     * Waits until the SYN-RECV sockets an earlier setup's flood left at the servers have expired (the kernel retries
     * their SYN-ACKs for about a minute), so that a setup's half-open figures are its own; the progress line says
     * when some remain after {@link #HALF_OPEN_DRAIN}.
     */
    private void awaitNoHalfOpenAtServers() {
        long deadline = System.nanoTime() + HALF_OPEN_DRAIN.toNanos();
        long left;
        while ((left = halfOpenAtServers()) > 0 && System.nanoTime() < deadline) {
            UdpFloodMeter.sleep(Duration.ofSeconds(1));
        }
        if (left > 0) SetupMeasurer.progress("  " + left + " half-open connections left at the servers by the setup before");
    }

    private long halfOpenAtServers() {
        long n = 0;
        for (String ns : topology.serverNamespaces()) {
            n += Math.max(0, topology.network().run(ns, "ss", "-Htan", "state", "syn-recv").stdout().strip()
                    .lines().count());
        }
        return n;
    }

    static String format(List<Row> rows, Duration window, int connections) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nSYN flood part: wrk, %d connections, a new connection per request, %d s per figure; trafgen's"
                        + " spoofed SYNs during the flooded figures%n", connections, window.toSeconds()));
        out.append(String.format(Locale.ROOT, "%-78s %-11s %12s %10s %12s %8s %12s %10s %7s%n", "setup", "flood",
                "frames/s", "drops/s", "new conn/s", "ratio", "table", "half-open", "errors"));
        for (Row r : rows) {
            if (r.failure() != null) {
                out.append(String.format(Locale.ROOT, "%-78s not measured: %s%n", r.setup(), r.failure()));
                continue;
            }
            boolean flooded = r.floodRate() != NO_FLOOD;
            out.append(String.format(Locale.ROOT, "%-78s %-11s %12s %10s %12.0f %7.2fx %,12d %,10d %7d%n", r.setup(),
                    r.flood(), flooded ? String.format(Locale.ROOT, "%,d", r.synPerSecond()) : "-",
                    flooded ? String.format(Locale.ROOT, "%,d", r.clientDropsPerSecond()) : "-",
                    r.connectionsPerSecond(), r.ratio(), r.table(), r.halfOpen(), r.errors()));
        }
        out.append("frames/s: sent by the client's interface during the window (the flood and the legitimate"
                + " client's own; full, sunk: what the sink dropped); drops/s: frames the client's veth dropped because"
                + " the director's end had no room (its receive ring or backlog full), the legitimate client's among"
                + " them; unflooded: the mean of a window before the floods and one after; ratio: to it; full, sunk:"
                + " trafgen at full speed into a device in the client namespace that drops every frame, the CPU the"
                + " sender alone takes; table: jlvs's connections (closed ones in TIME_WAIT included), the kernel's conntrack entries in the director, after the window"
                + " (unflooded: the first window); half-open: SYN-RECV sockets at the servers then; errors: wrk's\n");
        return out.toString();
    }
}
