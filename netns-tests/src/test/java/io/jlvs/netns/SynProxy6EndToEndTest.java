package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --synproxy on an IPv6 NAT66 service: curl -6 through the IPv6 VIP is served through the director's own
 * handshake, the real server's SYN carries the client's own options, 1 MiB comes through a spliced connection
 * intact, and under a spoofed IPv6 SYN flood the director's table stays flat, the real server holds no half-open
 * connection, and the client keeps being served.
 */
@RunsAlone
class SynProxy6EndToEndTest {
    static final int PORT = 80, REQUESTS = 10, FLOOD_RATE = 20_000;
    static final long MIB = 1L << 20;

    @Test
    void ipv6ClientsAreServedThroughTheProxyAndAFloodLeavesNothingBehind() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvssp6", 1).withIpv6()) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            SynFlood flood = new SynFlood(topology);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--capacity", "20000"))) {
                String server = topology.serverAddress6(1);
                director.restore(MasqueradedService.rules("-t", PORT, PORT, LvsTopology.VIP6, List.of(server),
                        " --synproxy"));
                String saved = director.admOrThrow("-S", "-n");
                assertTrue(saved.contains("-A -t [" + LvsTopology.VIP6 + "]:" + PORT + " -s rr --synproxy"),
                        "the IPv6 service has the proxy: " + saved);

                // curl -6 through the VIP; the server's SYN comes from the director with the client's own options.
                String serverSyn = SynProxyChecks.serverSynDuring(topology, server, () -> {
                    ClientRequests.Batch served = ClientRequests.get(topology.clientSeat6(), PORT, REQUESTS);
                    assertEquals(REQUESTS, served.replies().size(), "served: " + served.describe());
                });
                assertTrue(serverSyn.contains("sackOK") && serverSyn.contains("TS val") && serverSyn.contains("wscale")
                        && serverSyn.contains("mss "), "the client's options reached the server: " + serverSyn);

                SynProxyChecks.downloadIntact(topology, "http://[" + LvsTopology.VIP6 + "]:" + PORT + "/bytes/" + MIB,
                        MIB, Duration.ofSeconds(60));

                // A spoofed IPv6 flood, stopped once the checks are done (60 s is only its bound: the checks take
                // as long as a loaded machine makes them): every SYN answered by the director, nothing left in its
                // table or at the server, the client served.
                BackgroundProcess flooding = flood.start6("flood6", PORT, 60, FLOOD_RATE);
                SynProxyChecks.watch(topology, director, flooding, 5_000, topology.clientSeat6(), PORT, REQUESTS)
                        .leftNothingBehind(REQUESTS);
            }
        }
    }
}
