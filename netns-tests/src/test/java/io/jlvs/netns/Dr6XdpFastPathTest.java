package io.jlvs.netns;

import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 DR end-to-end tests with --fast-path xdp, and proof that an established IPv6 DR connection's segments
 * take the fast path: the director's XDP redirect count grows by a 1 MiB upload's segments, jlvsadm --stats counts
 * their bytes, and `jlvs status` counts an open connection as an IPv6 one the kernel forwards.
 */
class Dr6XdpFastPathTest extends Dr6EndToEndTest {
    @Override
    String prefix() {
        return "jlvst6-d";
    }

    @Override
    DaemonVariant variant() {
        return DaemonVariant.XDP_FAST_PATH;
    }

    @Test
    void anEstablishedIpv6UploadIsForwardedByTheXdpProgramAndCountedInTheStats() {
        XdpFastPathChecks.assertEchoForwardedToTheServersByXdp(topology, setup.director(),
                "[" + LvsTopology.VIP6 + "]:" + InputOnly6Director.HTTP_PORT, 6,
                sent -> ClientRequests.echo6(topology, InputOnly6Director.HTTP_PORT, sent));
    }

    @Test
    void statusCountsAnOpenIpv6ConnectionAsForwardedByTheKernel() {
        XdpFastPathChecks.assertStatusCountsAnOpenIpv6Connection(topology, setup.director(),
                InputOnly6Director.HTTP_PORT);
    }
}
