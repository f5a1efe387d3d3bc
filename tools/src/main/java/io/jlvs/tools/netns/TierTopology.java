package io.jlvs.tools.netns;

import io.jlvs.announce.BfdSettings;
import io.jlvs.announce.BirdInclude;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A tier of directors behind an ECMP router, each announcing the VIP by BGP through its own BIRD 2:
 *
 * <pre>
 * client eth0 10.1.0.2/24 ── up0 10.1.0.1/24  router  dn0 10.0.0.254/24 ── br0 (switch namespace)
 * br0: dK lan0 10.0.0.K/24 (directors, AS 65001 each), rsK eth0 10.0.0.(10+K)/24 (real servers, DR: the VIP on lo,
 *      default route via the router)
 * VIP 192.0.2.100, on no segment: the router reaches it only through the routes the directors announce
 * </pre>
 * The router (AS 65000) runs BIRD with one eBGP session per director (hold time 3 s) and exports the merged
 * equal-cost paths to its kernel, which hashes flows over them by layer 4 (fib_multipath_hash_policy=1). Each
 * director namespace runs its own BIRD, whose bird.conf includes the file the director's jlvs writes. Built with BFD,
 * the router and every director run BFD on their sessions (100 ms, multiplier 3: a silent peer is down within
 * 300 ms), the directors' BFD protocol coming from jlvs's include (--bgp-bfd). Multicast snooping is off on br0, so
 * the directors' connection sync reaches every port.
 */
public final class TierTopology implements AutoCloseable {
    public static final String VIP = "192.0.2.100";
    public static final String CLIENT_ADDRESS = "10.1.0.2";
    public static final String ROUTER_ADDRESS = "10.0.0.254";
    public static final String LIVENESS_LINK = "jlvs-bgp";

    private final NetnsTopology network;
    private final String client;
    private final String router;
    private final List<String> directors;
    private final List<String> servers;
    private final List<String> serverAddresses;
    private final BackgroundProcess[] directorBirds;
    private final BfdSettings bfd;

    private TierTopology(NetnsTopology network, String client, String router, List<String> directors,
                         List<String> servers, List<String> serverAddresses, BfdSettings bfd) {
        this.network = network;
        this.bfd = bfd;
        this.client = client;
        this.router = router;
        this.directors = List.copyOf(directors);
        this.servers = List.copyOf(servers);
        this.serverAddresses = List.copyOf(serverAddresses);
        this.directorBirds = new BackgroundProcess[directors.size()];
    }

    /** Builds the namespaces and starts the router's BIRD; on failure everything made so far is removed. */
    public static TierTopology build(String prefix, int directorCount, int serverCount) {
        return build(prefix, directorCount, serverCount, false);
    }

    /** As {@link #build(String, int, int)}, with BFD on every BGP session when bfd is true. */
    public static TierTopology build(String prefix, int directorCount, int serverCount, boolean bfd) {
        if (directorCount < 1 || directorCount > 9) throw new IllegalArgumentException("directors: " + directorCount);
        if (serverCount < 1 || serverCount > 9) throw new IllegalArgumentException("real servers: " + serverCount);
        NetnsTopology net = new NetnsTopology(prefix);
        try {
            String client = net.addNamespace("-c");
            String router = net.addNamespace("-r");
            String lan = net.addNamespace("-sw");
            net.addBridge(lan, "br0");
            SwitchedLan.floodMulticast(net, lan, "br0");
            net.addVethPair(client, "eth0", router, "up0");
            net.addAddress(client, "eth0", CLIENT_ADDRESS + "/24");
            net.addAddress(router, "up0", "10.1.0.1/24");
            net.addDefaultRoute(client, "10.1.0.1");
            SwitchedLan.plug(net, router, "dn0", lan, "r0", "br0", ROUTER_ADDRESS + "/24");
            net.sysctl(router, "net.ipv4.ip_forward", "1");
            net.sysctl(router, "net.ipv4.fib_multipath_hash_policy", "1");
            net.sysctl(router, "net.ipv4.conf.all.rp_filter", "0");
            net.sysctl(router, "net.ipv4.conf.dn0.rp_filter", "0");
            for (String[] side : new String[][] {{client, "eth0"}, {router, "up0"}, {router, "dn0"}}) {
                net.disableChecksumOffload(side[0], side[1]);
            }
            List<String> directors = new ArrayList<>();
            for (int d = 1; d <= directorCount; d++) {
                String ns = net.addNamespace("-d" + d);
                SwitchedLan.plug(net, ns, "lan0", lan, "d" + d, "br0", directorAddress(d) + "/24");
                net.addDefaultRoute(ns, ROUTER_ADDRESS);
                directors.add(ns);
            }
            List<String> servers = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int k = 1; k <= serverCount; k++) {
                String ns = net.addNamespace("-rs" + k);
                String address = "10.0.0." + (10 + k);
                SwitchedLan.plug(net, ns, "eth0", lan, "s" + k, "br0", address + "/24");
                net.addDefaultRoute(ns, ROUTER_ADDRESS);
                SwitchedLan.prepareDirectRouting(net, ns, "eth0", VIP);
                net.disableChecksumOffload(ns, "eth0");
                servers.add(ns);
                addresses.add(address);
            }
            TierTopology tier = new TierTopology(net, client, router, directors, servers, addresses,
                    bfd ? new BfdSettings(BfdSettings.DEFAULT_INTERVAL, BfdSettings.DEFAULT_MULTIPLIER) : null);
            tier.startRouterBird();
            return tier;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    public static String directorAddress(int d) { return "10.0.0." + d; }

    private void startRouterBird() {
        StringBuilder conf = new StringBuilder("""
                router id %s;
                protocol device { }
                protocol kernel {
                    merge paths on;
                    ipv4 { import none; export all; };
                }
                %s
                template bgp director {
                    local %s as 65000;
                    hold time 3;%s
                    keepalive time 1;
                    connect retry time 1;
                    error wait time 1, 5;
                    ipv4 { import all; export none; };
                }
                """.formatted(ROUTER_ADDRESS, bfd == null ? "" : routerBfd(), ROUTER_ADDRESS, bfdOn()));
        for (int d = 1; d <= directors.size(); d++) {
            conf.append("protocol bgp d").append(d).append(" from director { neighbor ").append(directorAddress(d))
                    .append(" as 65001; }\n");
        }
        startBird(router, "router", conf.toString());
    }

    /** The router's own BFD protocol, with the timers jlvs writes into the directors' includes. */
    private String routerBfd() {
        return "protocol bfd { interface \"*\" { interval " + bfd.interval().toMillis() + " ms; multiplier "
                + bfd.multiplier() + "; }; }";
    }

    private String bfdOn() { return bfd == null ? "" : "\n    bfd on;"; }

    /**
     * Writes director d's bird.conf (its include, empty until jlvs writes it, and one eBGP session to the router
     * exporting jlvs's static protocol) and starts its BIRD.
     */
    public void startDirectorBird(int d) {
        write(include(d), BirdInclude.render(List.of(), LIVENESS_LINK, bfd));
        write(birdConfig(d), directorBirdConfig(d));
        directorBirds[d - 1] = startBird(directorNamespace(d), "d" + d, null);
    }

    /** Director d's BIRD, once started. */
    public BackgroundProcess directorBird(int d) { return directorBirds[d - 1]; }

    /** Director d's bird.conf: what an operator writes once; jlvs writes only the include. */
    public String directorBirdConfig(int d) {
        return """
                router id %s;
                protocol device { }
                include "%s";
                protocol bgp uplink {
                    local %s as 65001;
                    neighbor %s as 65000;
                    hold time 3;%s
                    keepalive time 1;
                    connect retry time 1;
                    error wait time 1, 5;
                    ipv4 { import none; export where proto = "jlvs_vips"; };
                }
                """.formatted(directorAddress(d), include(d), directorAddress(d), ROUTER_ADDRESS, bfdOn());
    }

    private BackgroundProcess startBird(String namespace, String name, String config) {
        if (config != null) write(birdConfig(name), config);
        BackgroundProcess bird = processes().start(namespace, "bird-" + name, List.of("bird", "-f",
                "-c", birdConfig(name).toString(), "-s", birdSocket(name).toString()));
        Conditions.await("BIRD " + name + " listening", Duration.ofSeconds(20),
                () -> Files.exists(birdSocket(name)) || !bird.isAlive());
        if (!bird.isAlive()) throw bird.failure("BIRD " + name + " exited");
        return bird;
    }

    /** jlvs daemon's options for director d: BIRD's socket and the include of its bird.conf. */
    public List<String> bgpOptions(int d) {
        List<String> options = new ArrayList<>(List.of("--bgp", "bird", "--bgp-include", include(d).toString(),
                "--bgp-socket", birdSocket(d).toString(), "--bgp-link", LIVENESS_LINK));
        if (bfd != null) options.addAll(List.of("--bgp-bfd", "--bgp-bfd-interval",
                Long.toString(bfd.interval().toMillis())));
        return options;
    }

    public Path include(int d) { return processes().logDirectory().resolve("d" + d + "-jlvs-vips.conf"); }

    public Path birdConfig(int d) { return birdConfig("d" + d); }

    public Path birdSocket(int d) { return birdSocket("d" + d); }

    /** The router's BIRD control socket, for birdc. */
    public Path routerBirdSocket() { return birdSocket("router"); }

    private Path birdConfig(String name) { return processes().logDirectory().resolve(name + "-bird.conf"); }

    private Path birdSocket(String name) { return processes().logDirectory().resolve(name + "-bird.ctl"); }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directors the router's kernel sends the VIP's flows to now: their addresses, as `ip route` shows. */
    public List<String> nextHops() {
        CommandResult r = network.run(router, "ip", "-4", "route", "show", VIP + "/32");
        List<String> hops = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            int via = line.indexOf("via ");
            if (via >= 0) hops.add(line.substring(via + 4).split("\\s+")[0]);
        }
        return hops;
    }

    /** Waits until the router sends the VIP's flows to exactly these directors; returns how long that took. */
    public Duration awaitNextHops(List<Integer> directorNumbers, Duration timeout) {
        List<String> want = directorNumbers.stream().map(TierTopology::directorAddress).sorted().toList();
        long start = System.nanoTime();
        Conditions.await("the router's paths to " + VIP + " = " + want, timeout,
                () -> nextHops().stream().sorted().toList().equals(want));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** BIRD's own syntax check of a configuration file, run in the router namespace (bird -p -c FILE). */
    public CommandResult birdParse(Path config) {
        return network.run(router, "bird", "-p", "-c", config.toString());
    }

    public NetnsTopology network() { return network; }

    public ProcessRunner processes() { return network.processes(); }

    public String clientNamespace() { return client; }

    public String routerNamespace() { return router; }

    public String directorNamespace(int d) { return directors.get(d - 1); }

    public int directorCount() { return directors.size(); }

    public String serverNamespace(int k) { return servers.get(k - 1); }

    public List<String> serverAddresses() { return serverAddresses; }

    public List<String> serverNamespaces() { return servers; }

    public int serverCount() { return servers.size(); }

    /** Director d as a place to start a jlvs daemon (DR on its one LAN interface). */
    public DirectorSeat seat(int d) {
        return new DirectorSeat("d" + d, processes(), directorNamespace(d), "lan0", "lan0", VIP, serverAddresses);
    }

    public ClientSeat clientSeat() { return new ClientSeat(processes(), client, VIP); }

    /** Stops every process (the BIRDs and daemons included) and deletes the namespaces. Idempotent. */
    @Override
    public void close() {
        network.close();
    }
}
