package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A spoofed SYN flood (30,000 SYN/s from random sources that never answer) at a NAT service whose table holds 20,000 connections:
 * with drop_entry off it fills the table and locks the real client out; with drop_entry on (the default) the
 * half-open entries are reclaimed as the table fills and the client's requests are answered during the flood.
 */
@RunsAlone
class SynFloodDefenceTest {
    static final int PORT = 80;
    static final int REQUESTS = 10;
    /** Spoofed SYNs per second: fills the 20,000-entry table in under a second. */
    static final int FLOOD_RATE = 30_000;

    @Test
    void aFullTableOfHalfOpenConnectionsLocksClientsOutOnlyWithoutDropEntry() {
        try (LvsTopology topology = LvsTopology.nat("jlvssyn", 1)) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            SynFlood flood = new SynFlood(topology);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--capacity", "20000"))) {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr\n-a -t " + service + " -r " + topology.serverAddress(1)
                        + ":" + PORT + " -m\n");
                assertEquals(REQUESTS, ClientRequests.get(topology, PORT, REQUESTS).replies().size(), "before a flood");

                director.admOrThrow("--sysctl", "drop_entry=0");
                BackgroundProcess first = flood.start("flood-off", PORT, 20, FLOOD_RATE);
                Conditions.await("a table full of half-open connections", Duration.ofSeconds(15),
                        () -> ServiceRows.connections(director.admOrThrow("-L", "-n")) >= 19_000);
                int lockedOut = ClientRequests.get(topology, PORT, 3).replies().size();
                assertEquals(0, lockedOut, "without the defence the client is locked out");
                first.stop(Duration.ofSeconds(5));

                director.admOrThrow("--sysctl", "drop_entry=1");
                Conditions.await("the half-open connections reclaimed", Duration.ofSeconds(10),
                        () -> ServiceRows.connections(director.admOrThrow("-L", "-n")) < 10_000);
                BackgroundProcess second = flood.start("flood-on", PORT, 60, FLOOD_RATE);
                Conditions.await("the flood filling the table again", Duration.ofSeconds(15),
                        () -> ServiceRows.connections(director.admOrThrow("-L", "-n")) >= 5_000);
                ClientRequests.Batch during = ClientRequests.get(topology, PORT, REQUESTS);
                boolean floodLasted = second.isAlive();
                System.out.println("during the flood: " + during.describe());
                assertEquals(REQUESTS, during.replies().size(), "answered during the flood: " + during.describe());
                assertTrue(floodLasted, "the flood lasted through the requests");
                second.stop(Duration.ofSeconds(5));
                assertTrue(director.daemon().logText().contains("half-open TCP connection(s)"), "the daemon said so");
            }
        }
    }
}
