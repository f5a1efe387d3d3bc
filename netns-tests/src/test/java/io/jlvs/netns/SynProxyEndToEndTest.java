package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --synproxy on a NAT service with a 20,000-entry table: clients are served through the director's own handshake;
 * 100 MiB go through one spliced connection intact each way; the real server's kernel negotiates the client's own
 * options (window scale, SACK, timestamps) with it; and under a spoofed SYN flood the table stays flat, the real
 * server holds no half-open connection, and the client keeps being served.
 */
@RunsAlone
class SynProxyEndToEndTest {
    static final int PORT = 80, REQUESTS = 10, FLOOD_RATE = 30_000;
    static final long BIG = 100L << 20;

    @Test
    void clientsAreServedThroughTheProxyAndAFloodLeavesNothingBehind() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvssp", 1)) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            SynFlood flood = new SynFlood(topology);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--capacity", "20000"))) {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr --synproxy\n-a -t " + service + " -r "
                        + topology.serverAddress(1) + ":" + PORT + " -m\n");
                String saved = director.admOrThrow("-S", "-n");
                assertTrue(saved.contains("--synproxy"), "the service has the proxy: " + saved);
                // What the real server receives: the client's own SYN options, in the director's SYN.
                Path capture = topology.processes().logDirectory().resolve("server-syns.pcap");
                BackgroundProcess dump = topology.processes().start(topology.serverNamespace(1), "tcpdump",
                        List.of("tcpdump", "--immediate-mode", "-U", "-n", "-i", topology.serverInterface(), "-w",
                                capture.toString(), "tcp[tcpflags] & tcp-syn != 0"));
                Conditions.await("tcpdump listening", Duration.ofSeconds(10),
                        () -> dump.logText().contains("listening on"));
                assertEquals(REQUESTS, ClientRequests.get(topology, PORT, REQUESTS).replies().size(), "served");
                dump.stop(Duration.ofSeconds(2));
                String syns = topology.network().run(topology.serverNamespace(1), "tcpdump", "-n", "-v", "-r",
                        capture.toString()).stdout();
                String serverSyn = syns.lines().filter(l -> l.contains("> " + topology.serverAddress(1))
                        && l.contains("Flags [S],")).findFirst().orElse("");
                assertTrue(serverSyn.contains("sackOK") && serverSyn.contains("TS val") && serverSyn.contains("wscale")
                        && serverSyn.contains("mss "), "the client's options reached the server: " + syns);

                // 100 MiB from the server, checked by digest.
                Path download = topology.processes().logDirectory().resolve("download");
                BackgroundProcess curl = topology.processes().start(topology.clientNamespace(), "download",
                        List.of("curl", "-sS", "--max-time", "120", "-o", download.toString(),
                                "http://" + service + "/bytes/" + BIG));
                Conditions.await("the download", Duration.ofSeconds(150), () -> !curl.isAlive());
                assertEquals(BIG, Files.size(download));
                assertEquals(PatternFiles.digestOfPattern(BIG), PatternFiles.digest(download), "100 MiB from the server, intact");

                // 100 MiB to the server, digested there.
                Path upload = topology.processes().logDirectory().resolve("upload");
                PatternFiles.write(upload, BIG);
                String served = topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS",
                        "--max-time", "120", "-H", "Expect:", "--data-binary", "@" + upload,
                        "http://" + service + "/digest"), Duration.ofSeconds(150)).stdoutOrThrow().strip();
                assertEquals(PatternFiles.digestOfPattern(BIG), served, "100 MiB to the server, intact");
                Files.delete(upload);
                Files.delete(download);

                // The flood: the table and the server stay clear, the client is served.
                BackgroundProcess flooding = flood.start("flood", PORT, 20, FLOOD_RATE);
                // The director answers every flood SYN: the client side sees the SYN-ACKs come back.
                long rxBefore = clientRx(topology);
                Conditions.await("the director answering the flood", Duration.ofSeconds(15),
                        () -> clientRx(topology) - rxBefore > 10_000);
                int most = 0, halfOpenAtServer = 0;
                for (int i = 0; i < 5; i++) {
                    most = Math.max(most, ServiceRows.connections(director.admOrThrow("-L", "-n")));
                    halfOpenAtServer = Math.max(halfOpenAtServer, topology.network().run(topology.serverNamespace(1),
                            "ss", "-tan", "state", "syn-recv").stdout().strip().lines().mapToInt(l -> 1).sum() - 1);
                }
                ClientRequests.Batch during = ClientRequests.get(topology, PORT, REQUESTS);
                boolean lasted = flooding.isAlive();
                flooding.stop(Duration.ofSeconds(5));
                assertTrue(lasted, "the flood lasted through the checks");
                assertTrue(most < 100, "the table stayed flat under the flood: " + most + " connections at most");
                assertEquals(0, Math.max(0, halfOpenAtServer), "no half-open connection at the server");
                assertEquals(REQUESTS, during.replies().size(), "served during the flood: " + during.describe());
            }
        }
    }

    private static long clientRx(LvsTopology topology) {
        return Long.parseLong(topology.network().check(topology.clientNamespace(), "cat",
                "/sys/class/net/" + topology.clientInterface() + "/statistics/rx_packets").strip());
    }
}
