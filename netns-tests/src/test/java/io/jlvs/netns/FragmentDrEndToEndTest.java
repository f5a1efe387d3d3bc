package io.jlvs.netns;

import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fragmented UDP through direct routing (afpacket): the client's 4000-byte datagram reaches the server as the
 * client's kernel fragmented it, each fragment sent on to the server's MAC; the server, bound to the VIP it holds,
 * answers the client directly, and the client reads the echo intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FragmentDrEndToEndTest {
    static final int UDP_PORT = 53;

    private LvsTopology topology;
    private JlvsDirector director;

    @BeforeAll
    void startDirector() {
        topology = LvsTopology.dr("jlvsfr-d", 1);
        ServerLauncher.startUdpEchoServers(topology, UDP_PORT, topology.vip());
        director = JlvsDirector.start(topology, "dr", "afpacket", Duration.ofSeconds(120));
        director.restore("-A -u " + topology.vip() + ":" + UDP_PORT + " -s rr\n"
                + "-a -u " + topology.vip() + ":" + UDP_PORT + " -r " + topology.serverAddress(1) + ":" + UDP_PORT
                + " -g\n");
    }

    @AfterAll
    void stopEverything() {
        try {
            if (director != null) director.close();
        } finally {
            if (topology != null) topology.close();
        }
    }

    @Test
    void aFragmentedDatagramIsEchoedIntactByTheServer() {
        assertEquals("rs1", FragmentedDatagrams.echo(topology, topology.vip(), UDP_PORT));
    }
}
