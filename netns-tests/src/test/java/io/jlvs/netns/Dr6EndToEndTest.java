package io.jlvs.netns;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct routing over IPv6 end to end: the real servers prepared by `jlvs realserver --vip VIP6 --mode dr` (VIP/128
 * on lo), the director owning the IPv6 VIP through Neighbour Discovery, the replies going straight to the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Dr6EndToEndTest {
    InputOnly6Director setup;
    LvsTopology topology;

    /** The daemon's options beyond mode and packet I/O, and the topology's preparation for them. */
    DaemonVariant variant() {
        return DaemonVariant.PLAIN;
    }

    /** Namespace prefix, a subclass's own. */
    String prefix() {
        return "jlvs6qd";
    }

    @BeforeAll
    void startDirector() {
        setup = new InputOnly6Director(() -> LvsTopology.dr(prefix(), InputOnly6Director.SERVERS, false).withIpv6(),
                "dr", "-g", variant());
        topology = setup.topology();
    }

    @AfterAll
    void stopEverything() {
        if (setup != null) setup.close();
    }

    @Test
    void realserverCheckFindsThePreparedServersReadyAndNamesTheMissingVip() {
        setup.assertRealserverCheckFindsThePreparedServersReadyAndNamesTheMissingVip();
    }

    @Test
    void requestsAreSpreadEvenlyAndTheServersSeeTheClient() throws UnknownHostException {
        setup.assertRequestsAreSpreadEvenlyAndTheServersSeeTheClient();
    }

    @Test
    void oneMebibyteRoundTripsIntactAndRepliesBypassTheDirector() {
        setup.assertOneMebibyteRoundTripsIntactAndRepliesBypassTheDirector(7, "any");
    }

    @Test
    void onlyTheDirectorAnswersForTheVipAndPing6IsAnswered() {
        CommandResult ping = topology.inClient("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", LvsTopology.VIP6);
        assertTrue(ping.stdout().contains("2 received"), ping.describe() + "\n" + ping.stdout());
        topology.inClient("ip", "-6", "neigh", "flush", "dev", "eth0").stdoutOrThrow();
        ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat6(), InputOnly6Director.HTTP_PORT, 3);
        assertEquals(3, batch.replies().size(), batch.describe());
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        String neighbour = topology.inClient("ip", "-6", "neigh", "show", LvsTopology.VIP6, "dev", "eth0").stdout();
        assertTrue(neighbour.contains("lladdr " + directorMac), "the client's entry for the VIP after a fresh "
                + "solicitation: " + neighbour + " (director's MAC " + directorMac + ")");
        for (int k = 1; k <= InputOnly6Director.SERVERS; k++) {
            String onLo = topology.inServer(k, "ip", "-6", "addr", "show", "dev", "lo").stdout();
            assertTrue(onLo.contains(LvsTopology.VIP6 + "/128"), "server " + k + " holds the VIP on lo: " + onLo);
        }
    }
}
