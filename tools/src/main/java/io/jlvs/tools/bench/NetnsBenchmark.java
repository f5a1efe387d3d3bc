package io.jlvs.tools.bench;

import io.jlvs.tools.netns.ExternalProgram;
import io.jlvs.tools.netns.HaproxyTcpProxy;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.KernelBaselines;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The netns benchmark, one part per forwarding method, each on its own topology with side-by-side rows.
 * NAT: kernel routing, kernel NAT (nftables DNAT), HAProxy TCP, jlvs NAT over AF_PACKET, AF_XDP and pcap, jlvs FullNAT,
 * jlvs NAT with the XDP fast path, jlvs NAT66 (IPv6 on the same topology made dual-stack); ratios to nftables NAT.
 * DR: kernel routing, jlvs DR over AF_PACKET, AF_XDP and pcap, jlvs DR over IPv6; TUN: kernel routing, jlvs TUN over
 * AF_PACKET and AF_XDP;
 * ratios to that part's kernel routing. Figures: 64-byte UDP packets per second delivered to the real servers, HTTP
 * requests per second with keep-alive and with a new connection per request, p50/p99 latency.
 * {@code --listing} runs instead {@link ListingUnderLoadBenchmark}: forwarding rate while jlvsadm lists 1M entries.
 * {@code --checks} runs instead {@link HealthCheckBenchmark}: checks per second, CPU, heap and failure detection of
 * TCP_CHECK and HTTP_GET at delay_loop 1. {@code --console} runs instead {@link ConsoleUnderLoadBenchmark}: the
 * NAT figures with the HTTP console open against closed, and /metrics' time for 1,000 services x 10 servers.
 * {@code --l7} runs instead {@link Layer7Benchmark}: HAProxy in http mode against jlvs's layer-7 proxy in each splice
 * mode (new connections, keep-alive, a bulk download of {@code --l7-bytes} and its CPU per GiB).
 * {@code --synflood} runs instead {@link SynFloodBenchmark}: legitimate new connections per second without and during
 * a spoofed SYN flood, jlvs --synproxy against kernel nftables NAT with SYN cookies on the servers.
 *
 * <p>Usage: {@code NetnsBenchmark [--methods nat,dr,tun] [--servers N] [--seconds S] [--connections C] [--wrk-threads N] [--no-jlvs]
 * [--rounds N] [--setups routing,routing-all,nft,haproxy,afpacket,afxdp,pcap,frames,workers,fullnat,ipv6,xdp,xdp-generic]
 * [--veth-receive backlog|gro|threaded] [--prefix jlvsbench]
 * [--listing [--listing-connections N]] [--console] [--l7 [--l7-bytes N]] [--checks [--checks-tcp-servers N] [--checks-http-servers N]]
 * [--failover [--failovers N] [--failover-connections N] [--failover-parts takeover,sync,restart]]
 * [--tier [--tier-connections N]] [--synflood]}. {@code --tier} runs instead {@link TierBenchmark}. {@code --failover} runs instead
 * {@link FailoverBenchmark}, all its parts or those named. With {@code --rounds N} each part runs N times, each on a fresh topology,
 * and the table shows each figure's median, followed by every round's throughput figures. {@code --setups} measures
 * only the named setups (see {@link SetupSelection}); without nftables NAT the NAT part's ratios are to kernel
 * routing. {@code --veth-receive} sets how the director's veth peers receive for every row of the NAT part
 * ({@link VethReceive}). {@code --wrk-threads N} runs wrk with N threads for every single-URL row (1 by default).
 * The jlvs rows need bin/jlvs daemon; when it cannot start, the row says so and the kernel rows still print.
 */
public final class NetnsBenchmark {
    static final int HTTP_PORT = 80;
    static final String REFERENCE_SETUP = "kernel NAT (nftables DNAT)";
    static final String ROUTING_SETUP = "kernel routing";
    static final String SPREAD_ROUTING_SETUP = "kernel routing, all servers";
    private static final String USAGE = "usage: bench [--methods nat,dr,tun] [--servers N] [--seconds S] [--connections C] [--wrk-threads N]"
            + " [--no-jlvs] [--rounds N] [--setups " + String.join(",", SetupSelection.KNOWN) + "] [--veth-receive backlog|gro|threaded] [--prefix jlvs...]"
            + " [--listing [--listing-connections N]] [--console] [--l7 [--l7-bytes N]] [--checks [--checks-tcp-servers N] [--checks-http-servers N]]"
            + " [--failover [--failovers N] [--failover-connections N] [--failover-parts "
            + String.join(",", FailoverBenchmark.PARTS) + "]] [--tier [--tier-connections N]] [--synflood]";

    private final LvsTopology topology;
    private final SetupMeasurer measurer;

    private NetnsBenchmark(LvsTopology topology, Duration window, int connections, int wrkThreads) {
        this.topology = topology;
        this.measurer = new SetupMeasurer(topology, window, connections, wrkThreads, topology.serverInterface());
    }

    public static void main(String[] args) throws Exception {
        int servers = 3;
        int seconds = 4;
        int connections = 32;
        int wrkThreads = 1;
        boolean withJlvs = true;
        int rounds = 1;
        boolean listing = false;
        int listingConnections = ListingUnderLoadBenchmark.DEFAULT_CONNECTIONS;
        boolean checks = false;
        boolean console = false;
        boolean layer7 = false;
        long layer7Bytes = Layer7Benchmark.DEFAULT_BULK_BYTES;
        boolean failover = false;
        boolean tier = false;
        int tierConnections = TierBenchmark.DEFAULT_CONNECTIONS;
        boolean synflood = false;
        int failovers = FailoverBenchmark.DEFAULT_FAILOVERS;
        int failoverConnections = FailoverBenchmark.DEFAULT_CONNECTIONS;
        List<String> failoverParts = FailoverBenchmark.PARTS;
        int tcpCheckServers = HealthCheckBenchmark.DEFAULT_TCP_SERVERS;
        int httpCheckServers = HealthCheckBenchmark.DEFAULT_HTTP_SERVERS;
        List<String> methods = List.of("nat", "dr", "tun");
        String prefix = "jlvsbench";
        SetupSelection setups = SetupSelection.all();
        VethReceive vethReceive = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--servers" -> servers = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--wrk-threads" -> wrkThreads = Integer.parseInt(args[++i]);
                case "--no-jlvs" -> withJlvs = false;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--prefix" -> prefix = args[++i];
                case "--methods" -> methods = List.of(args[++i].split(","));
                case "--setups" -> setups = parseSetups(args[++i]);
                case "--veth-receive" -> vethReceive = parseVethReceive(args[++i]);
                case "--listing" -> listing = true;
                case "--listing-connections" -> listingConnections = Integer.parseInt(args[++i]);
                case "--checks" -> checks = true;
                case "--console" -> console = true;
                case "--l7" -> layer7 = true;
                case "--l7-bytes" -> layer7Bytes = Long.parseLong(args[++i]);
                case "--failover" -> failover = true;
                case "--tier" -> tier = true;
                case "--tier-connections" -> tierConnections = Integer.parseInt(args[++i]);
                case "--synflood" -> synflood = true;
                case "--failovers" -> failovers = Integer.parseInt(args[++i]);
                case "--failover-connections" -> failoverConnections = Integer.parseInt(args[++i]);
                case "--failover-parts" -> failoverParts = List.of(args[++i].split(","));
                case "--checks-tcp-servers" -> tcpCheckServers = Integer.parseInt(args[++i]);
                case "--checks-http-servers" -> httpCheckServers = Integer.parseInt(args[++i]);
                default -> usageError();
            }
        }
        if (!List.of("nat", "dr", "tun").containsAll(methods) || rounds < 1 || wrkThreads < 1 || wrkThreads > 64
                || !FailoverBenchmark.PARTS.containsAll(failoverParts)) {
            usageError();
        }
        VethReceive receive = vethReceive != null ? vethReceive : VethReceive.defaultFor(setups);
        if (receive == VethReceive.BACKLOG && setups.includes("xdp") && methods.contains("nat")) {
            System.err.println("--setups xdp: the XDP fast path's redirect needs --veth-receive gro or threaded");
            System.exit(2);
        }
        if (failover) {
            System.out.print(FailoverBenchmark.run(prefix, failovers, failoverConnections, failoverParts));
            return;
        }
        if (tier) {
            String missing = ExternalProgram.missingMessage("jlvs bench --tier", List.of(ExternalProgram.BIRD,
                    UdpFloodMeter.TRAFGEN_PROGRAM, WrkMeter.WRK_PROGRAM));
            if (missing != null) {
                System.err.println(missing);
                System.exit(1);
            }
            System.out.print(TierBenchmark.run(prefix, Duration.ofSeconds(seconds), tierConnections));
            return;
        }
        String missing = ExternalProgram.missingMessage("jlvs bench", neededPrograms(setups, listing));
        if (missing != null) {
            System.err.println(missing);
            System.exit(1);
        }
        Duration window = Duration.ofSeconds(seconds);
        if (synflood) {
            System.out.print(SynFloodBenchmark.run(prefix, servers, window, connections));
            return;
        }
        if (listing) {
            System.out.print(ListingUnderLoadBenchmark.run(prefix, servers, window, listingConnections));
            return;
        }
        if (console) {
            System.out.print(ConsoleUnderLoadBenchmark.run(prefix, servers, window, connections, Math.max(rounds, 5)));
            return;
        }
        if (layer7) {
            String noCurl = ExternalProgram.missingMessage("jlvs bench --l7", List.of(ExternalProgram.HAPROXY,
                    ExternalProgram.CURL));
            if (noCurl != null) {
                System.err.println(noCurl);
                System.exit(1);
            }
            System.out.print(Layer7Benchmark.run(prefix, window, connections, layer7Bytes, rounds));
            return;
        }
        if (checks) {
            String noNginx = ExternalProgram.missingMessage("jlvs bench --checks", List.of(ExternalProgram.NGINX,
                    ExternalProgram.CURL));
            if (noNginx != null) {
                System.err.println(noNginx);
                System.exit(1);
            }
            System.out.print(HealthCheckBenchmark.run(prefix, tcpCheckServers, httpCheckServers,
                    Duration.ofSeconds(Math.max(seconds, 10))));
            return;
        }
        // Each part builds and removes its own namespaces (prefix + method), one after the other.
        Map<String, String> tables = new LinkedHashMap<>();
        for (String method : methods) {
            String partPrefix = method.equals("nat") ? prefix : prefix + method;
            String title = method.toUpperCase() + " part" + (rounds == 1 ? "" : " (median of " + rounds + " rounds)")
                    + (method.equals("nat") ? ", veth receive " + receive.label() : "");
            List<List<BenchmarkRow>> partRounds = new ArrayList<>();
            try {
                for (int round = 1; round <= rounds; round++) {
                    if (rounds > 1) SetupMeasurer.progress(method.toUpperCase() + " part, round " + round + " of " + rounds);
                    partRounds.add(method.equals("nat")
                            ? natPart(partPrefix, servers, window, connections, wrkThreads, withJlvs, setups, receive)
                            : new DirectReturnPart(method, method.equals("dr") ? List.of("afpacket", "pcap", "afxdp")
                                    : List.of("afpacket", "afxdp"))
                                    .run(partPrefix, servers, window, connections, wrkThreads, withJlvs, setups));
                }
            } catch (RuntimeException e) { // a topology or its servers could not be set up: the other parts still run
                SetupMeasurer.progress(title + " failed: " + SetupMeasurer.firstLine(e));
                tables.put(title, "not measured: " + SetupMeasurer.firstLine(e) + "\n");
                continue;
            }
            List<BenchmarkRow> rows = medianRows(partRounds);
            // NAT's ratios are to nftables NAT (to kernel routing when it was not measured); DR's and TUN's to kernel
            // routing on their own topology.
            String reference = method.equals("nat") && setups.includes("nft") ? REFERENCE_SETUP : ROUTING_SETUP;
            tables.put(title,
                    BenchmarkTable.format(rows, rows.stream().filter(r -> r.setup().equals(reference)).findFirst().orElse(null))
                            + (rounds == 1 ? "" : BenchmarkTable.perRound(partRounds)));
        }
        tables.forEach((title, table) -> System.out.print("\n" + title + "\n" + table));
    }

    /** Every program a run execs: the topology's tools, the load generators, and HAProxy when its row is measured. */
    static List<ExternalProgram> neededPrograms(SetupSelection setups, boolean listing) {
        List<ExternalProgram> needed = new ArrayList<>(ExternalProgram.TOPOLOGY);
        needed.add(ExternalProgram.NFT);
        needed.add(UdpFloodMeter.TRAFGEN_PROGRAM);
        if (!listing) {
            needed.add(WrkMeter.WRK_PROGRAM);
            if (setups.includes("haproxy")) needed.add(ExternalProgram.HAPROXY);
        }
        return needed;
    }

    /** Each setup's rows over the rounds as one median row, in the first round's order. */
    static List<BenchmarkRow> medianRows(List<List<BenchmarkRow>> rounds) {
        Map<String, List<BenchmarkRow>> bySetup = new LinkedHashMap<>();
        for (List<BenchmarkRow> round : rounds) {
            for (BenchmarkRow row : round) bySetup.computeIfAbsent(row.setup(), k -> new ArrayList<>()).add(row);
        }
        return bySetup.values().stream().map(BenchmarkRow::median).toList();
    }

    private static VethReceive parseVethReceive(String text) {
        try {
            return VethReceive.parse(text);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usageError();
            return null;
        }
    }

    private static SetupSelection parseSetups(String list) {
        try {
            return SetupSelection.parse(list);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usageError();
            return null;
        }
    }

    private static void usageError() {
        System.err.println(USAGE);
        System.exit(2);
    }

    private static List<BenchmarkRow> natPart(String prefix, int servers, Duration window, int connections, int wrkThreads,
                                              boolean withJlvs, SetupSelection setups, VethReceive receive) {
        SetupMeasurer.progress("building the NAT topology with " + servers + " real servers (namespaces " + prefix + "-*)");
        try (LvsTopology topology = setups.includes("ipv6") ? LvsTopology.nat(prefix, servers).withIpv6()
                : LvsTopology.nat(prefix, servers)) {
            // Four HTTP threads per server: wrk, the servers and the director all share this machine's cores.
            for (int k = 1; k <= servers; k++) {
                ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), topology.serverName(k) + "-http",
                        HttpIdentityServer.class, topology.serverName(k), Integer.toString(HTTP_PORT), "4");
            }
            topology.processes().backgroundProcesses().forEach(p -> p.awaitLogLine("READY", Duration.ofSeconds(60)));
            if (receive != VethReceive.BACKLOG) topology.enableXdpRedirectIntoDirector(receive == VethReceive.THREADED);
            return new NetnsBenchmark(topology, window, connections, wrkThreads).runAll(withJlvs, setups);
        }
    }

    private List<BenchmarkRow> runAll(boolean withJlvs, SetupSelection setups) {
        List<BenchmarkRow> rows = new ArrayList<>();
        String firstServer = "http://" + topology.serverAddress(1) + ":" + HTTP_PORT + "/";
        String vip = "http://" + topology.vip() + ":" + HTTP_PORT + "/";
        measurer.warmUpServers(HTTP_PORT, Duration.ofSeconds(3));
        if (setups.includes("routing")) {
            rows.add(measurer.measure(ROUTING_SETUP, () -> KernelBaselines.routing(topology), true, true, firstServer,
                    "no balancing: client addresses the servers directly (HTTP: one server)"));
        }
        if (topology.serverCount() > 1 && setups.includes("routing-all")) {
            rows.add(measurer.measure(SPREAD_ROUTING_SETUP, () -> KernelBaselines.routing(topology), false, false,
                    WrkMeter.Target.spread(topology.serverAddresses(), HTTP_PORT),
                    "no balancing: the client spreads over the servers' own addresses (wrk thread k -> server k, "
                            + "connections rounded up to a multiple of the servers; HTTP only)"));
        }
        if (setups.includes("nft")) {
            rows.add(measurer.measure(REFERENCE_SETUP, () -> KernelBaselines.nftablesNat(topology), true, false, vip, ""));
        }
        if (setups.includes("haproxy")) {
            rows.add(measurer.measure("HAProxy TCP", () -> HaproxyTcpProxy.start(topology, HTTP_PORT), false, false, vip,
                    "TCP proxy: carries no UDP"));
        }
        for (String io : List.of("afpacket", "afxdp", "pcap")) {
            if (!setups.includes(io)) continue;
            String setup = "jlvs NAT " + io;
            if (!withJlvs) {
                rows.add(BenchmarkRow.failed(setup, "skipped (--no-jlvs)"));
                continue;
            }
            rows.add(measurer.measure(setup, () -> startJlvs(io, 1), true, false, vip, ""));
        }
        if (setups.includes("frames")) {
            rows.add(optionRow(withJlvs, "jlvs NAT afpacket, V2 frames", List.of("--rx-ring", "frames"), vip,
                    "--rx-ring frames: TPACKET_V2, every frame handed over at once"));
        }
        if (setups.includes("fullnat")) {
            String setup = "jlvs FullNAT afpacket";
            rows.add(!withJlvs ? BenchmarkRow.failed(setup, "skipped (--no-jlvs)")
                    : measurer.measure(setup, () -> startJlvs("afpacket", 1, ServiceRules.fullNatHttpAndDiscard(topology)),
                            true, false, vip, "--fullnat, every connection from one local address"));
        }
        if (setups.includes("ipv6")) {
            String setup = "jlvs NAT66 afpacket";
            rows.add(!withJlvs ? BenchmarkRow.failed(setup, "skipped (--no-jlvs)")
                    : measurer.measureIpv6(setup, () -> startJlvs("afpacket", 1, ServiceRules.httpAndDiscard6(topology, "-m")),
                            "http://[" + LvsTopology.VIP6 + "]:" + HTTP_PORT + "/", "IPv6: client, VIP and servers"));
        }
        // One worker per core, as a director is run: PACKET_FANOUT spreads the flows over the workers.
        int cores = Runtime.getRuntime().availableProcessors();
        if (withJlvs && cores > 1 && setups.includes("workers")) {
            rows.add(measurer.measure("jlvs NAT afpacket, " + cores + " workers", () -> startJlvs("afpacket", cores),
                    true, false, vip, "--workers " + cores + " (one per core; the rows above use one worker)"));
        }
        if (setups.includes("xdp")) {
            rows.add(optionRow(withJlvs, "jlvs NAT xdp fast path", List.of("--fast-path", "xdp"), vip,
                    "--fast-path xdp: established flows forwarded by XDP"));
        }
        if (setups.includes("xdp-generic")) {
            rows.add(optionRow(withJlvs, "jlvs NAT xdp fast path, generic",
                    List.of("--fast-path", "xdp", "--xdp-mode", "generic"), vip,
                    "--xdp-mode generic: the fast path's program runs on the kernel's skb"));
        }
        return rows;
    }

    /** The row of one AF_PACKET worker started with {@code options} beside the plain NAT row's; skipped with --no-jlvs. */
    private BenchmarkRow optionRow(boolean withJlvs, String setup, List<String> options, String vip, String note) {
        return !withJlvs ? BenchmarkRow.failed(setup, "skipped (--no-jlvs)")
                : measurer.measure(setup, () -> startJlvs("afpacket", 1, options), true, false, vip, note);
    }

    private AutoCloseable startJlvs(String io, int workers) {
        return startJlvs(io, workers, ServiceRules.httpAndDiscard(topology, "-m"));
    }

    private AutoCloseable startJlvs(String io, int workers, List<String> options) {
        return startJlvs(io, workers, ServiceRules.httpAndDiscard(topology, "-m"), options);
    }

    private AutoCloseable startJlvs(String io, int workers, String rules) {
        return startJlvs(io, workers, rules, List.of());
    }

    private AutoCloseable startJlvs(String io, int workers, String rules, List<String> options) {
        List<String> daemonOptions = new ArrayList<>(List.of("--workers", Integer.toString(workers)));
        daemonOptions.addAll(options);
        JlvsDirector director = JlvsDirector.start(topology, "nat", io, Duration.ofSeconds(90), daemonOptions);
        try {
            director.restore(rules);
            return director;
        } catch (RuntimeException e) {
            director.close();
            throw e;
        }
    }
}
