package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end NAT through jlvs: a client, the jlvs daemon in the director namespace and three real
 * servers, built once per packet I/O backend (one concrete subclass each). Every test has its own virtual service
 * (its own VIP port, mapped to the servers' port 80 but for the delete test's), so the tests do not depend on each other's counters or
 * scheduler position; only the teardown test, which stops the daemon, must run last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class NatEndToEndTests {
    static final int SERVERS = 3;
    static final int HTTP_PORT = 80;
    /** A second port of the HTTP servers: the delete test's service maps VIP:82 to it, port for port. */
    static final int SECOND_HTTP_PORT = 82;
    static final int UDP_PORT = 53;
    /** A one-packet (-o) UDP service in front of the same UDP echo servers. */
    static final int ONE_PACKET_PORT = 54;
    static final int RR_PORT = 80;
    static final int PERSISTENT_PORT = 81;
    static final int DELETE_PORT = 82;
    static final int ECHO_PORT = 83;
    static final int CAPTURE_PORT = 84;
    static final int DELETE_MAPPED_PORT = 85;
    static final int SELFTEST_PORT = 8080;
    private static final String GRO = "generic-receive-offload";

    private LvsTopology topology;
    private JlvsDirector director;

    /** "afpacket" or "pcap". */
    abstract String io();

    /** Namespace prefix, different per backend so that a leftover of one never collides with the other. */
    abstract String prefix();

    /** The daemon's options beyond mode and packet I/O, and the topology's preparation for them. */
    DaemonVariant variant() {
        return DaemonVariant.PLAIN;
    }

    /** Whether the daemon attaches an XDP program to its interfaces (checked while it runs; none may stay after). */
    boolean xdpAttached() {
        return false;
    }

    LvsTopology topology() {
        return topology;
    }

    JlvsDirector director() {
        return director;
    }

    @BeforeAll
    void startDirector() {
        topology = LvsTopology.nat(prefix(), SERVERS).clientStampsWithItsClock();
        variant().prepare().accept(topology);
        // GRO is off on a new veth; turn it on so that the daemon has an offload to turn off and to restore.
        for (String iface : directorInterfaces()) {
            topology.network().check(topology.directorNamespace(), "ethtool", "-K", iface, "gro", "on");
        }
        ServerLauncher.startHttpIdentityServers(topology, HTTP_PORT);
        ServerLauncher.startHttpIdentityServers(topology, SECOND_HTTP_PORT);
        ServerLauncher.startUdpEchoServers(topology, UDP_PORT);
        director = JlvsDirector.start(topology, "nat", io(), Duration.ofSeconds(120), variant().options());
        StringBuilder rules = new StringBuilder();
        for (int port : List.of(RR_PORT, ECHO_PORT, CAPTURE_PORT, DELETE_MAPPED_PORT)) {
            rules.append(tcpServiceRules(port, HTTP_PORT, ""));
        }
        rules.append(tcpServiceRules(PERSISTENT_PORT, HTTP_PORT, " -p 120"));
        rules.append(tcpServiceRules(DELETE_PORT, SECOND_HTTP_PORT, ""));
        rules.append("-A -u ").append(topology.vip()).append(':').append(UDP_PORT).append(" -s rr\n");
        for (String server : topology.serverAddresses()) {
            rules.append("-a -u ").append(topology.vip()).append(':').append(UDP_PORT)
                    .append(" -r ").append(server).append(':').append(UDP_PORT).append(" -m\n");
        }
        rules.append("-A -u ").append(topology.vip()).append(':').append(ONE_PACKET_PORT).append(" -s rr -o\n");
        for (String server : topology.serverAddresses()) {
            rules.append("-a -u ").append(topology.vip()).append(':').append(ONE_PACKET_PORT)
                    .append(" -r ").append(server).append(':').append(UDP_PORT).append(" -m\n");
        }
        director.restore(rules.toString());
    }

    private String tcpServiceRules(int vipPort, int serverPort, String options) {
        String service = topology.vip() + ":" + vipPort;
        StringBuilder rules = new StringBuilder("-A -t " + service + " -s rr" + options + "\n");
        for (String server : topology.serverAddresses()) {
            rules.append("-a -t ").append(service).append(" -r ").append(server).append(':').append(serverPort)
                    .append(" -m\n");
        }
        return rules.toString();
    }

    @AfterAll
    void stopEverything() {
        try {
            if (director != null) {
                director.close();
            }
        } finally {
            if (topology != null) {
                topology.close(); // also stops the daemon if close above failed
            }
        }
    }

    @Test
    @Order(1)
    void threeHundredNewConnectionsAreAllAnsweredAndSpreadExactlyEvenlyByRoundRobin() {
        ClientRequests.Batch batch = ClientRequests.get(topology, RR_PORT, 300);

        assertEquals(300, batch.replies().size(), batch.describe());
        assertEquals(Map.of("rs1", 100, "rs2", 100, "rs3", 100), batch.perServer(), batch.describe());
        StatsListing stats = stats("TCP", RR_PORT);
        // Each request came on a connection of its own. Client ports do not show it: a port the client used for an
        // earlier connection that the server closed may be taken again at once.
        assertEquals(300, stats.serviceConnections(), "Conns of the service");
        assertEquals(Map.of(rs(1), 100L, rs(2), 100L, rs(3), 100L), stats.connectionsPerRealServer());
    }

    @Test
    @Order(2)
    void realServersSeeTheClientsOwnAddressInEveryAnswer() {
        ClientRequests.Batch batch = ClientRequests.get(topology, RR_PORT, 30);

        assertEquals(30, batch.replies().size(), batch.describe());
        Set<String> seen = batch.replies().stream().map(HttpIdentityServer.Reply::clientAddress).collect(Collectors.toSet());
        assertEquals(Set.of(topology.clientAddress()), seen, "NAT must rewrite only the destination");
    }

    @Test
    @Order(3)
    void oneMebibyteOfRandomBytesComesBackByteIdentical() {
        byte[] sent = new byte[1 << 20];
        new Random(4).nextBytes(sent);

        byte[] received = ClientRequests.echo(topology, ECHO_PORT, sent);

        assertEquals(sent.length, received.length, "echo length");
        assertArrayEquals(sent, received, "first difference at byte " + firstDifference(sent, received));
    }

    @Test
    @Order(4)
    void udpDatagramsAreAnsweredFromTheVipByEveryRealServerInTurn() {
        // Six senders, each from a port of its own: six new UDP connections, two per server with rr. socat's
        // UDP: address connects its socket, so the kernel delivers only datagrams whose source is VIP:53; an
        // answer that came straight from a real server's own address would never reach socat's output.
        CommandResult result = topology.inClient("sh", "-c", "for i in 1 2 3 4 5 6; do "
                + "(printf 'datagram-%s\\n' $i | socat -t 2 - UDP:" + topology.vip() + ":" + UDP_PORT + ") & done; wait");
        Map<String, Integer> perServer = new TreeMap<>();
        Set<String> payloads = new HashSet<>();
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.strip().split(" ");
            assertEquals(2, fields.length, "answer '" + line + "'");
            perServer.merge(fields[0], 1, Integer::sum);
            payloads.add(fields[1]);
        }
        assertEquals(Map.of("rs1", 2, "rs2", 2, "rs3", 2), perServer, result.describe() + "\n" + result.stdout());
        assertEquals(Set.of("datagram-1", "datagram-2", "datagram-3", "datagram-4", "datagram-5", "datagram-6"), payloads);
        assertEquals(6, stats("UDP", UDP_PORT).serviceConnections(), "Conns of the UDP service");
    }

    @Test
    @Order(4)
    void oneFlowToAOnePacketServiceIsSpreadPacketByPacketAndAnsweredFromTheVip() {
        // One socket, one source port: three datagrams of one flow. With -o each is scheduled on its own (rr: one
        // per server) and no connection stays; the answers still come from VIP:54, or socat would not print them.
        // The shell's sleeps are pacing, not synchronisation: each printf reaches socat as its own read, so its own
        // datagram, instead of three lines coalesced into one.
        CommandResult result = topology.inClient("sh", "-c", "(printf 'ops-1\\n'; sleep 0.3; printf 'ops-2\\n'; sleep 0.3; "
                + "printf 'ops-3\\n'; sleep 0.3) | socat -t 2 - UDP:" + topology.vip() + ":" + ONE_PACKET_PORT);
        Map<String, String> serverByPayload = new TreeMap<>();
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) continue;
            String[] fields = line.strip().split(" ");
            serverByPayload.put(fields[1], fields[0]);
        }
        assertEquals(Set.of("ops-1", "ops-2", "ops-3"), serverByPayload.keySet(), result.describe() + "\n" + result.stdout());
        assertEquals(Set.of("rs1", "rs2", "rs3"), Set.copyOf(serverByPayload.values()), "one datagram per server");
        assertEquals(3, stats("UDP", ONE_PACKET_PORT).serviceConnections(), "each datagram counts as a connection");
        String connections = director.admOrThrow("-L", "-n", "-c");
        assertFalse(connections.contains(topology.vip() + ":" + ONE_PACKET_PORT), "no entry stays:\n" + connections);
    }

    @Test
    @Order(5)
    void persistentServiceKeepsTheClientOnOneServer() {
        ClientRequests.Batch batch = ClientRequests.get(topology, PERSISTENT_PORT, 20);

        assertEquals(20, batch.replies().size(), batch.describe());
        assertEquals(1, batch.perServer().size(), "-p must pin the client to one server: " + batch.perServer());
    }

    @Test
    @Order(6)
    void deletedRealServerGetsNoNewConnections() {
        ClientRequests.Batch before = ClientRequests.get(topology, DELETE_PORT, 3);
        assertEquals(Map.of("rs1", 1, "rs2", 1, "rs3", 1), before.perServer(), "all three serve before -d: " + before.describe());

        director.admOrThrow("-d", "-t", topology.vip() + ":" + DELETE_PORT, "-r", topology.serverAddress(2) + ":" + SECOND_HTTP_PORT);
        ClientRequests.Batch after = ClientRequests.get(topology, DELETE_PORT, 30);

        assertEquals(30, after.replies().size(), after.describe());
        assertEquals(Map.of("rs1", 15, "rs3", 15), after.perServer(), "rr over the two left, none to rs2");
    }

    /**
     * ipvsadm forces the real port to the virtual port only for -a and -e of -g/-i servers; -d takes -r as given
     * (and refuses -m). So a NAT server on another port than the service's is deleted with its own port.
     */
    @Test
    @Order(7)
    void deleteOfMasqueradedServerOnAnotherPortTakesItsPortAsGivenLikeIpvsadm() {
        String service = topology.vip() + ":" + DELETE_MAPPED_PORT;

        CommandResult delete = director.adm("-d", "-t", service, "-r", rs(2));

        assertTrue(delete.succeeded(), delete.describe());
        assertEquals(Set.of(rs(1), rs(3)), stats("TCP", DELETE_MAPPED_PORT).connectionsPerRealServer().keySet());
    }

    @Test
    @Order(8)
    void vipAnswersPing() {
        CommandResult ping = topology.inClient("ping", "-c", "3", "-i", "0.2", "-W", "2", topology.vip());

        assertTrue(ping.succeeded(), ping.describe() + "\n" + ping.stdout());
        assertTrue(ping.stdout().contains("3 received"), ping.stdout());
    }

    @Test
    @Order(9)
    void onlyTheDirectorAnswersArpForTheVipAndItsKernelDoesNotHoldIt() {
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        topology.inClient("ip", "neigh", "flush", "to", topology.vip()).stdoutOrThrow();
        ClientCapture capture = ClientCapture.start(topology, "arp-" + io(), "arp");
        CommandResult ping = topology.inClient("ping", "-c", "1", "-W", "2", topology.vip());
        List<CapturedFrame> frames = capture.stopAndRead();

        assertTrue(ping.succeeded(), ping.describe());
        List<CapturedFrame> vipReplies = frames.stream()
                .filter(f -> f.isArpReply() && f.arpSenderIp().equals(topology.vip())).toList();
        assertFalse(vipReplies.isEmpty(), "no ARP reply for the VIP in " + capture.file());
        for (CapturedFrame reply : vipReplies) {
            assertEquals(directorMac, reply.arpSenderMac(), "ARP reply for the VIP from another host: " + reply.hex());
        }
        String neighbour = topology.inClient("ip", "neigh", "show", topology.vip()).stdoutOrThrow();
        assertTrue(neighbour.contains("lladdr " + directorMac), "client's neighbour entry: " + neighbour);
        String directorAddresses = topology.inDirector("ip", "-4", "-o", "addr").stdoutOrThrow();
        assertFalse(directorAddresses.contains(topology.vip()), "the director's kernel holds the VIP:\n" + directorAddresses);
    }

    @Test
    @Order(10)
    void clientCaptureShowsNoRstAndOnlyValidChecksumsFromTheVip() {
        ClientCapture capture = ClientCapture.start(topology, "tcp-" + io(), "tcp");
        ClientRequests.Batch batch = ClientRequests.get(topology, CAPTURE_PORT, 30);
        byte[] body = new byte[256 * 1024];
        new Random(9).nextBytes(body);
        byte[] echoed = ClientRequests.echo(topology, CAPTURE_PORT, body);
        List<CapturedFrame> frames = capture.stopAndRead();

        assertEquals(30, batch.replies().size(), batch.describe());
        assertArrayEquals(body, echoed, "echo through the captured service");
        int fromVip = 0;
        int synAcks = 0;
        for (CapturedFrame frame : frames) {
            if (!frame.isTcp()) {
                continue;
            }
            assertFalse(frame.truncated(), "capture truncated a frame: " + capture.file());
            if (frame.ipDestination().equals(topology.clientAddress())) {
                assertFalse(frame.hasTcpFlag(CapturedFrame.TCP_RST), "RST arrived at the client: " + frame.hex());
            }
            if (frame.ipSource().equals(topology.vip())) {
                fromVip++;
                assertTrue(frame.ipHeaderChecksumValid(), "bad IPv4 header checksum from the VIP: " + frame.hex());
                assertTrue(frame.tcpChecksumValid(), "bad TCP checksum from the VIP: " + frame.hex());
                if (frame.hasTcpFlag(CapturedFrame.TCP_SYN) && frame.hasTcpFlag(CapturedFrame.TCP_ACK)) {
                    synAcks++;
                }
            }
        }
        assertEquals(31, synAcks, "one SYN-ACK from the VIP per connection (30 GETs and one POST)");
        assertTrue(fromVip > 31 * 3, "too few packets from the VIP to judge: " + fromVip);
    }

    /** The kernel's selftest (ipvs.sh, NAT case): 32 random bytes from the client reach a real server unchanged. */
    @Test
    @Order(11)
    void kernelSelftestScenarioThirtyTwoRandomBytesArriveByteIdenticalAtTheRealServer() throws IOException {
        String service = topology.vip() + ":" + SELFTEST_PORT;
        director.admOrThrow("-A", "-t", service, "-s", "rr");
        director.admOrThrow("-a", "-t", service, "-r", topology.serverAddress(1) + ":" + SELFTEST_PORT, "-m");
        byte[] sent = new byte[32];
        new Random().nextBytes(sent);
        Path input = ClientRequests.write(topology, "selftest-in", sent);
        Path output = input.resolveSibling("selftest-out-" + io());
        BackgroundProcess listener = topology.processes().start(topology.serverNamespace(1), "selftest-listener-" + io(),
                List.of("socat", "-u", "TCP-LISTEN:" + SELFTEST_PORT + ",reuseaddr", "OPEN:" + output + ",creat,trunc"));
        awaitListening(1, SELFTEST_PORT, listener);

        topology.inClient("socat", "-u", "OPEN:" + input, "TCP:" + service + ",connect-timeout=5").stdoutOrThrow();

        awaitExit(listener, Duration.ofSeconds(10));
        assertArrayEquals(sent, Files.readAllBytes(output), "bytes at the real server's listener");
    }

    /** Runs last: stops the daemon and checks that it left the director namespace as it found it. */
    @Test
    @Order(100)
    void stoppingTheDaemonLeavesNothingOfJlvsBehind() {
        Path stateFile = Path.of("/run/jlvs/host-" + directorNetnsInode() + ".state");
        assertTrue(Files.exists(stateFile), "while running, the daemon records its host changes in " + stateFile);
        assertTrue(nftRuleset().contains("jlvs"), "while running, the daemon has its nft table");
        for (String iface : directorInterfaces()) {
            assertEquals("off", groSetting(iface), "while running, GRO is off on " + iface);
            assertTrue(ingressFilters(iface).contains("direct-action"), "while running, the tc classifier is on " + iface);
            if (xdpAttached()) assertTrue(hasXdpProgram(iface), "while running, jlvs's XDP program is on " + iface);
        }
        long daemonPid = director.daemon().pid();

        director.close();

        assertFalse(director.daemon().isAlive(), "daemon pid " + daemonPid + " still runs");
        assertEquals("", topology.network().run(null, "ip", "netns", "pids", topology.directorNamespace()).stdout().strip(),
                "processes left in the director namespace");
        assertFalse(nftRuleset().contains("jlvs"), "nft ruleset after stop:\n" + nftRuleset());
        for (String iface : directorInterfaces()) {
            assertEquals("on", groSetting(iface), "GRO restored on " + iface);
            String qdiscs = topology.network().check(topology.directorNamespace(), "tc", "qdisc", "show", "dev", iface);
            assertFalse(qdiscs.contains("clsact"), "tc qdiscs on " + iface + " after stop:\n" + qdiscs);
            assertFalse(hasXdpProgram(iface), "an XDP program left on " + iface);
        }
        assertFalse(Files.exists(director.controlSocket()), "control socket " + director.controlSocket() + " left");
        assertFalse(Files.exists(stateFile), "host state file " + stateFile + " left");
    }

    private boolean hasXdpProgram(String iface) {
        String link = topology.network().check(topology.directorNamespace(), "ip", "link", "show", "dev", iface);
        return link.contains("prog/xdp");
    }

    private String ingressFilters(String iface) {
        return topology.network().check(topology.directorNamespace(), "tc", "filter", "show", "dev", iface, "ingress");
    }

    private List<String> directorInterfaces() {
        return List.of(topology.directorClientSide(), topology.directorServerSide());
    }

    private String groSetting(String iface) {
        String features = topology.network().check(topology.directorNamespace(), "ethtool", "-k", iface);
        for (String line : features.split("\n")) {
            if (line.strip().startsWith(GRO + ":")) {
                return line.strip().substring(GRO.length() + 1).strip().split(" ")[0];
            }
        }
        throw new IllegalStateException("no " + GRO + " in ethtool -k " + iface + ":\n" + features);
    }

    private String nftRuleset() {
        return topology.inDirector("nft", "list", "ruleset").stdoutOrThrow();
    }

    /** HostGuard keys its state file by the inode of the namespace's ns/net file. */
    private String directorNetnsInode() {
        return topology.network().check(null, "stat", "-L", "-c", "%i", "/run/netns/" + topology.directorNamespace()).strip();
    }

    private StatsListing stats(String protocol, int vipPort) {
        return StatsListing.parse(director.admOrThrow("-L", "-n", "--stats"), protocol, topology.vip() + ":" + vipPort);
    }

    private String rs(int k) {
        return topology.serverAddress(k) + ":" + HTTP_PORT;
    }

    private void awaitListening(int server, int port, BackgroundProcess listener) {
        Conditions.await(listener + " listening on port " + port, Duration.ofSeconds(10), () -> {
            if (!listener.isAlive()) {
                throw listener.failure("exited before listening on port " + port);
            }
            return !topology.inServer(server, "ss", "-Hltn", "sport = :" + port).stdout().isBlank();
        });
    }

    private static void awaitExit(BackgroundProcess process, Duration timeout) {
        if (!Conditions.holdsWithin(timeout, () -> !process.isAlive())) {
            throw process.failure("did not finish within " + timeout);
        }
    }

    private static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }
}
