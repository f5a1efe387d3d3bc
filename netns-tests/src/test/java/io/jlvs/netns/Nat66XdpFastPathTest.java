package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NAT66 service with --fast-path xdp: an established IPv6 connection is forwarded by the XDP program. A 1 MiB
 * echo comes back intact while the kernel's XDP redirect counters of the director's interfaces grow by its segments
 * both ways, jlvsadm --stats still counts every byte, and `jlvs status` counts an open IPv6 connection as one the
 * kernel forwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Nat66XdpFastPathTest {
    private static final int HTTP_PORT = 80, ECHO_PORT = 83, HELD_PORT = 84;

    private LvsTopology topology;
    private JlvsDirector director;

    @BeforeAll
    void startDirector() {
        topology = LvsTopology.nat("jlvsf6", 2).withIpv6();
        topology.enableXdpRedirectIntoDirector();
        ServerLauncher.startHttpIdentityServers(topology, HTTP_PORT);
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                List.of("--fast-path", "xdp"));
        director.restore(MasqueradedService.rules("-t", ECHO_PORT, HTTP_PORT, LvsTopology.VIP6,
                topology.serverAddresses6(), "") + MasqueradedService.rules("-t", HELD_PORT, HTTP_PORT,
                LvsTopology.VIP6, topology.serverAddresses6(), ""));
    }

    @AfterAll
    void stopEverything() {
        try {
            if (director != null) director.close();
        } finally {
            if (topology != null) topology.close();
        }
    }

    @Test
    void anEstablishedIpv6TransferIsForwardedByTheXdpProgramAndCountedInTheStats() {
        long toServersBefore = XdpCounts.redirects(topology, topology.directorClientSide());
        long toClientBefore = XdpCounts.redirects(topology, topology.directorServerSide());
        byte[] sent = new byte[1 << 20];
        new Random(66).nextBytes(sent);

        byte[] received = ClientRequests.echo6(topology, ECHO_PORT, sent);

        assertArrayEquals(sent, received, "the echo through the fast path");
        long toServers = XdpCounts.redirects(topology, topology.directorClientSide()) - toServersBefore;
        long toClient = XdpCounts.redirects(topology, topology.directorServerSide()) - toClientBefore;
        // 1 MiB each way is at least 730 full-sized segments each way; the handshake and the FIN go through jlvs.
        assertTrue(toServers >= 700, "client→server segments redirected by XDP: " + toServers);
        assertTrue(toClient >= 700, "server→client segments redirected by XDP: " + toClient);
        // The kernel's per-CPU counters are folded into the service's every second.
        String service = "[" + LvsTopology.VIP6 + "]:" + ECHO_PORT;
        Conditions.await("--stats to count the bytes the fast path forwarded", Duration.ofSeconds(10), () -> {
            long[] bytes = XdpCounts.inAndOutBytes(director, service);
            return bytes[0] > sent.length && bytes[1] > sent.length;
        });
    }

    @Test
    void statusCountsAnOpenIpv6ConnectionAsForwardedByTheKernel() {
        String before = director.jlvs("status").stdoutOrThrow();
        assertTrue(before.contains("XDP fast path: ") && before.contains(" IPv6), maps for ")
                && before.contains(" MiB of kernel memory"), before);
        // An established connection that stays open, quiet: the client's ACK of the handshake mirrored it.
        BackgroundProcess held = topology.processes().start(topology.clientNamespace(), "held6",
                List.of("sh", "-c", "sleep 30 | socat - TCP6:[" + LvsTopology.VIP6 + "]:" + HELD_PORT));
        try {
            Conditions.await("jlvs status to count the open IPv6 connection in the kernel", Duration.ofSeconds(10),
                    () -> director.jlvs("status").stdout().contains("1 connection(s) in the kernel (1 IPv6)"));
        } finally {
            held.stop(Duration.ofSeconds(1));
        }
    }
}
