package io.jlvs.tools.bench;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.KernelBaselines;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jlvs bench --synflood}: legitimate clients' new connections per second at a NAT service, without and
 * during a spoofed SYN flood at the highest rate trafgen sends from this machine (random unicast sources and
 * ports, one sending process, no rate limit), for jlvs with --synproxy and for kernel nftables DNAT with SYN
 * cookies on the real servers ({@code net.ipv4.tcp_syncookies=1}, the kernel's default: cookies once a listener's
 * SYN queue overflows). wrk opens a new connection per request (Connection: close). Reported per setup: both
 * rates and their ratio, the flood's rate, and during the flood the largest connection table (jlvs: its
 * connections; the kernel: the director's conntrack entries) and the most half-open connections at the servers.
 *
 * <p>The director has a default route toward the client side for the run, as toward an uplink, so that the
 * kernel can route the answers to spoofed sources as jlvs sends its own; trafgen and wrk share this machine's
 * cores with the director and the servers, so the flood also takes CPU from everything else.
 */
final class SynFloodBenchmark {
    static final int PORT = NetnsBenchmark.HTTP_PORT;
    static final String JLVS_SETUP = "jlvs NAT afpacket --synproxy";
    static final String KERNEL_SETUP = "kernel NAT (nftables DNAT), syncookies on the servers";
    private static final Pattern TRAFGEN_PACKETS = Pattern.compile("(\\d+) packets outgoing");
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);

    /** One setup's figures. */
    record Row(String setup, double unflooded, double flooded, long floodPerSecond, long tableMax, long halfOpenMax,
               long errorsUnflooded, long errorsFlooded, String failure) {
        static Row failed(String setup, String why) {
            return new Row(setup, 0, 0, 0, 0, 0, 0, 0, why);
        }

        double ratio() { return unflooded > 0 ? flooded / unflooded : 0; }
    }

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
            SynFloodBenchmark bench = new SynFloodBenchmark(topology, window, connections);
            // jlvs first: the kernel's flood leaves conntrack entries behind in the director for minutes.
            List<Row> rows = List.of(bench.measureJlvs(), bench.measureKernel());
            return format(rows, window, connections);
        }
    }

    private Row measureJlvs() {
        SetupMeasurer.progress(JLVS_SETUP);
        JlvsDirector director;
        try {
            director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            return Row.failed(JLVS_SETUP, "the daemon did not start: " + SetupMeasurer.firstLine(e));
        }
        try (director) {
            String service = topology.vip() + ":" + PORT;
            StringBuilder rules = new StringBuilder("-A -t " + service + " -s rr --synproxy\n");
            for (String server : topology.serverAddresses()) {
                rules.append("-a -t ").append(service).append(" -r ").append(server).append(':').append(PORT)
                        .append(" -m\n");
            }
            director.restore(rules.toString());
            return measure(JLVS_SETUP, () -> jlvsConnections(director));
        } catch (RuntimeException e) {
            return Row.failed(JLVS_SETUP, SetupMeasurer.firstLine(e));
        }
    }

    private Row measureKernel() {
        SetupMeasurer.progress(KERNEL_SETUP);
        try (AutoCloseable nat = KernelBaselines.nftablesNat(topology)) {
            return measure(KERNEL_SETUP, this::conntrackEntries);
        } catch (Exception e) {
            return Row.failed(KERNEL_SETUP, SetupMeasurer.firstLine(e));
        }
    }

    private Row measure(String setup, LongSupplier table) {
        String url = "http://" + topology.vip() + ":" + PORT + "/";
        wrk.measure(url, true, Duration.ofSeconds(2)); // warm-up: servers, director, ARP
        WrkMeter.HttpFigures calm = wrk.measure(url, true, window);
        SetupMeasurer.progress(String.format(Locale.ROOT, "  unflooded: %.0f new connections/s", calm.requestsPerSecond()));
        BackgroundProcess flood = startFlood();
        long floodStart = System.nanoTime();
        AtomicLong tableMax = new AtomicLong(), halfOpenMax = new AtomicLong();
        WrkMeter.HttpFigures flooded;
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                tableMax.accumulateAndGet(table.getAsLong(), Math::max);
                halfOpenMax.accumulateAndGet(halfOpenAtServers(), Math::max);
                try {
                    Thread.sleep(SAMPLE_EVERY);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            UdpFloodMeter.sleep(Duration.ofSeconds(1)); // the flood at full rate before the window starts
            if (!flood.isAlive()) throw new IllegalStateException("trafgen exited: " + flood.logTail(5));
            flooded = wrk.measure(url, true, window);
        } finally {
            sampler.interrupt();
            flood.stop(Duration.ofSeconds(3));
        }
        double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
        long floodRate = (long) (sentBy(flood) / floodSeconds);
        SetupMeasurer.progress(String.format(Locale.ROOT, "  flooded (%,d SYN/s): %.0f new connections/s", floodRate,
                flooded.requestsPerSecond()));
        return new Row(setup, calm.requestsPerSecond(), flooded.requestsPerSecond(), floodRate, tableMax.get(),
                halfOpenMax.get(), calm.errors(), flooded.errors(), null);
    }

    /** trafgen at full speed from the client: SYNs to VIP:80 from random unicast sources (11-126.x.x.x), random ports. */
    private BackgroundProcess startFlood() {
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        String clientMac = topology.network().macAddress(topology.clientNamespace(), topology.clientInterface());
        Path config;
        try {
            config = Files.writeString(topology.processes().logDirectory().resolve("synflood.trafgen"),
                    synFloodConfig(directorMac, clientMac, topology.vip(), PORT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return topology.processes().start(topology.clientNamespace(), "synflood", List.of(UdpFloodMeter.TRAFGEN,
                "--dev", topology.clientInterface(), "--conf", config.toString(), "-P", "1", "--no-sock-mem",
                "--notouch-irq"));
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

    /** The frames trafgen says it sent (it prints them when stopped), or its interface's count if it said nothing. */
    private long sentBy(BackgroundProcess flood) {
        Matcher m = TRAFGEN_PACKETS.matcher(flood.logText());
        long packets = -1;
        while (m.find()) packets = Long.parseLong(m.group(1));
        return Math.max(packets, 0);
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
                        + " spoofed SYNs at full speed during the flooded figure%n", connections, window.toSeconds()));
        out.append(String.format(Locale.ROOT, "%-54s %12s %12s %9s %12s %14s %10s %8s%n", "setup", "unflooded/s",
                "flooded/s", "ratio", "flood SYN/s", "table (max)", "half-open", "errors"));
        for (Row r : rows) {
            if (r.failure() != null) {
                out.append(String.format(Locale.ROOT, "%-54s not measured: %s%n", r.setup(), r.failure()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "%-54s %12.0f %12.0f %8.2fx %,12d %,14d %,10d %8s%n", r.setup(),
                    r.unflooded(), r.flooded(), r.ratio(), r.floodPerSecond(), r.tableMax(), r.halfOpenMax(),
                    r.errorsUnflooded() + "/" + r.errorsFlooded()));
        }
        Row jlvs = rows.getFirst(), kernel = rows.getLast();
        if (jlvs.failure() == null && kernel.failure() == null && kernel.flooded() > 0) {
            out.append(String.format(Locale.ROOT, "jlvs flooded / kernel flooded: %.2fx%n", jlvs.flooded() / kernel.flooded()));
        }
        out.append("table: jlvs's connections, the kernel's conntrack entries in the director; half-open: SYN-RECV"
                + " sockets at the servers; errors: wrk's, unflooded/flooded\n");
        return out.toString();
    }
}
