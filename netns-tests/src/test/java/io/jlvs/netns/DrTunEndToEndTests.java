package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.JlvsHome;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ProcessRunner;
import io.jlvs.tools.netns.RealServers;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End-to-end DR and TUN through jlvs, one concrete subclass per method and packet I/O backend. The real
 * servers are prepared by `bin/jlvs realserver` (for TUN: the user-space decapsulator, this kernel has no ipip
 * module). The TUN network between director and servers has a smaller MTU than the client's, so every TUN test
 * also crosses a smaller path MTU. The last test stops the daemon and reads its counters from its log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DrTunEndToEndTests {
    static final int SERVERS = 3;
    static final int HTTP_PORT = 80;
    static final int SELFTEST_PORT = 8080;
    static final int TUN_SERVER_MTU = 1400;

    private LvsTopology topology;
    private JlvsDirector director;

    /** "dr" or "tun". */
    abstract String mode();

    /** "afpacket" or "pcap". */
    abstract String io();

    /** Namespace prefix: jlvsdr-... or jlvstun-..., different per backend. */
    abstract String prefix();

    /** The daemon's options beyond mode and packet I/O, and the topology's preparation for them. */
    DaemonVariant variant() {
        return DaemonVariant.PLAIN;
    }

    LvsTopology topology() {
        return topology;
    }

    JlvsDirector director() {
        return director;
    }

    String forwardFlag() {
        return mode().equals("dr") ? "-g" : "-i";
    }

    @BeforeAll
    void startDirector() {
        // bin/jlvs builds when sources changed: once here, not in three real-server processes at the same time.
        ProcessRunner runner = new ProcessRunner(Path.of(System.getProperty("java.io.tmpdir")), Map.of());
        runner.run(null, List.of(JlvsHome.locate().resolve("bin/jlvs").toString(), "--version"), Duration.ofMinutes(5));
        topology = mode().equals("dr") ? LvsTopology.dr(prefix(), SERVERS, false)
                : LvsTopology.tun(prefix(), SERVERS, TUN_SERVER_MTU);
        variant().prepare().accept(topology);
        RealServers.prepareAll(topology, mode());
        ServerLauncher.startHttpIdentityServers(topology, HTTP_PORT);
        director = JlvsDirector.start(topology, mode(), io(), Duration.ofSeconds(120), variant().options());
        String vip = topology.vip();
        StringBuilder rules = new StringBuilder("-A -t " + vip + ":" + HTTP_PORT + " -s rr\n");
        for (String server : topology.serverAddresses()) {
            rules.append("-a -t ").append(vip).append(':').append(HTTP_PORT).append(" -r ").append(server)
                    .append(':').append(HTTP_PORT).append(' ').append(forwardFlag()).append('\n');
        }
        // The kernel selftest's service: one real server behind VIP:8080.
        rules.append("-A -t ").append(vip).append(':').append(SELFTEST_PORT).append(" -s rr\n")
                .append("-a -t ").append(vip).append(':').append(SELFTEST_PORT).append(" -r ")
                .append(topology.serverAddress(1)).append(':').append(SELFTEST_PORT).append(' ').append(forwardFlag()).append('\n');
        director.restore(rules.toString());
    }

    @AfterAll
    void stopEverything() {
        try {
            if (director != null) director.close();
            if (topology != null) RealServers.undoAll(topology, mode());
        } finally {
            if (topology != null) topology.close();
        }
    }

    @Test
    @Order(1)
    void kernelSelftestScenarioThirtyTwoRandomBytesArriveByteIdentical() throws IOException {
        byte[] sent = new byte[32];
        new Random().nextBytes(sent);
        Path received = topology.processes().logDirectory().resolve("selftest-received");
        BackgroundProcess listener = topology.processes().start(topology.serverNamespace(1), "selftest-listener",
                List.of("socat", "-u", "TCP-LISTEN:" + SELFTEST_PORT + ",reuseaddr", "CREATE:" + received));
        awaitListening(1, SELFTEST_PORT);
        Path in = ClientRequests.write(topology, "selftest-sent", sent);
        topology.processes().run(topology.clientNamespace(), List.of("socat", "-u", "OPEN:" + in,
                "TCP:" + topology.vip() + ":" + SELFTEST_PORT + ",connect-timeout=5"), Duration.ofSeconds(20)).stdoutOrThrow();
        // socat -u exits once the peer has closed and everything is written.
        Conditions.await("the selftest listener to exit after the client closed", Duration.ofSeconds(10),
                () -> !listener.isAlive());
        assertArrayEquals(sent, Files.readAllBytes(received), listener.logTail(20));
    }

    @Test
    @Order(2)
    void threeHundredRequestsAreSpreadEvenlyByRoundRobin() {
        ClientRequests.Batch batch = ClientRequests.get(topology, HTTP_PORT, 300);
        assertEquals(300, batch.replies().size(), batch.describe());
        // On a failure, the director's own per-server counts tell a scheduling fault from one after the director,
        // and the answers in order with their client ports show a port the client used twice.
        assertEquals(Map.of("rs1", 100, "rs2", 100, "rs3", 100), batch.perServer(),
                () -> batch.describeInOrder() + "\ndirector:\n" + director.adm("-L", "-n", "--stats").stdout());
        batch.replies().forEach(r -> assertEquals(topology.clientAddress(), r.clientAddress(),
                "the server sees the client itself"));
    }

    @Test
    @Order(3)
    void oneMebibyteRoundTripsByteIdenticalAndRepliesBypassTheDirector() {
        byte[] body = new byte[1 << 20];
        new Random().nextBytes(body);
        String vip = topology.vip();
        // Every TCP packet to or from the VIP on the switch port of the director's client-side link (a reply that
        // took the director's path would leave the director there): the requests must show up and the kernel must
        // have dropped none of them (proof that this capture sees the connection whole), the replies must not.
        // Captured outside the director, as an XDP program there (--io afxdp) takes the requests before any
        // capture on the director sees them. Its own ICMP errors are from the VIP too, hence "tcp". Headers only
        // (-s) and a 32 MiB buffer (-B) so that printing keeps up with a 1 MiB transfer.
        BackgroundProcess capture = topology.processes().start(topology.switchNamespace(), "director-capture",
                List.of("tcpdump", "-n", "-l", "--immediate-mode", "-B", "32768", "-s", "160", "-i",
                        topology.directorClientSwitchPort(), "tcp and host " + vip));
        Conditions.await("tcpdump to start", Duration.ofSeconds(10), () -> capture.logText().contains("listening on"));
        byte[] echoed = ClientRequests.echo(topology, HTTP_PORT, body);
        // The client closes (FIN, or RST) after it has read the whole reply: once the director has seen that, any
        // reply that had taken the director's path would already be in the capture.
        Pattern clientClose = Pattern.compile(" > " + Pattern.quote(vip + "." + HTTP_PORT) + ": Flags \\[[FR]");
        Conditions.await("the director's capture to show the client closing its connection to " + vip + ":" + HTTP_PORT,
                Duration.ofSeconds(10), () -> clientClose.matcher(capture.logText()).find());
        capture.stop(Duration.ofSeconds(5));
        assertArrayEquals(body, echoed, "1 MiB through " + mode() + " and back");
        List<String> packets = capture.logText().lines().filter(l -> l.contains(" IP ")).toList();
        String requestTo = " > " + vip + "." + HTTP_PORT + ":";
        String replyFrom = " IP " + vip + ".";
        long requestsSeen = packets.stream().filter(l -> l.contains(requestTo)).count();
        long repliesSeen = packets.stream().filter(l -> l.contains(replyFrom)).count();
        assertTrue(requestsSeen > 0, "the director's capture must see the requests to the VIP:\n" + capture.logTail(10));
        Matcher dropped = Pattern.compile("(\\d+) packets? dropped by kernel").matcher(capture.logText());
        assertTrue(dropped.find(), "tcpdump's summary at exit:\n" + capture.logTail(5));
        assertEquals(0, Integer.parseInt(dropped.group(1)), "the director's capture lost packets:\n" + capture.logTail(5));
        assertEquals(0, repliesSeen, "the director must see no reply from the VIP:\n" + capture.logTail(10));
    }

    @Test
    @Order(4)
    void tunnelPathMtuIsLearntByTheClientAndTheDirectorCountsFragmentationNeeded() {
        assumeTrue(mode().equals("tun"), "path MTU applies to tunnelling");
        String route = topology.inClient("ip", "route", "get", topology.vip()).stdoutOrThrow();
        assertTrue(route.contains("mtu " + (TUN_SERVER_MTU - 20)), "client's path MTU to the VIP: " + route);
        director.close();
        String log = director.daemon().logText();
        Matcher m = Pattern.compile("frag_needed_sent=(\\d+)").matcher(log);
        assertTrue(m.find(), "the daemon's counters at stop must show ICMP fragmentation needed sent:\n" + log);
        assertTrue(Long.parseLong(m.group(1)) > 0, log);
    }

    @Test
    @Order(5)
    void directRoutingServerBehindAGatewayIsRefusedWithAClearMessage() {
        assumeTrue(mode().equals("dr"), "only direct routing needs a shared segment");
        topology.inDirector("ip", "route", "add", "192.168.9.0/24", "via", "10.0.0.254").stdoutOrThrow();
        CommandResult refused = director.adm("-a", "-t", topology.vip() + ":" + HTTP_PORT, "-r", "192.168.9.9:80", "-g");
        assertTrue(refused.exitCode() != 0, refused.describe());
        assertTrue(refused.stderr().contains("direct routing needs the real server on a directly connected network: "
                + "192.168.9.9 is reached via the gateway 10.0.0.254"), refused.describe());
    }

    private void awaitListening(int server, int port) {
        Conditions.await("a listener on port " + port + " in " + topology.serverNamespace(server), Duration.ofSeconds(10),
                () -> {
                    CommandResult ss = topology.inServer(server, "ss", "-Htln", "sport = :" + port);
                    return ss.succeeded() && !ss.stdout().isBlank();
                });
    }
}
