package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.ClientSeat;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;

/**
 * What the SYN proxy's end-to-end tests check through a running daemon, for either family: the SYN a real server
 * gets from the director, a download through a proxied connection, and a spoofed SYN flood's effect on the table,
 * the server and a client.
 */
final class SynProxyChecks {
    private SynProxyChecks() {}

    /**
     * The first SYN server 1 receives from the director while {@code traffic} runs, as tcpdump -v prints it (with
     * its options), or "" when it got none.
     */
    static String serverSynDuring(LvsTopology topology, String serverAddress, Runnable traffic) {
        Path capture = topology.processes().logDirectory().resolve("server-syns.pcap");
        BackgroundProcess dump = topology.processes().start(topology.serverNamespace(1), "tcpdump",
                List.of("tcpdump", "--immediate-mode", "-U", "-n", "-i", topology.serverInterface(), "-w",
                        capture.toString(), "tcp[tcpflags] & tcp-syn != 0 or (ip6[6] == 6 and ip6[53] & 2 != 0)"));
        Conditions.await("tcpdump listening", Duration.ofSeconds(10), () -> dump.logText().contains("listening on"));
        traffic.run();
        dump.stop(Duration.ofSeconds(2));
        String syns = topology.network().run(topology.serverNamespace(1), "tcpdump", "-n", "-v", "-r",
                capture.toString()).stdout();
        return syns.lines().filter(l -> l.contains("> " + serverAddress) && l.contains("Flags [S],")).findFirst()
                .orElse("");
    }

    /** Downloads {@code bytes} of the identity server's pattern from {@code url} in the client namespace; intact. */
    static void downloadIntact(LvsTopology topology, String url, long bytes, Duration limit)
            throws IOException, NoSuchAlgorithmException {
        Path download = topology.processes().logDirectory().resolve("download");
        BackgroundProcess curl = topology.processes().start(topology.clientNamespace(), "download",
                List.of("curl", "-g", "-sS", "--max-time", Long.toString(limit.toSeconds()), "-o",
                        download.toString(), url));
        Conditions.await("the download", limit.plusSeconds(30), () -> !curl.isAlive());
        assertEquals(bytes, Files.size(download), "the download's length");
        assertEquals(PatternFiles.digestOfPattern(bytes), PatternFiles.digest(download), bytes + " bytes, intact");
        Files.delete(download);
    }

    /** What a flood left: whether it lasted, the most connections listed, the most half-open at the server. */
    record Flood(boolean lasted, int mostConnections, int halfOpenAtServer, ClientRequests.Batch during) {
        /** The table stayed flat, the server held no half-open connection, the client was served throughout. */
        void leftNothingBehind(int requests) {
            assertTrue(lasted, "the flood lasted through the checks");
            assertTrue(mostConnections < 100,
                    "the table stayed flat under the flood: " + mostConnections + " connections at most");
            assertEquals(0, halfOpenAtServer, "no half-open connection at the server");
            assertEquals(requests, during.replies().size(), "served during the flood: " + during.describe());
        }
    }

    /**
     * Watches a flood the director answers (the client side sees at least {@code answers} SYN-ACKs come back): the
     * director's table and server 1's half-open connections sampled five times, then {@code requests} requests of
     * {@code client}; the flood is stopped at the end.
     */
    static Flood watch(LvsTopology topology, JlvsDirector director, BackgroundProcess flooding, int answers,
                       ClientSeat client, int port, int requests) {
        long rxBefore = clientRx(topology);
        Conditions.await("the director answering the flood", Duration.ofSeconds(15),
                () -> clientRx(topology) - rxBefore > answers);
        int most = 0, halfOpen = 0;
        for (int i = 0; i < 5; i++) {
            most = Math.max(most, ServiceRows.connections(director.admOrThrow("-L", "-n")));
            halfOpen = Math.max(halfOpen, topology.network().run(topology.serverNamespace(1), "ss", "-tan", "state",
                    "syn-recv").stdout().strip().lines().mapToInt(l -> 1).sum() - 1);
        }
        ClientRequests.Batch during = ClientRequests.get(client, port, requests);
        boolean lasted = flooding.isAlive();
        flooding.stop(Duration.ofSeconds(5));
        return new Flood(lasted, most, Math.max(0, halfOpen), during);
    }

    private static long clientRx(LvsTopology topology) {
        return Long.parseLong(topology.network().check(topology.clientNamespace(), "cat",
                "/sys/class/net/" + topology.clientInterface() + "/statistics/rx_packets").strip());
    }
}
