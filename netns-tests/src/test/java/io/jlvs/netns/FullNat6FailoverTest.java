package io.jlvs.netns;

import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Test;

import java.io.IOException;

/**
 * {@link FullNatFailoverTest} for an IPv6 service: streams through an IPv6 FullNAT server with no route to the
 * client go on intact after the master is killed, on the backup that learnt them from the connection sync, with
 * their IPv6 local address and port. IPv6 VRRP moves the VIP (on the client side) and the local address (on the
 * servers' side) together, a sync group of two IPv6 instances: the backup that takes over answers the client's and
 * the server's neighbour solicitations for them and has announced them with unsolicited neighbour advertisements.
 */
class FullNat6FailoverTest {
    @Test
    void ipv6FullNatStreamsSurviveAFailoverToTheSyncedBackup() throws IOException {
        try (FailoverTopology topology = FailoverTopology.nat("jlvsf6s", 1).withIpv6()) {
            FullNatFailoverTest.streamsSurviveAFailover(topology, FullNatStreams.ipv6(topology),
                    LvsTopology.VIP6 + "/64", FullNatStreams.LOCAL_ADDRESS6 + "/64");
        }
    }
}
