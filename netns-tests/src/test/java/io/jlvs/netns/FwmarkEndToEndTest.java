package io.jlvs.netns;

import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A firewall-mark service through the real daemon: a jlvs mark rule gives VIP:80 mark 1, the -f 1 service
 * balances it round robin over three NAT servers whose port 0 keeps the packet's port 80.
 */
class FwmarkEndToEndTest {

    @Test
    void markRuleLeadsVipTrafficToTheFwmarkServiceSpreadEvenly() {
        try (LvsTopology topology = LvsTopology.nat("jlvslivef", 3)) {
            ServerLauncher.startHttpIdentityServers(topology, 80);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                StringBuilder rules = new StringBuilder("--mark 1 -P tcp -d " + topology.vip() + "/32 --dport 80\n"
                        + "-A -f 1 -s rr\n");
                for (String server : topology.serverAddresses()) rules.append("-a -f 1 -r ").append(server).append(" -m\n");
                director.restore(rules.toString());

                ClientRequests.Batch batch = ClientRequests.get(topology, 80, 30);

                assertEquals(30, batch.replies().size(), batch.describe());
                assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10), batch.perServer(), batch.describe());
                String listing = director.admOrThrow("-L", "-n");
                assertTrue(listing.contains("FWM  1 rr"), listing);
                String saved = director.admOrThrow("-S", "-n");
                assertTrue(saved.startsWith("--mark 1 -P tcp -d " + topology.vip() + "/32 --dport 80\n-A -f 1 -s rr"), saved);
            }
        }
    }
}
