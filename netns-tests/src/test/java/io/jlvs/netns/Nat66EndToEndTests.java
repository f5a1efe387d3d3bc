package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.ClientSeat;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NAT66 end to end: a client, the jlvs daemon and three real servers on a dual-stack NAT topology, IPv6 services on
 * the IPv6 VIP (owned through Neighbour Discovery) beside an IPv4 service on the IPv4 VIP, on one director; one
 * concrete subclass per packet I/O backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Nat66EndToEndTests {
    static final int SERVERS = 3;
    static final int HTTP_PORT = 80;
    static final int RR_PORT = 80;
    static final int ECHO_PORT = 83;
    static final int PERSISTENT_PORT = 81;
    static final int UDP_PORT = 53;
    /** A UDP service whose servers have no listener: their kernels answer with port unreachable. */
    static final int CLOSED_UDP_PORT = 55;
    /** An IPv6 firewall-mark service: the mark rule gives the VIP's ports 84 to 86 its mark. */
    static final int MARK = 6;
    static final int MARKED_PORT = 85;
    static final String MARK_RULE = "--mark " + MARK + " -P tcp -d " + LvsTopology.VIP6 + "/128 --dport 84:86";
    /** A mark rule wider than /128: its prefix is routed to the director (a client route; a blackhole at the director). */
    static final int ROUTED_MARK = 8;
    static final String ROUTED_PREFIX = "fd00:9::/120";
    static final String ROUTED_MARK_RULE = "--mark " + ROUTED_MARK + " -P tcp -d " + ROUTED_PREFIX + " --dport 80";
    /** A VIP added while the director runs: announced with an unsolicited neighbour advertisement. */
    static final String LATE_VIP = "fd00:1::200";

    LvsTopology topology;
    JlvsDirector director;

    /** "afpacket" or "pcap". */
    abstract String io();

    /** Namespace prefix, different per backend. */
    abstract String prefix();

    /** The daemon's options beyond mode and packet I/O, and the topology's preparation for them. */
    DaemonVariant variant() {
        return DaemonVariant.PLAIN;
    }

    @BeforeAll
    void startDirector() {
        topology = LvsTopology.nat(prefix(), SERVERS).withIpv6().clientStampsWithItsClock();
        variant().prepare().accept(topology);
        ServerLauncher.startHttpIdentityServers(topology, HTTP_PORT);
        ServerLauncher.startUdpEchoServers(topology, UDP_PORT);
        director = JlvsDirector.start(topology, "nat", io(), Duration.ofSeconds(120), variant().options());
        StringBuilder rules = new StringBuilder();
        rules.append(MasqueradedService.rules("-t", RR_PORT, HTTP_PORT, LvsTopology.VIP6, topology.serverAddresses6(), ""));
        rules.append(MasqueradedService.rules("-t", ECHO_PORT, HTTP_PORT, LvsTopology.VIP6, topology.serverAddresses6(), ""));
        rules.append(MasqueradedService.rules("-t", PERSISTENT_PORT, HTTP_PORT, LvsTopology.VIP6, topology.serverAddresses6(),
                " -p 120 -M 64"));
        rules.append(MasqueradedService.rules("-u", UDP_PORT, UDP_PORT, LvsTopology.VIP6, topology.serverAddresses6(), ""));
        rules.append(MasqueradedService.rules("-u", CLOSED_UDP_PORT, CLOSED_UDP_PORT, LvsTopology.VIP6, topology.serverAddresses6(), ""));
        rules.append(MasqueradedService.rules("-t", RR_PORT, HTTP_PORT, topology.vip(), topology.serverAddresses(), ""));
        rules.append(MARK_RULE).append("\n-A -f ").append(MARK).append(" -6 -s rr\n");
        for (String server : topology.serverAddresses6()) {
            rules.append("-a -f ").append(MARK).append(" -6 -r [").append(server).append("]:").append(HTTP_PORT)
                    .append(" -m\n");
        }
        rules.append(ROUTED_MARK_RULE).append("\n-A -f ").append(ROUTED_MARK).append(" -6 -s rr\n");
        for (String server : topology.serverAddresses6()) {
            rules.append("-a -f ").append(ROUTED_MARK).append(" -6 -r [").append(server).append("]:").append(HTTP_PORT)
                    .append(" -m\n");
        }
        director.restore(rules.toString());
        topology.inClient("ip", "-6", "route", "add", ROUTED_PREFIX, "via", LvsTopology.DIRECTOR_CLIENT_ADDRESS6)
                .stdoutOrThrow();
        topology.inDirector("ip", "-6", "route", "add", "blackhole", ROUTED_PREFIX).stdoutOrThrow();
    }

    @AfterAll
    void stopEverything() {
        try {
            if (director != null) director.close();
        } finally {
            if (topology != null) topology.close();
        }
    }

    /**
     * What an uneven spread needs explained: the answers in order with their client ports, the director's
     * connections with their states, the daemon's last words.
     */
    String spreadReport(ClientRequests.Batch batch) {
        return batch.describeInOrder() + "\n" + director.admOrThrow("-L", "-n", "-c") + "\n"
                + director.jlvs("status").stdout() + "\n"
                + director.daemon().logTail(30);
    }

    @Test
    void newConnectionsAreSpreadEvenlyOverTheThreeServersAndListedInBrackets() throws UnknownHostException {
        ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat6(), RR_PORT, 150);

        assertEquals(150, batch.replies().size(), batch.describe());
        assertEquals(Map.of("rs1", 50, "rs2", 50, "rs3", 50), batch.perServer(), () -> spreadReport(batch));
        Set<InetAddress> clients = new HashSet<>();
        for (HttpIdentityServer.Reply r : batch.replies()) clients.add(InetAddress.getByName(r.clientAddress()));
        assertEquals(Set.of(InetAddress.getByName(LvsTopology.CLIENT_ADDRESS6)), clients,
                "NAT66 rewrites only the destination: the servers see the client's own address");
        String listing = director.admOrThrow("-L", "-n", "--stats");
        StatsListing stats = StatsListing.parse(listing, "TCP", "[" + LvsTopology.VIP6 + "]:" + RR_PORT);
        assertTrue(stats.serviceConnections() >= 150, listing);
        assertEquals(Set.of("[fd00:2::2]:80", "[fd00:2::3]:80", "[fd00:2::4]:80"),
                stats.connectionsPerRealServer().keySet(), listing);
        String plain = director.admOrThrow("-L", "-n");
        assertTrue(plain.contains("TCP  [fd00:1::100]:80 rr") && plain.contains("-> [fd00:2::2]:80"), plain);
    }

    @Test
    void oneMebibyteComesBackByteIdentical() {
        byte[] sent = new byte[1 << 20];
        new Random(6).nextBytes(sent);

        byte[] received = ClientRequests.echo6(topology, ECHO_PORT, sent);

        assertEquals(sent.length, received.length, "echo length");
        assertArrayEquals(sent, received);
    }

    @Test
    void udpDatagramsAreAnsweredFromTheVipByEveryServerInTurn() {
        CommandResult result = topology.inClient("sh", "-c", "for i in 1 2 3 4 5 6; do "
                + "(printf 'datagram-%s\\n' $i | socat -t 2 - UDP6:[" + LvsTopology.VIP6 + "]:" + UDP_PORT
                + ") & done; wait");
        Map<String, Integer> perServer = new TreeMap<>();
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) continue;
            perServer.merge(line.strip().split(" ")[0], 1, Integer::sum);
        }
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), perServer, result.describe() + "\n" + result.stdout());
    }

    @Test
    void aPersistentServiceSendsTheClientsSlash64ToOneServer() {
        ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat6(), PERSISTENT_PORT, 12);

        assertEquals(12, batch.replies().size(), batch.describe());
        assertEquals(1, batch.perServer().size(), "one server for the client's /64: " + batch.describe());
        String connections = director.admOrThrow("-L", "-n", "-c");
        assertTrue(connections.contains("[fd00:1::]:0"), "the template holds the client's /64:\n" + connections);
    }

    @Test
    void theVipAnswersPing6AndTheClientLearnsTheDirectorsMacForIt() {
        CommandResult ping = topology.inClient("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", LvsTopology.VIP6);
        assertEquals(0, ping.exitCode(), ping.describe() + "\n" + ping.stdout());
        assertTrue(ping.stdout().contains("3 received"), ping.stdout());
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        String neighbour = topology.inClient("ip", "-6", "neigh", "show", LvsTopology.VIP6, "dev", "eth0").stdout();
        assertTrue(neighbour.contains("lladdr " + directorMac), "client's entry for the VIP: " + neighbour
                + " (director's MAC " + directorMac + ")");
    }

    @Test
    void theIpv4ServiceOnTheSameDirectorWorksBesideTheIpv6Ones() {
        ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat(), RR_PORT, 30);

        assertEquals(30, batch.replies().size(), batch.describe());
        assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), batch.perServer(), batch.describe());
        Set<String> clients = batch.replies().stream().map(HttpIdentityServer.Reply::clientAddress)
                .collect(Collectors.toSet());
        assertEquals(Set.of(topology.clientAddress()), clients);
    }

    @Test
    void anIpv6MarkRuleLeadsItsPortsToTheIpv6FwmarkServiceSpreadEvenly() throws UnknownHostException {
        ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat6(), MARKED_PORT, 30);

        assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), batch.perServer(), () -> spreadReport(batch));
        for (HttpIdentityServer.Reply r : batch.replies()) {
            assertEquals(InetAddress.getByName(LvsTopology.CLIENT_ADDRESS6), InetAddress.getByName(r.clientAddress()));
        }
        String saved = director.admOrThrow("-S", "-n");
        assertTrue(saved.contains(MARK_RULE + "\n") && saved.contains("-A -f " + MARK + " -6 -s rr"), saved);
        String stats = director.admOrThrow("-L", "-n", "--stats");
        assertTrue(stats.contains("FWM  " + MARK + " IPv6"), stats);
    }

    @Test
    void everyAddressOfAPrefixRoutedToTheDirectorIsServedByItsMarkRule() throws UnknownHostException {
        for (String address : List.of("fd00:9::42", "fd00:9::ff")) {
            ClientSeat seat = new ClientSeat(topology.processes(), topology.clientNamespace(), address);
            ClientRequests.Batch batch = ClientRequests.get(seat, RR_PORT, 30);

            assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), batch.perServer(),
                    () -> address + ": " + spreadReport(batch));
            for (HttpIdentityServer.Reply r : batch.replies()) {
                assertEquals(InetAddress.getByName(LvsTopology.CLIENT_ADDRESS6), InetAddress.getByName(r.clientAddress()));
            }
        }
        String listing = director.admOrThrow("-L", "-n", "-c");
        assertTrue(listing.contains("[fd00:9::42]:80") && listing.contains("[fd00:9::ff]:80"), listing);
        assertTrue(director.admOrThrow("-S", "-n").contains(ROUTED_MARK_RULE + "\n"));
    }

    @Test
    void anIpv4AndAnIpv6ClientAreServedAtOnceByTheDualStackDirector() throws Exception {
        // Both batches start together and run side by side: one director, one worker, both families' services.
        CompletableFuture<ClientRequests.Batch> v4 =
                CompletableFuture.supplyAsync(() -> ClientRequests.get(topology.clientSeat(), RR_PORT, 90));
        CompletableFuture<ClientRequests.Batch> v6 =
                CompletableFuture.supplyAsync(() -> ClientRequests.get(topology.clientSeat6(), RR_PORT, 90));
        ClientRequests.Batch ipv4 = v4.get(120, TimeUnit.SECONDS);
        ClientRequests.Batch ipv6 = v6.get(120, TimeUnit.SECONDS);

        assertEquals(Map.of("rs1", 30, "rs2", 30, "rs3", 30), ipv4.perServer(), () -> spreadReport(ipv4));
        assertEquals(Map.of("rs1", 30, "rs2", 30, "rs3", 30), ipv6.perServer(), () -> spreadReport(ipv6));
        assertEquals(Set.of(topology.clientAddress()), ipv4.replies().stream()
                .map(HttpIdentityServer.Reply::clientAddress).collect(Collectors.toSet()));
        Set<InetAddress> v6Clients = new HashSet<>();
        for (HttpIdentityServer.Reply r : ipv6.replies()) v6Clients.add(InetAddress.getByName(r.clientAddress()));
        assertEquals(Set.of(InetAddress.getByName(LvsTopology.CLIENT_ADDRESS6)), v6Clients);
    }

    @Test
    void aServersPortUnreachableReachesTheClientFromTheVipQuotingItsOwnDatagram() {
        // socat's UDP6 socket is connected to VIP:55: the kernel reports "Connection refused" only for an ICMPv6
        // error from that peer quoting a datagram of that socket, so both rewrites must be right.
        CommandResult refused = topology.inClient("sh", "-c", "(printf 'anyone\\n'; sleep 1; printf 'there\\n') | "
                + "socat -t 2 - UDP6:[" + LvsTopology.VIP6 + "]:" + CLOSED_UDP_PORT);
        assertTrue(refused.stderr().contains("Connection refused"), refused.describe() + "\n" + refused.stderr());
    }

    @Test
    void aVipAddedAtRunTimeIsAnnouncedWithAnUnsolicitedNeighbourAdvertisement() {
        BackgroundProcess capture = topology.processes().start(topology.clientNamespace(), "client-nd-capture",
                List.of("tcpdump", "-n", "-l", "-e", "-i", "eth0", "icmp6 and ip6[40] == 136"));
        capture.awaitLogLine("listening on", Duration.ofSeconds(10));
        director.admOrThrow("-A", "-t", "[" + LATE_VIP + "]:80", "-s", "rr");
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        Conditions.await("an unsolicited advertisement of " + LATE_VIP, Duration.ofSeconds(10),
                () -> capture.logText().lines().anyMatch(l -> l.contains(directorMac + " > 33:33:00:00:00:01")
                        && l.contains("> ff02::1:") && l.contains("tgt is " + LATE_VIP)));
        capture.stop(Duration.ofSeconds(5));
    }

    @Test
    void theDirectorsKernelDropsIpv6VipTrafficInTheHostGuard() {
        String rules = topology.network().check(topology.directorNamespace(), "nft", "list", "set", "inet", "jlvs",
                "vips6");
        assertTrue(rules.contains("fd00:1::100"), rules);
        Conditions.await("the guard's counter of IPv6 VIP drops", Duration.ofSeconds(5), () -> {
            ClientRequests.get(topology.clientSeat6(), RR_PORT, 3);
            String chain = topology.network().check(topology.directorNamespace(), "nft", "list", "chain", "inet",
                    "jlvs", "prerouting");
            return chain.lines().anyMatch(l -> l.contains("@vips6") && !l.contains("packets 0 "));
        });
    }
}
