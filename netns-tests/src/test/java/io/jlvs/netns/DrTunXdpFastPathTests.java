package io.jlvs.netns;

import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The DR and TUN end-to-end tests with --fast-path xdp, and proof that an established connection's segments take
 * the fast path: the director's XDP redirect count grows by the upload's segments, and jlvsadm --stats counts their
 * bytes.
 */
abstract class DrTunXdpFastPathTests extends DrTunEndToEndTests {
    @Override
    String io() {
        return "afpacket";
    }

    @Override
    DaemonVariant variant() {
        return DaemonVariant.XDP_FAST_PATH;
    }

    @Test
    @Order(3) // before the path MTU test (4), which stops the daemon
    void anEstablishedUploadIsForwardedByTheXdpProgramAndCountedInTheStats() {
        LvsTopology topology = topology();
        XdpFastPathChecks.assertEchoForwardedToTheServersByXdp(topology, director(), topology.vip() + ":" + HTTP_PORT,
                mode().hashCode(), sent -> ClientRequests.echo(topology, HTTP_PORT, sent));
    }
}
