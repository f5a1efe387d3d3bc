package io.jlvs.netns;

import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.KernelBaselines;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Proves the harness: the kernel nftables DNAT baseline balances the client's requests to the VIP. */
class KernelNatBaselineTest {

    @Test
    void thirtyRequestsToTheVipAreSpreadEvenlyOverThreeServersWhichSeeTheClientAddress() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsnt-knat", 3)) {
            ServerLauncher.startHttpIdentityServers(topology, 80);
            Map<String, Integer> answersPerServer = new TreeMap<>();
            try (AutoCloseable nat = KernelBaselines.nftablesNat(topology)) {
                // One shell in the client namespace, a new connection per request (numgen counts new conntracks).
                String output = topology.inClient("sh", "-c", "for i in $(seq 30); do curl -sS --max-time 5 "
                        + "http://" + topology.vip() + "/ || echo FAILED; done").stdoutOrThrow();
                for (String line : output.strip().split("\n")) {
                    HttpIdentityServer.Reply reply = HttpIdentityServer.Reply.parse(line);
                    assertEquals(topology.clientAddress(), reply.clientAddress(), "no SNAT: server sees the client");
                    answersPerServer.merge(reply.server(), 1, Integer::sum);
                }
            }
            assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), answersPerServer);
            // close() of the baseline must leave the director as it was: no VIP, no forwarding, no table.
            assertFalse(topology.inDirector("ip", "-4", "-o", "addr").stdoutOrThrow().contains(topology.vip()));
            assertEquals("0", topology.inDirector("sysctl", "-n", "net.ipv4.ip_forward").stdoutOrThrow().strip());
            assertEquals("", topology.inDirector("nft", "list", "ruleset").stdoutOrThrow().strip());
        }
    }
}
