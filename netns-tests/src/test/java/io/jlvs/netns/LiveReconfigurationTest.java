package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;





import java.time.Duration;
import java.util.ArrayList;
import java.util.List;



import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live changes through the real daemon under continuous load: while a client opens new HTTP connections to the
 * VIP in a loop, real servers are added, reweighted, quiesced (weight 0) and deleted. No request fails, since at
 * least one server is always available; the quiesced server keeps its long connections (slow uploads) until
 * they end, its ActiveConn falls to 0, and it gets no new connection meanwhile.
 */
class LiveReconfigurationTest {
    static final int PORT = 80;
    static final int SLOW_UPLOADS = 3;

    @Test
    void addReweightQuiesceAndDeleteUnderLoadLoseNoRequest() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvslive", 3)) {
            // Eight handler threads: the slow uploads must not starve rs2's short requests (the default is two).
            List<BackgroundProcess> servers = new ArrayList<>();
            for (int k = 1; k <= topology.serverCount(); k++) {
                servers.add(ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k),
                        topology.serverName(k) + "-http" + PORT, HttpIdentityServer.class, topology.serverName(k),
                        Integer.toString(PORT), "8"));
            }
            servers.forEach(p -> p.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60)));
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = topology.vip() + ":" + PORT;
                String rs1 = topology.serverAddress(1) + ":" + PORT, rs2 = topology.serverAddress(2) + ":" + PORT,
                        rs3 = topology.serverAddress(3) + ":" + PORT;
                director.restore("-A -t " + service + " -s wrr\n-a -t " + service + " -r " + rs2 + " -m\n");

                // Long connections, all on rs2 (the only server yet): they must survive rs2's weight 0.
                List<SlowUpload> uploads = new ArrayList<>();
                for (int i = 0; i < SLOW_UPLOADS; i++) uploads.add(SlowUpload.start(topology, "slow-upload-" + i, PORT));
                awaitActive(director, service, rs2, SLOW_UPLOADS, Duration.ofSeconds(20));

                director.admOrThrow("-a", "-t", service, "-r", rs1, "-m");
                RequestLoop load = RequestLoop.start(topology, "live-load", PORT);
                // Each change is made once the load has run under the previous configuration for a few batches.
                load.awaitMoreBatches(2);
                director.admOrThrow("-a", "-t", service, "-r", rs3, "-m");
                Conditions.await("rs3 serving requests of the load loop", Duration.ofSeconds(30),
                        () -> load.outcome().perServer().containsKey("rs3"));
                load.awaitMoreBatches(2);
                director.admOrThrow("-e", "-t", service, "-r", rs1, "-m", "-w", "3");
                load.awaitMoreBatches(2);

                director.admOrThrow("-e", "-t", service, "-r", rs2, "-m", "-w", "0");
                long rs2ConnsAtQuiesce = totalConnections(director, service, rs2);
                assertTrue(activeConnections(director, service, rs2) > 0, "the slow uploads still run on rs2");
                SlowUpload.finishAll(uploads, Duration.ofSeconds(30));
                awaitActive(director, service, rs2, 0, Duration.ofSeconds(20));
                assertEquals(rs2ConnsAtQuiesce, totalConnections(director, service, rs2),
                        "a weight-0 server gets no new connection");

                director.admOrThrow("-d", "-t", service, "-r", rs2);
                // Deleting a server drops the packets of its live connections (as IPVS does): an operator drains it
                // with weight 0 first, and so does this test, so that no request in flight to it is lost.
                director.admOrThrow("-e", "-t", service, "-r", rs3, "-m", "-w", "0");
                awaitActive(director, service, rs3, 0, Duration.ofSeconds(20));
                director.admOrThrow("-d", "-t", service, "-r", rs3);
                load.awaitMoreBatches(2); // requests under the final configuration too
                RequestLoop.Outcome outcome = load.finish();
                assertTrue(outcome.batches() >= 5, "the load loop ran: " + outcome);
                assertEquals(0, outcome.failures(), "requests lost while servers changed: " + outcome + "\n" + load.logTail());
                assertTrue(outcome.perServer().keySet().containsAll(List.of("rs1", "rs2", "rs3")), "every server served: " + outcome);
                System.out.println("live reconfiguration: " + outcome + ", 0 failures");
                String listing = director.admOrThrow("-L", "-n");
                assertFalse(listing.contains(topology.serverAddress(2) + ":"), "rs2 deleted:\n" + listing);
            }
        }
    }

    /** The "  -> addr:port  Masq weight active inactive" row of the server under the service in -L -n. */
    private static String[] serverRow(String listing, String service, String server) {
        boolean inService = false;
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && (f[0].equals("TCP") || f[0].equals("UDP") || f[0].equals("FWM"))) inService = f[1].equals(service);
            else if (inService && f[0].equals("->") && f[1].equals(server)) return f;
        }
        throw new AssertionError("no row for " + server + " under " + service + " in\n" + listing);
    }

    private static int activeConnections(JlvsDirector director, String service, String server) {
        return Integer.parseInt(serverRow(director.admOrThrow("-L", "-n"), service, server)[4]);
    }

    private static long totalConnections(JlvsDirector director, String service, String server) {
        Long conns = StatsListing.parse(director.admOrThrow("-L", "-n", "--stats"), "TCP", service)
                .connectionsPerRealServer().get(server);
        if (conns == null) throw new AssertionError("no stats for " + server);
        return conns;
    }

    private static void awaitActive(JlvsDirector director, String service, String server, int expected, Duration timeout) {
        if (!Conditions.holdsWithin(timeout, () -> activeConnections(director, service, server) == expected)) {
            throw new AssertionError(server + " ActiveConn " + activeConnections(director, service, server)
                    + ", expected " + expected + " within " + timeout);
        }
    }
}
