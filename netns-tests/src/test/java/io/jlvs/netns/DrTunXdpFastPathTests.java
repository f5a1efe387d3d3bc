package io.jlvs.netns;

import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    List<String> daemonOptions() {
        return List.of("--fast-path", "xdp");
    }

    @Override
    void prepare(LvsTopology topology) {
        topology.enableXdpRedirectIntoDirector();
    }

    @Test
    @Order(3) // before the path MTU test (4), which stops the daemon
    void anEstablishedUploadIsForwardedByTheXdpProgramAndCountedInTheStats() {
        LvsTopology topology = topology();
        String service = topology.vip() + ":" + HTTP_PORT;
        long inBytesBefore = XdpCounts.inAndOutBytes(director(), service)[0];
        long redirectedBefore = XdpCounts.redirects(topology, topology.directorClientSide());
        byte[] sent = new byte[1 << 20];
        new Random(mode().hashCode()).nextBytes(sent);

        byte[] received = ClientRequests.echo(topology, HTTP_PORT, sent);

        assertArrayEquals(sent, received, "the echo through the fast path");
        long redirected = XdpCounts.redirects(topology, topology.directorClientSide()) - redirectedBefore;
        assertTrue(redirected >= 700, "client→server segments redirected by XDP: " + redirected);
        Conditions.await("--stats to count the bytes the fast path forwarded", Duration.ofSeconds(10),
                () -> XdpCounts.inAndOutBytes(director(), service)[0] - inBytesBefore > sent.length);
    }
}
