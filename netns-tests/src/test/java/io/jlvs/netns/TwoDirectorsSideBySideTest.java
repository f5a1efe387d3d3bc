package io.jlvs.netns;

import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Two jlvs daemons in two network namespaces of one host run at the same time: separate control sockets,
 * separate host-guard state (keyed by the namespace), separate fanout groups, and each balances its own traffic.
 */
class TwoDirectorsSideBySideTest {

    @Test
    void twoDaemonsInTwoNamespacesEachBalanceTheirOwnClients() throws Exception {
        try (LvsTopology first = LvsTopology.nat("jlvs2a", 2);
             LvsTopology second = LvsTopology.nat("jlvs2b", 2)) {
            ServerLauncher.startHttpIdentityServers(first, 80);
            ServerLauncher.startHttpIdentityServers(second, 80);
            try (JlvsDirector a = JlvsDirector.start(first, "nat", "afpacket", Duration.ofSeconds(120));
                 JlvsDirector b = JlvsDirector.start(second, "nat", "afpacket", Duration.ofSeconds(120))) {
                assertNotEquals(a.controlSocket(), b.controlSocket());
                a.addServiceWithAllServers("-t", 80, "rr", "-m");
                b.addServiceWithAllServers("-t", 80, "rr", "-m");
                assertEquals(Map.of("rs1", 5, "rs2", 5), answers(first, 10));
                assertEquals(Map.of("rs1", 5, "rs2", 5), answers(second, 10));
                // Each daemon lists only its own service and connections.
                assertEquals(10, a.admOrThrow("-L", "-n", "-c").lines().filter(l -> l.startsWith("TCP")).count());
                assertEquals(10, b.admOrThrow("-L", "-n", "-c").lines().filter(l -> l.startsWith("TCP")).count());
            }
        }
    }

    private static Map<String, Integer> answers(LvsTopology topology, int requests) {
        String output = topology.inClient("sh", "-c", "for i in $(seq " + requests + "); do curl -sS --max-time 5 "
                + "http://" + topology.vip() + "/ || echo FAILED; done").stdoutOrThrow();
        Map<String, Integer> perServer = new TreeMap<>();
        for (String line : output.strip().split("\n")) {
            HttpIdentityServer.Reply reply = HttpIdentityServer.Reply.parse(line);
            assertEquals(topology.clientAddress(), reply.clientAddress());
            perServer.merge(reply.server(), 1, Integer::sum);
        }
        return perServer;
    }
}
