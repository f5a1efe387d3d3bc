package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --synproxy with --fast-path xdp: the XDP program answers the clients' SYNs in the kernel. Clients are served
 * through the VIP; the program's SYN-ACK count grows by their SYNs while the Java path's stays where it was (and a
 * SYN the program leaves to Java, one with more options than it reads, shows that count moving); under a spoofed
 * SYN flood the program answers the flood, the table stays flat and the clients are still served. Attached in
 * generic mode (--xdp-mode generic), on the kernel's skb, the program answers the clients' SYNs as well.
 */
@RunsAlone
class SynProxyXdpTest {
    private static final int PORT = 80, REQUESTS = 10, FLOOD_RATE = 30_000;
    private static final Pattern SYN_PROXY_STATUS =
            Pattern.compile("XDP SYN proxy: (\\d+) service\\(s\\), (\\d+) SYN-ACK\\(s\\) sent by the XDP program, (\\d+) by jlvs");

    @Test
    void theKernelAnswersTheSynsAndAFloodLeavesNothingBehind() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsxs", 1)) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            topology.enableXdpRedirectIntoDirector();
            topology.enableXdpTxToClientSide();
            SynFlood flood = new SynFlood(topology);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--capacity", "20000", "--fast-path", "xdp"))) {
                long[] after = clientsServedByTheProgram(topology, director);

                // A SYN with 20 NOPs is more than the program reads: the Java path answers it, and its count moves.
                topology.network().check(topology.clientNamespace(), "python3", "-c", manyOptionsSyn(topology));
                Conditions.await("the Java path to answer the SYN the program left to it", Duration.ofSeconds(10),
                        () -> counts(director)[2] == after[2] + 1);

                BackgroundProcess flooding = flood.start("flood", PORT, 60, FLOOD_RATE);
                long floodBefore = counts(director)[1];
                Conditions.await("the XDP program answering the flood", Duration.ofSeconds(30),
                        () -> counts(director)[1] - floodBefore > 10_000);
                int most = 0;
                for (int i = 0; i < 5; i++) most = Math.max(most, ServiceRows.connections(director.admOrThrow("-L", "-n")));
                ClientRequests.Batch during = ClientRequests.get(topology, PORT, REQUESTS);
                boolean lasted = flooding.isAlive();
                long javaDuringFlood = counts(director)[2];
                flooding.stop(Duration.ofSeconds(5));
                assertTrue(lasted, "the flood lasted through the checks");
                assertTrue(most < 100, "the table stayed flat under the flood: " + most + " connections at most");
                assertEquals(REQUESTS, during.replies().size(), "served during the flood: " + during.describe());
                assertEquals(after[2] + 1, javaDuringFlood, "the Java path answered none of the flood");
            }
        }
    }

    @Test
    void inGenericModeTheKernelAnswersTheSynsToo() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsxg", 1)) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--fast-path", "xdp", "--xdp-mode", "generic"))) {
                clientsServedByTheProgram(topology, director);
                assertTrue(director.daemon().logText().contains("(generic)"), "attached in generic mode");
            }
        }
    }

    /**
     * Puts a --synproxy service with the topology's server on VIP:PORT and checks that clients are served, their SYNs
     * answered by the XDP program and none by the Java path; returns the counts after.
     */
    private static long[] clientsServedByTheProgram(LvsTopology topology, JlvsDirector director) {
        String service = topology.vip() + ":" + PORT;
        director.restore("-A -t " + service + " -s rr --synproxy\n-a -t " + service + " -r "
                + topology.serverAddress(1) + ":" + PORT + " -m\n");
        Conditions.await("the XDP program to answer for the service", Duration.ofSeconds(10),
                () -> counts(director)[0] == 1);
        long[] before = counts(director);

        ClientRequests.Batch served = ClientRequests.get(topology, PORT, REQUESTS);

        assertEquals(REQUESTS, served.replies().size(), "served through the VIP: " + served.describe());
        long[] after = counts(director);
        assertTrue(after[1] - before[1] >= REQUESTS, "SYN-ACKs from the XDP program: " + (after[1] - before[1]));
        assertEquals(before[2], after[2], "SYN-ACKs from the Java path");
        return after;
    }

    /** [services, SYN-ACKs sent by the XDP program, by the Java path] from `jlvs status`. */
    private static long[] counts(JlvsDirector director) {
        String status = director.jlvs("status").stdoutOrThrow();
        Matcher m = SYN_PROXY_STATUS.matcher(status);
        if (!m.find()) throw new AssertionError("no XDP SYN proxy line in:\n" + status);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }

    /** A Python program sending, from the client's address, a SYN to the VIP whose options are 20 NOPs. */
    private static String manyOptionsSyn(LvsTopology topology) {
        return String.join("\n",
                "import socket, struct",
                "def checksum(d):",
                "    s = sum(struct.unpack('!%dH' % (len(d) // 2), d))",
                "    s = (s >> 16) + (s & 0xFFFF); s += s >> 16",
                "    return ~s & 0xFFFF",
                "src, dst = socket.inet_aton('" + topology.clientAddress() + "'), socket.inet_aton('" + topology.vip() + "')",
                "tcp = struct.pack('!HHIIBBHHH', 45678, " + PORT + ", 12345, 0, 10 << 4, 0x02, 64240, 0, 0) + b'\\x01' * 20",
                "tcp = tcp[:16] + struct.pack('!H', checksum(src + dst + struct.pack('!BBH', 0, 6, len(tcp)) + tcp)) + tcp[18:]",
                "ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)",
                "ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]",
                "socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW).sendto(ip + tcp, (socket.inet_ntoa(dst), 0))");
    }
}
