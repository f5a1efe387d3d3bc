package io.jlvs.netns;

import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The NAT66 end-to-end tests with --fast-path xdp, and proof that an established IPv6 connection is forwarded by
 * the XDP program: a 1 MiB echo comes back intact while the kernel's XDP redirect counters of the director's
 * interfaces grow by its segments both ways, jlvsadm --stats still counts every byte, and `jlvs status` counts an
 * open IPv6 connection as one the kernel forwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Nat66XdpFastPathTest extends Nat66EndToEndTests {
    /** A service of its own, so that its counters are this test's alone. */
    private static final int FAST_PATH_PORT = 87;

    @Override
    String io() {
        return "afpacket";
    }

    @Override
    String prefix() {
        return "jlvsf6";
    }

    @Override
    DaemonVariant variant() {
        return DaemonVariant.XDP_FAST_PATH;
    }

    @Test
    @Order(1) // first: the UDP tests' flows stay in the kernel until they expire
    void statusCountsAnOpenIpv6ConnectionAsForwardedByTheKernel() {
        XdpFastPathChecks.assertStatusCountsAnOpenIpv6Connection(topology, director, RR_PORT);
    }

    @Test
    @Order(2)
    void anEstablishedIpv6TransferIsForwardedByTheXdpProgramAndCountedInTheStats() {
        director.restore(MasqueradedService.rules("-t", FAST_PATH_PORT, HTTP_PORT, LvsTopology.VIP6,
                topology.serverAddresses6(), ""));

        XdpFastPathChecks.assertEchoForwardedBothWaysByXdp(topology, director,
                "[" + LvsTopology.VIP6 + "]:" + FAST_PATH_PORT, 66,
                sent -> ClientRequests.echo6(topology, FAST_PATH_PORT, sent));
    }
}
