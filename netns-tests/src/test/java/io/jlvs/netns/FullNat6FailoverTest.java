package io.jlvs.netns;

import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * {@link FullNatFailoverTest} for an IPv6 service: streams through an IPv6 FullNAT server with no route to the
 * client go on intact after the master is killed, on the backup that learnt them from the connection sync (jlvsadm
 * --start-daemon master and backup), with their IPv6 local address and port. jlvs has no VRRP over IPv6, so the
 * takeover is the test's: the client's neighbour entry for the VIP and the server's for the local address are
 * pinned to the master's interfaces, then moved to the backup's, as an IPv6 VRRP's unsolicited advertisements
 * would move them (pinned, neither director's own advertisements move them meanwhile).
 */
class FullNat6FailoverTest {
    @Test
    void ipv6FullNatStreamsSurviveAFailoverToTheSyncedBackup() {
        try (FailoverTopology topology = FailoverTopology.nat("jlvsf6s", 1).withIpv6()) {
            FullNatStreams family = FullNatStreams.ipv6(topology);
            family.prepareTheServer(topology);
            JlvsDirector first = JlvsDirector.start(topology.seat(1), "nat", "afpacket", FullNatStreams.START, List.of());
            JlvsDirector second = JlvsDirector.start(topology.seat(2), "nat", "afpacket", FullNatStreams.START, List.of());
            try {
                first.restore(family.rules());
                second.restore(family.rules());
                first.admOrThrow("--start-daemon", "master", "--mcast-interface", "lan0", "--syncid", "7");
                second.admOrThrow("--start-daemon", "backup", "--mcast-interface", "lan0", "--syncid", "7");
                reachThrough(topology, 1);
                family.surviveAFailover(first, second, () -> {
                    first.kill();
                    reachThrough(topology, 2);
                });
            } finally {
                second.close();
                first.close();
            }
        }
    }

    /** Pins the client's neighbour entry for the VIP and the server's for the local address to director d. */
    private static void reachThrough(FailoverTopology topology, int d) {
        String director = topology.directorNamespace(d);
        topology.network().check(topology.clientNamespace(), "ip", "-6", "neigh", "replace", LvsTopology.VIP6,
                "lladdr", topology.network().macAddress(director, topology.clientSide()), "dev", "eth0", "nud",
                "permanent");
        topology.network().check(topology.serverNamespace(1), "ip", "-6", "neigh", "replace",
                FullNatStreams.LOCAL_ADDRESS6, "lladdr", topology.network().macAddress(director, topology.serverSide()),
                "dev", "eth0", "nud", "permanent");
    }
}
