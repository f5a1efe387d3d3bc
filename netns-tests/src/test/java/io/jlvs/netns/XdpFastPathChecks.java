package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the --fast-path xdp end-to-end tests of every method and family check: 1 MiB echoed intact through a service
 * while the XDP program on the director redirected its segments (the kernel's counts, {@link XdpCounts}) and --stats
 * still counted its bytes; and `jlvs status` counting an open IPv6 connection as one the kernel forwards.
 */
final class XdpFastPathChecks {
    /** 1 MiB is at least 720 full-sized segments each way; the handshake and the FIN go through jlvs. */
    private static final long SEGMENTS_OF_ONE_MEBIBYTE = 700;

    private XdpFastPathChecks() {}

    /**
     * DR and TUN: 1 MiB of random bytes ({@code seed}) sent through {@code echo} comes back intact, the XDP program
     * on the director's client side redirected its segments toward the servers, and --stats counts them into
     * {@code service} (as jlvsadm lists it: VIP:PORT, [VIP6]:PORT).
     */
    static void assertEchoForwardedToTheServersByXdp(LvsTopology topology, JlvsDirector director, String service,
                                                    long seed, UnaryOperator<byte[]> echo) {
        assertEchoForwardedByXdp(topology, director, service, seed, echo, false);
    }

    /** NAT and NAT66: as {@link #assertEchoForwardedToTheServersByXdp}, and the replies forwarded and counted too. */
    static void assertEchoForwardedBothWaysByXdp(LvsTopology topology, JlvsDirector director, String service,
                                                 long seed, UnaryOperator<byte[]> echo) {
        assertEchoForwardedByXdp(topology, director, service, seed, echo, true);
    }

    private static void assertEchoForwardedByXdp(LvsTopology topology, JlvsDirector director, String service,
                                                 long seed, UnaryOperator<byte[]> echo, boolean replies) {
        long[] bytesBefore = XdpCounts.inAndOutBytes(director, service);
        long toServersBefore = XdpCounts.redirects(topology, topology.directorClientSide());
        long toClientBefore = replies ? XdpCounts.redirects(topology, topology.directorServerSide()) : 0;
        byte[] sent = new byte[1 << 20];
        new Random(seed).nextBytes(sent);

        byte[] received = echo.apply(sent);

        assertArrayEquals(sent, received, "the echo through the fast path");
        long toServers = XdpCounts.redirects(topology, topology.directorClientSide()) - toServersBefore;
        assertTrue(toServers >= SEGMENTS_OF_ONE_MEBIBYTE, "client→server segments redirected by XDP: " + toServers);
        if (replies) {
            long toClient = XdpCounts.redirects(topology, topology.directorServerSide()) - toClientBefore;
            assertTrue(toClient >= SEGMENTS_OF_ONE_MEBIBYTE, "server→client segments redirected by XDP: " + toClient);
        }
        // The kernel's per-CPU counters are folded into the service's every second.
        Conditions.await("--stats to count the bytes the fast path forwarded", Duration.ofSeconds(10), () -> {
            long[] bytes = XdpCounts.inAndOutBytes(director, service);
            return bytes[0] - bytesBefore[0] > sent.length && (!replies || bytes[1] - bytesBefore[1] > sent.length);
        });
    }

    /**
     * `jlvs status` tells the fast path's IPv6 figures, and counts an open IPv6 connection to the VIP's HTTP
     * {@code port} as the one connection in the kernel: no other connection of the director may be in the kernel
     * meanwhile. The connection carries a dozen keep-alive requests first, more packets than --fast-path-after's
     * default asks for before a connection enters.
     */
    static void assertStatusCountsAnOpenIpv6Connection(LvsTopology topology, JlvsDirector director, int port) {
        String before = director.jlvs("status").stdoutOrThrow();
        assertTrue(before.contains("XDP fast path: ") && before.contains(" IPv6), maps for ")
                && before.contains(" MiB of kernel memory"), before);
        BackgroundProcess held = topology.processes().start(topology.clientNamespace(), "held6",
                List.of("sh", "-c", "(i=0; while [ $i -lt 12 ]; do printf 'GET / HTTP/1.1\\r\\nHost: jlvs\\r\\n\\r\\n'; "
                        + "sleep 0.05; i=$((i+1)); done; sleep 30) | socat - TCP6:[" + LvsTopology.VIP6 + "]:" + port));
        try {
            Conditions.await("jlvs status to count the open IPv6 connection in the kernel", Duration.ofSeconds(10),
                    () -> director.jlvs("status").stdout().contains("1 connection(s) in the kernel (1 IPv6)"));
        } finally {
            held.stop(Duration.ofSeconds(1));
        }
    }
}
