package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
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
                String serverSyn = SynProxyChecks.serverSynDuring(topology, topology.serverAddress(1), () -> assertEquals(
                        REQUESTS, ClientRequests.get(topology, PORT, REQUESTS).replies().size(), "served"));
                assertTrue(serverSyn.contains("sackOK") && serverSyn.contains("TS val") && serverSyn.contains("wscale")
                        && serverSyn.contains("mss "), "the client's options reached the server: " + serverSyn);

                // 100 MiB from the server, checked by digest.
                SynProxyChecks.downloadIntact(topology, "http://" + service + "/bytes/" + BIG, BIG,
                        Duration.ofSeconds(120));

                // 100 MiB to the server, digested there.
                Path upload = topology.processes().logDirectory().resolve("upload");
                PatternFiles.write(upload, BIG);
                String served = topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS",
                        "--max-time", "120", "-H", "Expect:", "--data-binary", "@" + upload,
                        "http://" + service + "/digest"), Duration.ofSeconds(150)).stdoutOrThrow().strip();
                assertEquals(PatternFiles.digestOfPattern(BIG), served, "100 MiB to the server, intact");
                Files.delete(upload);

                // The flood, stopped once the checks are done (60 s is only its bound: the checks take as long as a
                // loaded machine makes them): the table and the server stay clear, the client is served. The
                // director answers every flood SYN: the client side sees the SYN-ACKs come back.
                BackgroundProcess flooding = flood.start("flood", PORT, 60, FLOOD_RATE);
                SynProxyChecks.watch(topology, director, flooding, 10_000, topology.clientSeat(), PORT, REQUESTS)
                        .leftNothingBehind(REQUESTS);
            }
        }
    }
}
