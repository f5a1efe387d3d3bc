package io.jlvs.netns;

import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NAT end-to-end tests with --fast-path xdp (AF_PACKET for what the XDP program passes on), and proof that
 * established connections take the fast path: the kernel's XDP redirect counters of the director's interfaces grow
 * by the transfer's segments, and jlvsadm --stats still counts every byte.
 */
class NatXdpFastPathTest extends NatEndToEndTests {
    /** A service of its own, so that its counters are this test's alone. */
    private static final int FAST_PATH_PORT = 86;

    @Override
    String io() {
        return "afpacket";
    }

    @Override
    String prefix() {
        return "jlvsf-n";
    }

    @Override
    DaemonVariant variant() {
        return DaemonVariant.XDP_FAST_PATH;
    }

    @Override
    boolean xdpAttached() {
        return true;
    }

    @Test
    @Order(50)
    void anEstablishedTransferIsForwardedByTheXdpProgramAndCountedInTheStats() {
        LvsTopology topology = topology();
        String service = topology.vip() + ":" + FAST_PATH_PORT;
        director().restore(MasqueradedService.rules("-t", FAST_PATH_PORT, HTTP_PORT, topology.vip(),
                topology.serverAddresses(), ""));

        XdpFastPathChecks.assertEchoForwardedBothWaysByXdp(topology, director(), service, 50,
                sent -> ClientRequests.echo(topology, FAST_PATH_PORT, sent));

        String status = director().jlvs("status").stdoutOrThrow();
        assertTrue(status.contains("XDP fast path: ") && status.contains(" MiB of kernel memory"), status);
    }
}
