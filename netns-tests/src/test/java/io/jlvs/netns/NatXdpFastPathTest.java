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
    List<String> daemonOptions() {
        return List.of("--fast-path", "xdp");
    }

    @Override
    boolean xdpAttached() {
        return true;
    }

    @Override
    void prepare(LvsTopology topology) {
        topology.enableXdpRedirectIntoDirector();
    }

    @Test
    @Order(50)
    void anEstablishedTransferIsForwardedByTheXdpProgramAndCountedInTheStats() {
        LvsTopology topology = topology();
        String service = topology.vip() + ":" + FAST_PATH_PORT;
        StringBuilder rules = new StringBuilder("-A -t " + service + " -s rr\n");
        for (String server : topology.serverAddresses()) {
            rules.append("-a -t ").append(service).append(" -r ").append(server).append(':').append(HTTP_PORT)
                    .append(" -m\n");
        }
        director().restore(rules.toString());
        long toServersBefore = XdpCounts.redirects(topology, topology.directorClientSide());
        long toClientBefore = XdpCounts.redirects(topology, topology.directorServerSide());
        byte[] sent = new byte[1 << 20];
        new Random(50).nextBytes(sent);

        byte[] received = ClientRequests.echo(topology, FAST_PATH_PORT, sent);

        assertArrayEquals(sent, received, "the echo through the fast path");
        long toServers = XdpCounts.redirects(topology, topology.directorClientSide()) - toServersBefore;
        long toClient = XdpCounts.redirects(topology, topology.directorServerSide()) - toClientBefore;
        // 1 MiB each way is at least 720 full-sized segments each way; the handshake and the FIN go through jlvs.
        assertTrue(toServers >= 700, "client→server segments redirected by XDP: " + toServers);
        assertTrue(toClient >= 700, "server→client segments redirected by XDP: " + toClient);
        String status = director().jlvs("status").stdoutOrThrow();
        assertTrue(status.contains("XDP fast path: ") && status.contains(" MiB of kernel memory"), status);
        // The kernel's per-CPU counters are folded into the service's every second.
        Conditions.await("--stats to count the bytes the fast path forwarded", Duration.ofSeconds(10), () -> {
            long[] bytes = XdpCounts.inAndOutBytes(director(), service);
            return bytes[0] > sent.length && bytes[1] > sent.length;
        });
    }
}
