package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.ProcessRunner;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.TierTopology;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three directors active-active behind an ECMP router, each announcing the VIP by BGP through its own BIRD
 * (jlvs daemon --bgp bird), the Maglev scheduler with mh-port on each and sloppy_tcp on, three real servers by DR.
 * Long-lived echo connections from the client spread over all three directors; draining one withdraws its route,
 * undraining it has the router move some established flows to it, a kill -9 of another's daemon withdraws its route at once (the liveness link goes with the process), a
 * director frozen whole is withdrawn by the router's hold timer, and every connection, wherever the router moves
 * it, goes on to the same real server on a survivor.
 */
class TierEcmpEndToEndTest {
    static final int PORT = 80, STREAMS = 60;
    static final Duration START = Duration.ofSeconds(120), BGP = Duration.ofSeconds(30);

    @Test
    void directorsShareTheFlowsAndADrainOrACrashBreaksNoConnection() throws Exception {
        try (TierTopology tier = TierTopology.build("jlvstr-e", 3, 3)) {
            List<BackgroundProcess> servers = TierMembers.echoServers(tier, 3, PORT, START);
            List<JlvsDirector> directors = new ArrayList<>();
            for (int d = 1; d <= 3; d++) {
                JlvsDirector director = TierMembers.startDirector(tier, d, START);
                directors.add(director);
                director.admOrThrow("--sysctl", "sloppy_tcp=1");
                director.restore(mhService(tier));
            }
            tier.awaitNextHops(List.of(1, 2, 3), BGP);

            // The generated include passes BIRD's own syntax check, alone and within the director's bird.conf.
            for (int d = 1; d <= 3; d++) {
                String include = Files.readString(tier.include(d));
                assertTrue(include.contains("route " + TierTopology.VIP + "/32 via \"jlvs-bgp\""), include);
                CommandResult check = tier.birdParse(tier.birdConfig(d));
                assertTrue(check.succeeded(), check.describe());
                check = tier.birdParse(tier.include(d));
                assertTrue(check.succeeded(), check.describe());
            }
            String status = jlvs(directors.get(0), "status").stdoutOrThrow();
            assertTrue(status.contains("BGP (bird, include " + tier.include(1) + "): announcing"), status);
            assertTrue(status.contains(TierTopology.VIP + "/32 announced: 1 of 1 services live"), status);
            assertTrue(status.contains("session uplink BGP --- up"), status);

            // Every director carries a share of the new connections.
            Path stop = tier.processes().logDirectory().resolve("streams-stop");
            BackgroundProcess streams = ServerLauncher.startJava(tier.processes(), tier.clientNamespace(), "streams",
                    TierStreamClient.class, TierTopology.VIP, Integer.toString(PORT), Integer.toString(STREAMS),
                    stop.toString());
            streams.awaitLogLine("OPEN " + STREAMS, Duration.ofSeconds(60));
            List<Set<String>> before = new ArrayList<>();
            for (JlvsDirector d : directors) before.add(establishedClients(d));
            int total = before.stream().mapToInt(Set::size).sum();
            System.out.println("tier: streams per director " + before.stream().map(Set::size).toList());
            assertEquals(STREAMS, total, "each stream on one director: " + before);
            for (int d = 0; d < 3; d++) assertTrue(before.get(d).size() > 0, "director " + (d + 1) + " carries none");

            // Draining d1 withdraws its route first; its connections go on elsewhere.
            CommandResult drain = director(tier, directors.get(0), "drain");
            assertEquals(0, drain.exitCode(), drain.describe());
            tier.awaitNextHops(List.of(2, 3), BGP);
            status = jlvs(directors.get(0), "status").stdoutOrThrow();
            assertTrue(status.contains("director drained, every VIP withdrawn"), status);

            // kill -9 of d2's daemon: its route goes with its liveness link, before any hold timer.
            Set<String> onKilled = establishedClients(directors.get(1));
            assertTrue(!onKilled.isEmpty(), "the killed director carried connections");
            directors.get(1).kill();
            Duration withdrawn = tier.awaitNextHops(List.of(3), Duration.ofSeconds(3));
            System.out.println("tier: route of the killed director withdrawn in " + withdrawn.toMillis() + " ms");

            // Every stream, those of the drained and the killed director included, goes on through d3.
            Conditions.await("every stream on d3", Duration.ofSeconds(20),
                    () -> establishedClients(directors.get(2)).size() == STREAMS);

            // Undrained, d1 rejoins: the router moves some established flows to it, d2's and d3's among them, and
            // they go on there.
            assertEquals(0, director(tier, directors.get(0), "undrain").exitCode());
            tier.awaitNextHops(List.of(1, 3), BGP);
            Set<String> elsewhere = new TreeSet<>(before.get(1));
            elsewhere.addAll(before.get(2));
            Conditions.await("flows of d2 and d3 moved to the rejoined d1", Duration.ofSeconds(20), () -> {
                Set<String> moved = new TreeSet<>(establishedClients(directors.get(0)));
                moved.retainAll(elsewhere);
                return !moved.isEmpty();
            });
            Files.writeString(stop, "");
            streams.awaitLogLine("RESULT", Duration.ofSeconds(60));
            String result = streams.logText();
            assertTrue(result.contains("RESULT ok=" + STREAMS + " broken=0"), result);

            // d1 takes new flows too.
            int d1Before = establishedClients(directors.get(0)).size();
            Path stop2 = tier.processes().logDirectory().resolve("streams-stop-2");
            BackgroundProcess more = ServerLauncher.startJava(tier.processes(), tier.clientNamespace(), "streams-2",
                    TierStreamClient.class, TierTopology.VIP, Integer.toString(PORT), "30", stop2.toString());
            more.awaitLogLine("OPEN 30", Duration.ofSeconds(60));
            assertTrue(establishedClients(directors.get(0)).size() > d1Before, "d1 takes new flows after undrain");

            // d1 frozen whole (its BIRD and its daemon stopped, as a hung machine): the router's hold timer (3 s)
            // withdraws its route, and its connections go on through d3.
            tier.directorBird(1).suspend();
            directors.get(0).daemon().suspend();
            Duration held = tier.awaitNextHops(List.of(3), Duration.ofSeconds(8));
            System.out.println("tier: route of the frozen director withdrawn in " + held.toMillis() + " ms");
            assertTrue(held.compareTo(Duration.ofMillis(4500)) <= 0, "within the hold time: " + held);
            Conditions.await("the new streams on d3", Duration.ofSeconds(20),
                    () -> establishedClients(directors.get(2)).size() >= 30);
            Files.writeString(stop2, "");
            more.awaitLogLine("RESULT", Duration.ofSeconds(60));
            assertTrue(more.logText().contains("RESULT ok=30 broken=0"), more.logText());
            directors.get(0).daemon().resume();
            tier.directorBird(1).resume();
            for (JlvsDirector d : directors) if (d != directors.get(1)) d.close();
        }
    }

    static String mhService(TierTopology tier) {
        String service = TierTopology.VIP + ":" + PORT;
        StringBuilder rules = new StringBuilder("-A -t " + service + " -s mh -b mh-port\n");
        for (String server : tier.serverAddresses()) {
            rules.append("-a -t ").append(service).append(" -r ").append(server).append(':').append(PORT)
                    .append(" -g -w 1\n");
        }
        return rules.toString();
    }

    /** The client addresses and ports of the director's ESTABLISHED connections. */
    static Set<String> establishedClients(JlvsDirector director) {
        Set<String> clients = new TreeSet<>();
        for (String line : director.admOrThrow("-L", "-n", "-c").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[2].equals("ESTABLISHED")) clients.add(f[3]);
        }
        return clients;
    }

    static CommandResult jlvs(JlvsDirector director, String command) {
        return director.jlvs(command);
    }

    /** bin/jlvs director drain|undrain --control SOCK in the director's namespace. */
    static CommandResult director(TierTopology tier, JlvsDirector director, String action) {
        return tier.processes().run(director.daemon().namespace(), List.of(director.home().resolve("bin/jlvs").toString(),
                "director", action, "--control", director.controlSocket().toString()), ProcessRunner.DEFAULT_TIMEOUT);
    }
}
