package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.RealServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `jlvs realserver --check` finds what is wrong on a real server, passes once `jlvs realserver` prepared it. */
class RealServerCheckTest {

    @Test
    void checkReportsTheArpProblemAndPassesAfterPreparationAndUndoRestoresTheServer() {
        try (LvsTopology topology = LvsTopology.dr("jlvsdr-chk", 1, false)) {
            String eth0 = LvsTopology.HOST_INTERFACE;
            try {
                CommandResult before = RealServers.check(topology, 1, "dr");
                assertEquals(1, before.exitCode(), before.describe());
                assertTrue(before.stdout().contains("arp_ignore is 0 on " + eth0), before.stdout());
                assertTrue(before.stdout().contains("sysctl -w net.ipv4.conf." + eth0 + ".arp_ignore=1"), before.stdout());
                assertTrue(before.stdout().contains("the VIP " + topology.vip() + " is not on lo"), before.stdout());

                RealServers.prepareAll(topology, "dr");
                CommandResult after = RealServers.check(topology, 1, "dr");
                assertEquals(0, after.exitCode(), after.describe());
                assertTrue(after.stdout().startsWith("OK"), after.stdout());
                assertEquals("1", sysctl(topology, "net.ipv4.conf." + eth0 + ".arp_ignore"));
                assertEquals("0", sysctl(topology, "net.ipv4.conf.all.arp_ignore"), "never set on all");

                CommandResult undo = RealServers.undo(topology, 1, "dr");
                assertEquals(0, undo.exitCode(), undo.describe());
                assertEquals("0", sysctl(topology, "net.ipv4.conf." + eth0 + ".arp_ignore"));
                assertFalse(topology.inServer(1, "ip", "-4", "-o", "addr", "show", "dev", "lo").stdoutOrThrow()
                        .contains(topology.vip()), "the VIP is removed from lo");
                assertEquals(1, RealServers.check(topology, 1, "dr").exitCode());
            } finally {
                RealServers.undoAll(topology, "dr");
            }
        }
    }

    @Test
    void tunnelCheckFindsTheMissingDecapsulationPathUntilTheDecapsulatorRuns() {
        try (LvsTopology topology = LvsTopology.dr("jlvstun-chk", 1, false)) {
            try {
                RealServers.prepareAll(topology, "dr");
                CommandResult withoutDecap = RealServers.check(topology, 1, "tun");
                assertEquals(1, withoutDecap.exitCode(), withoutDecap.describe());
                assertTrue(withoutDecap.stdout().contains("no decapsulation path"), withoutDecap.stdout());

                // A strict "all" would keep the decapsulator's interface strict (effective = max(all, interface)).
                topology.network().sysctl(topology.serverNamespace(1), "net.ipv4.conf.all.rp_filter", "1");
                List<BackgroundProcess> decap = RealServers.prepareAll(topology, "tun");
                CommandResult withDecap = RealServers.check(topology, 1, "tun");
                assertEquals(0, withDecap.exitCode(), withDecap.describe());
                assertEquals("0", sysctl(topology, "net.ipv4.conf.jlvsdecap0.rp_filter"));
                assertEquals("0", sysctl(topology, "net.ipv4.conf.all.rp_filter"));
                assertEquals("1", sysctl(topology, "net.ipv4.conf.eth0.rp_filter"), "eth0 stays strict in effect");

                decap.getFirst().stop(Duration.ofSeconds(5)); // SIGTERM: the decapsulator undoes and its device goes
                assertFalse(topology.inServer(1, "ip", "-o", "link").stdoutOrThrow().contains("jlvsdecap0"));
                assertEquals("1", sysctl(topology, "net.ipv4.conf.all.rp_filter"), "restored");
                assertEquals("0", sysctl(topology, "net.ipv4.conf.eth0.rp_filter"), "restored");
            } finally {
                RealServers.undoAll(topology, "tun");
                RealServers.undoAll(topology, "dr");
            }
        }
    }

    private static String sysctl(LvsTopology topology, String key) {
        return topology.inServer(1, "sysctl", "-n", key).stdoutOrThrow().strip();
    }
}
