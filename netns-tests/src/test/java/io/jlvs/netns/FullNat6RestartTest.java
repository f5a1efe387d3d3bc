package io.jlvs.netns;

import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Test;

/**
 * {@link FullNatRestartTest} for an IPv6 service: streams through an IPv6 FullNAT server that has no route to the
 * client go on intact across a SIGKILL and restart of the daemon, whose records name the IPv6 local address itself
 * (the restarted daemon numbers its local addresses afresh), the server still seeing the same local address and port.
 */
class FullNat6RestartTest {
    @Test
    void ipv6FullNatStreamsSurviveAKillAndRestartOfTheDaemon() {
        try (LvsTopology topology = LvsTopology.nat("jlvsf6s", 1).withIpv6()) {
            FullNatStreams.ipv6(topology).surviveAKillAndRestartOfTheDaemon(topology);
        }
    }
}
