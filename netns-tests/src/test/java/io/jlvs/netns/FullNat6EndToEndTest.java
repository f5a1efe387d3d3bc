package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FullNAT for an IPv6 service end to end: the IPv6 real server has no route to the client (its IPv6 default route
 * through the director is removed) and is served all the same through the director, its peer being the service's
 * IPv6 local address, which the director owns in user space (neighbour solicitations answered, the kernel kept away
 * by the host guard's vips6 set); 1 MiB comes back intact.
 */
class FullNat6EndToEndTest {
    static final int PORT = 80, REQUESTS = 20;
    static final String LOCAL_ADDRESS6 = "fd00:2::50";

    @Test
    void anIpv6ServerWithoutARouteToTheClientIsServedFromTheLocalAddress() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsn6", 1).withIpv6()) {
            topology.inServer(1, "ip", "-6", "route", "del", "default");
            CommandResult route = topology.inServer(1, "ip", "-6", "route", "get", LvsTopology.CLIENT_ADDRESS6);
            assertFalse(route.succeeded(), "the server has no route to the client: " + route.describe());
            assertTrue(topology.inServer(1, "ip", "-6", "route", "get", LOCAL_ADDRESS6).succeeded(),
                    "but reaches its LAN");
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = "[" + LvsTopology.VIP6 + "]:" + PORT;
                director.restore("-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS6 + "\n-a -t " + service
                        + " -r [" + topology.serverAddress6(1) + "]:" + PORT + " --fullnat\n");
                String saved = director.admOrThrow("-S", "-n");
                assertTrue(saved.contains("--laddr " + LOCAL_ADDRESS6) && saved.contains("--fullnat"), saved);
                assertTrue(director.admOrThrow("-G").contains(LOCAL_ADDRESS6), director.admOrThrow("-G"));

                ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat6(), PORT, REQUESTS);
                assertEquals(REQUESTS, batch.replies().size(), "served: " + batch.describe());
                Set<Integer> ports = new HashSet<>();
                for (HttpIdentityServer.Reply r : batch.replies()) {
                    assertEquals(InetAddress.getByName(LOCAL_ADDRESS6), InetAddress.getByName(r.clientAddress()),
                            "the server's peer is the local address");
                    ports.add(r.clientPort());
                }
                assertEquals(REQUESTS, ports.size(), "each connection its own local port: " + ports);

                byte[] sent = new byte[1 << 20];
                new Random(66).nextBytes(sent);
                byte[] received = ClientRequests.echo6(topology, PORT, sent);
                assertEquals(sent.length, received.length, "echo length");
                assertArrayEquals(sent, received, "1 MiB through FullNAT, intact");

                String neighbours = topology.inServer(1, "ip", "-6", "neigh", "show", LOCAL_ADDRESS6).stdout();
                assertTrue(neighbours.contains(topology.network().macAddress(topology.directorNamespace(),
                                topology.directorServerSide())),
                        "the director answered the solicitation for the local address: " + neighbours);
                assertFalse(topology.inDirector("ip", "-6", "addr").stdout().contains(LOCAL_ADDRESS6),
                        "the director's kernel does not hold the local address");
                String guarded = topology.inDirector("nft", "list", "set", "inet", "jlvs", "vips6").stdoutOrThrow();
                assertTrue(guarded.contains(LOCAL_ADDRESS6) && guarded.contains(LvsTopology.VIP6),
                        "the host guard keeps the local address from the kernel, as the VIP: " + guarded);
            }
        }
    }
}
