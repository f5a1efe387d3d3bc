package io.jlvs.netns;

import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Test;

/**
 * FullNAT connections outlive the daemon that made them: streams through a FullNAT server that has no route to the
 * client (120 KiB each way at 20 KiB/s, every byte echoed back) go on intact across a SIGKILL and restart of the
 * daemon, which re-attaches them with the local ports it left in /dev/shm: the server goes on seeing the same
 * local address and port (a stream from any other source would be a segment of no connection to it, reset).
 * {@link FullNat6RestartTest} is the same for an IPv6 service.
 */
class FullNatRestartTest {
    @Test
    void fullNatStreamsSurviveAKillAndRestartOfTheDaemon() {
        try (LvsTopology topology = LvsTopology.nat("jlvsnrs", 1)) {
            FullNatStreams.ipv4(topology).surviveAKillAndRestartOfTheDaemon(topology);
        }
    }
}
