package io.jlvs.netns;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    static final int SERVER_NETWORK_MTU = 1400;

    private InputOnly6Director setup;
    private LvsTopology topology;
    private JlvsDirector director;

    @BeforeAll
    void startDirector() {
        setup = new InputOnly6Director(
                () -> LvsTopology.tun("jlvs6qt", InputOnly6Director.SERVERS, SERVER_NETWORK_MTU).withIpv6(), "tun", "-i");
        topology = setup.topology();
        director = setup.director();
    }

    @AfterAll
    void stopEverything() {
        if (setup != null) setup.close();
    }

    @Test
    @Order(0)
    void realserverCheckFindsThePreparedServersReadyAndNamesTheMissingVip() {
        setup.assertRealserverCheckFindsThePreparedServersReadyAndNamesTheMissingVip();
    }

    @Test
    @Order(1)
    void requestsAreSpreadEvenlyAndTheServersSeeTheClient() throws UnknownHostException {
        setup.assertRequestsAreSpreadEvenlyAndTheServersSeeTheClient();
        String listing = director.admOrThrow("-L", "-n");
        assertTrue(listing.contains("-> [fd00:2::b]:80") && listing.contains("Tunnel"), listing);
    }

    @Test
    @Order(2)
    void oneMebibyteRoundTripsIntactAcrossTheSmallerPathMtuAndRepliesBypassTheDirector() {
        setup.assertOneMebibyteRoundTripsIntactAndRepliesBypassTheDirector(8, topology.directorClientSide());
        String vip = LvsTopology.VIP6;
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
