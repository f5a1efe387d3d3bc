package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
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

import java.net.InetAddress;
import java.net.UnknownHostException;
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

/**
 * IPv6-in-IPv6 tunnelling end to end: the real servers prepared by `jlvs realserver --vip VIP6 --mode tun` (this
 * kernel has no ip6_tunnel module: the user-space decapsulator), the server network with a smaller MTU than the
 * client's, so a full-size segment crosses a smaller path MTU and the client learns it from the director's Packet
 * Too Big. The replies go straight to the client on its LAN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Tun6EndToEndTest {
    static final int SERVERS = 3;
    static final int HTTP_PORT = 80;
    static final int SERVER_NETWORK_MTU = 1400;

    private LvsTopology topology;
    private JlvsDirector director;

    @BeforeAll
    void startDirector() {
        ProcessRunner runner = new ProcessRunner(Path.of(System.getProperty("java.io.tmpdir")), Map.of());
        runner.run(null, List.of(JlvsHome.locate().resolve("bin/jlvs").toString(), "--version"), Duration.ofMinutes(5));
        topology = LvsTopology.tun("jlvs6-t", SERVERS, SERVER_NETWORK_MTU).withIpv6();
        RealServers.prepareAll(topology, "tun", LvsTopology.VIP6);
        ServerLauncher.startHttpIdentityServers(topology, HTTP_PORT);
        director = JlvsDirector.start(topology, "tun", "afpacket", Duration.ofSeconds(120));
        String service = "[" + LvsTopology.VIP6 + "]:" + HTTP_PORT;
        StringBuilder rules = new StringBuilder("-A -t " + service + " -s rr\n");
        for (String server : topology.serverAddresses6()) {
            rules.append("-a -t ").append(service).append(" -r [").append(server).append("]:").append(HTTP_PORT)
                    .append(" -i\n");
        }
        director.restore(rules.toString());
    }

    @AfterAll
    void stopEverything() {
        try {
            if (director != null) director.close();
            if (topology != null) RealServers.undoAll(topology, "tun", LvsTopology.VIP6);
        } finally {
            if (topology != null) topology.close();
        }
    }

    @Test
    @Order(0)
    void realserverCheckFindsThePreparedServersReadyAndNamesTheMissingVip() {
        CommandResult ok = RealServers.check(topology, 1, "tun", LvsTopology.VIP6);
        assertEquals(0, ok.exitCode(), ok.describe() + "\n" + ok.stdout());
        assertTrue(ok.stdout().contains("OK: ready to serve " + LvsTopology.VIP6), ok.stdout());
        CommandResult missing = RealServers.check(topology, 1, "tun", "fd00:1::999");
        assertEquals(1, missing.exitCode(), missing.describe());
        assertTrue(missing.stdout().contains("fd00:1::999 is not on lo"), missing.stdout());
    }

    @Test
    @Order(1)
    void requestsAreSpreadEvenlyAndTheServersSeeTheClient() throws UnknownHostException {
        ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat6(), HTTP_PORT, 150);

        assertEquals(150, batch.replies().size(), batch.describe());
        assertEquals(Map.of("rs1", 50, "rs2", 50, "rs3", 50), batch.perServer(),
                () -> batch.describe() + "\n" + director.adm("-L", "-n", "--stats").stdout());
        for (HttpIdentityServer.Reply r : batch.replies()) {
            assertEquals(InetAddress.getByName(LvsTopology.CLIENT_ADDRESS6), InetAddress.getByName(r.clientAddress()));
        }
        String listing = director.admOrThrow("-L", "-n");
        assertTrue(listing.contains("-> [fd00:2::b]:80") && listing.contains("Tunnel"), listing);
    }

    @Test
    @Order(2)
    void oneMebibyteRoundTripsIntactAcrossTheSmallerPathMtuAndRepliesBypassTheDirector() {
        byte[] body = new byte[1 << 20];
        new Random(8).nextBytes(body);
        String vip = LvsTopology.VIP6;
        BackgroundProcess capture = topology.processes().start(topology.directorNamespace(), "director-capture6",
                List.of("tcpdump", "-n", "-l", "--immediate-mode", "-B", "32768", "-s", "160", "-i",
                        topology.directorClientSide(), "tcp and host " + vip));
        capture.awaitLogLine("listening on", Duration.ofSeconds(10));
        byte[] echoed = ClientRequests.echo6(topology, HTTP_PORT, body);
        Pattern clientClose = Pattern.compile(" > " + Pattern.quote(vip + "." + HTTP_PORT) + ": Flags \\[[FR]");
        Conditions.await("the director's capture to show the client closing", Duration.ofSeconds(10),
                () -> clientClose.matcher(capture.logText()).find());
        capture.stop(Duration.ofSeconds(5));
        assertArrayEquals(body, echoed, "1 MiB through IPv6-in-IPv6 and back");
        List<String> packets = capture.logText().lines().filter(l -> l.contains(" IP6 ")).toList();
        long requestsSeen = packets.stream().filter(l -> l.contains(" > " + vip + "." + HTTP_PORT + ":")).count();
        long repliesSeen = packets.stream().filter(l -> l.contains(" IP6 " + vip + ".")).count();
        assertTrue(requestsSeen > 0, capture.logTail(10));
        Matcher dropped = Pattern.compile("(\\d+) packets? dropped by kernel").matcher(capture.logText());
        assertTrue(dropped.find(), capture.logTail(5));
        assertEquals(0, Integer.parseInt(dropped.group(1)), capture.logTail(5));
        assertEquals(0, repliesSeen, "the director must see no reply from the VIP:\n" + capture.logTail(10));
        CommandResult route = topology.inClient("ip", "-6", "route", "get", vip);
        assertTrue(route.stdout().contains("mtu " + (SERVER_NETWORK_MTU - 40)),
                "the client learnt the tunnel's MTU from the director's Packet Too Big: " + route.stdout());
    }

    @Test
    @Order(3)
    void theDirectorCountedThePacketTooBigItSent() {
        director.close();
        String log = director.daemon().logText();
        Matcher m = Pattern.compile("packet_too_big_sent=(\\d+)").matcher(log);
        assertTrue(m.find(), "the daemon's counters at stop:\n" + log);
        assertTrue(Long.parseLong(m.group(1)) > 0, log);
    }
}
