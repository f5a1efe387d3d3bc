package io.jlvs.netns;

import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fragmented UDP through NAT and NAT66 (afpacket): a 4000-byte datagram from a client socket over a 1500-byte link
 * to a UDP echo service on the IPv4 VIP and on the IPv6 VIP of one dual-stack director; the director forwards the
 * client's fragments to the scheduled server and the server's fragmented answer back, each fragment rewritten,
 * and the client reads the echo intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FragmentNatEndToEndTest {
    static final int SERVERS = 2;
    static final int UDP_PORT = 53;

    private LvsTopology topology;
    private JlvsDirector director;

    @BeforeAll
    void startDirector() {
        topology = LvsTopology.nat("jlvsfr-n", SERVERS).withIpv6();
        ServerLauncher.startUdpEchoServers(topology, UDP_PORT);
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120));
        director.restore(MasqueradedService.rules("-u", UDP_PORT, UDP_PORT, topology.vip(), topology.serverAddresses(), "")
                + MasqueradedService.rules("-u", UDP_PORT, UDP_PORT, LvsTopology.VIP6, topology.serverAddresses6(), ""));
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
    void aFragmentedDatagramToTheIpv4VipIsEchoedIntactByEveryServer() {
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < SERVERS; i++) servers.add(FragmentedDatagrams.echo(topology, topology.vip(), UDP_PORT));
        assertEquals(Set.of("rs1", "rs2"), servers, "each new datagram (a new client port) scheduled in turn");
        assertForwardedAsFragments(topology.vip() + ":" + UDP_PORT);
    }

    @Test
    void aFragmentedDatagramToTheIpv6VipIsEchoedIntactByEveryServer() {
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < SERVERS; i++) servers.add(FragmentedDatagrams.echo(topology, LvsTopology.VIP6, UDP_PORT));
        assertEquals(Set.of("rs1", "rs2"), servers, "each new datagram (a new client port) scheduled in turn");
        assertForwardedAsFragments("[" + LvsTopology.VIP6 + "]:" + UDP_PORT);
    }

    /**
     * The service's row of {@code -L -n --stats} (Conns, InPkts, OutPkts): one connection per datagram, and three
     * packets each way per datagram, the fragments forwarded one by one.
     */
    private void assertForwardedAsFragments(String service) {
        String listing = director.admOrThrow("-L", "-n", "--stats");
        for (String line : listing.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 5 || !fields[0].equals("UDP") || !fields[1].equals(service)) continue;
            assertEquals(SERVERS, Long.parseLong(fields[2]), "Conns: " + listing);
            assertEquals(3 * SERVERS, Long.parseLong(fields[3]), "InPkts, three fragments a datagram: " + listing);
            assertEquals(3 * SERVERS, Long.parseLong(fields[4]), "OutPkts, three fragments an answer: " + listing);
            return;
        }
        throw new AssertionError("no UDP " + service + " in:\n" + listing);
    }
}
