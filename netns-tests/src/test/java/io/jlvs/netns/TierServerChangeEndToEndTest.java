package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.TierTopology;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server added to a tier, then a director lost: three directors behind the ECMP router (mh, mh-port,
 * sloppy_tcp), three of four real servers in the service. Long-lived connections spread over the directors; the
 * fourth server is added on every director (the same mh table everywhere), which changes the choice of about a
 * quarter of the flows; then director 2's daemon is killed and the router moves its flows to the survivors.
 * Without connection sync, the moved flows whose choice changed reach the new server mid-flow and break; with
 * every director both sync master and backup (each holds the others' connections), none breaks.
 */
class TierServerChangeEndToEndTest {
    static final int PORT = 80, STREAMS = 150;
    static final Duration START = Duration.ofSeconds(120), BGP = Duration.ofSeconds(30);

    @Test
    void aServerAddedThenADirectorLostBreaksMovedFlowsOnlyWithoutSync() throws Exception {
        try (TierTopology tier = TierTopology.build("jlvsq-s", 3, 4)) {
            List<BackgroundProcess> servers = TierMembers.echoServers(tier, 4, PORT, START);
            List<JlvsDirector> directors = new ArrayList<>();
            try {
                directors.addAll(ConcurrentStarts.all(List.of(() -> TierMembers.startDirector(tier, 1, START),
                        () -> TierMembers.startDirector(tier, 2, START), () -> TierMembers.startDirector(tier, 3, START))));
                for (JlvsDirector director : directors) setUp(tier, director);
                tier.awaitNextHops(List.of(1, 2, 3), BGP);

                // Without sync: the flows moved off the killed director whose mh choice changed break.
                int brokenWithoutSync = serverAddedThenDirectorKilled(tier, directors, "without-sync", false);
                System.out.println("tier: " + STREAMS + " streams, a server added, a director killed, no sync: "
                        + brokenWithoutSync + " broken");
                assertTrue(brokenWithoutSync > 0, "without sync some moved flows change server and break");

                // d2 back, the fourth server out again, and every director sync master and backup at once.
                directors.get(1).forgetSavedState();
                directors.set(1, directors.get(1).startAgain(2, START));
                setUp(tier, directors.get(1));
                for (JlvsDirector d : List.of(directors.get(0), directors.get(2))) {
                    d.admOrThrow("-d", "-t", service(), "-r", tier.serverAddresses().get(3) + ":" + PORT);
                }
                for (JlvsDirector d : directors) {
                    d.admOrThrow("--start-daemon", "master", "--mcast-interface", "lan0", "--syncid", "7");
                    d.admOrThrow("--start-daemon", "backup", "--mcast-interface", "lan0", "--syncid", "7");
                    String daemons = d.admOrThrow("-L", "--daemon");
                    assertTrue(daemons.contains("master sync daemon") && daemons.contains("backup sync daemon"),
                            daemons);
                }
                tier.awaitNextHops(List.of(1, 2, 3), BGP);
                int brokenWithSync = serverAddedThenDirectorKilled(tier, directors, "with-sync", true);
                System.out.println("tier: " + STREAMS + " streams, a server added, a director killed, sync: "
                        + brokenWithSync + " broken");
                assertEquals(0, brokenWithSync, "with sync every moved flow keeps its server");
            } finally {
                for (JlvsDirector d : directors) d.close();
            }
        }
    }

    /**
     * Opens the streams, waits until each is in a director's table (with sync: in every director's), adds the
     * fourth server everywhere, kills d2's daemon, waits for the router to drop its path, and returns how many
     * streams broke.
     */
    private static int serverAddedThenDirectorKilled(TierTopology tier, List<JlvsDirector> directors, String name,
                                                     boolean synced) throws Exception {
        Path stop = tier.processes().logDirectory().resolve("streams-stop-" + name);
        BackgroundProcess streams = ServerLauncher.startJava(tier.processes(), tier.clientNamespace(),
                "streams-" + name, TierStreamClient.class, TierTopology.VIP, Integer.toString(PORT),
                Integer.toString(STREAMS), stop.toString());
        streams.awaitLogLine("OPEN " + STREAMS, Duration.ofSeconds(60));
        if (synced) {
            Conditions.await("every stream in every director's table", Duration.ofSeconds(20), () -> {
                for (JlvsDirector d : directors) {
                    if (TierEcmpEndToEndTest.establishedClients(d).size() < STREAMS) return false;
                }
                return true;
            });
        } else {
            List<Integer> shares = new ArrayList<>();
            for (JlvsDirector d : directors) shares.add(TierEcmpEndToEndTest.establishedClients(d).size());
            assertEquals(STREAMS, shares.stream().mapToInt(Integer::intValue).sum(), "each stream on one director");
            assertTrue(shares.get(1) > 0, "d2 carries streams: " + shares);
        }
        for (JlvsDirector d : directors) {
            d.admOrThrow("-a", "-t", service(), "-r", tier.serverAddresses().get(3) + ":" + PORT, "-g", "-w", "1");
        }
        directors.get(1).kill();
        tier.awaitNextHops(List.of(1, 3), BGP);
        // Every stream has made a round since (a broken one fails within its read deadline).
        long after = rounds(streams);
        Conditions.await("the streams after the change", Duration.ofSeconds(30), () -> rounds(streams) >= after + 20);
        Files.writeString(stop, "");
        streams.awaitLogLine("RESULT", Duration.ofSeconds(60));
        String result = streams.logText().lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow();
        return Integer.parseInt(result.replaceAll(".*broken=(\\d+).*", "$1"));
    }

    private static long rounds(BackgroundProcess streams) {
        return streams.logText().lines().filter(l -> l.startsWith("ROUND "))
                .mapToLong(l -> Long.parseLong(l.substring(6))).max().orElse(0);
    }

    private static void setUp(TierTopology tier, JlvsDirector director) {
        director.admOrThrow("--sysctl", "sloppy_tcp=1");
        StringBuilder rules = new StringBuilder("-A -t " + service() + " -s mh -b mh-port\n");
        for (String server : tier.serverAddresses().subList(0, 3)) {
            rules.append("-a -t ").append(service()).append(" -r ").append(server).append(':').append(PORT)
                    .append(" -g -w 1\n");
        }
        director.restore(rules.toString());
    }

    private static String service() { return TierTopology.VIP + ":" + PORT; }
}
