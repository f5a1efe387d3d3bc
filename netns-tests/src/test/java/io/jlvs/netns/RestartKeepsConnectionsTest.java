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
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon killed with SIGKILL and started again on the same control socket carries on: its services come back
 * (jlvsadm -L shows them as before), the long-lived TCP streams it was forwarding continue to the same real
 * servers with every byte echoed back, and new connections are served. NAT (both directions through the
 * director) and DR (client to server only).
 */
class RestartKeepsConnectionsTest {
    static final int PORT = 80;

    @Test
    void natStreamsSurviveAKillAndRestartOfTheDaemon() {
        try (LvsTopology topology = LvsTopology.nat("jlvsrsn", 2)) {
            killAndRestartUnderLongStreams(topology, "nat", "-m");
        }
    }

    @Test
    void drStreamsSurviveAKillAndRestartOfTheDaemon() {
        try (LvsTopology topology = LvsTopology.dr("jlvsrsd", 2)) {
            killAndRestartUnderLongStreams(topology, "dr", "-g");
        }
    }

    private static void killAndRestartUnderLongStreams(LvsTopology topology, String mode, String forwardFlag) {
        List<BackgroundProcess> servers = new ArrayList<>();
        for (int k = 1; k <= topology.serverCount(); k++) {
            servers.add(ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k),
                    topology.serverName(k) + "-http" + PORT, HttpIdentityServer.class, topology.serverName(k),
                    Integer.toString(PORT), "8"));
        }
        servers.forEach(p -> p.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60)));
        JlvsDirector director = JlvsDirector.start(topology, mode, "afpacket", Duration.ofSeconds(120));
        try {
            String service = topology.vip() + ":" + PORT;
            director.restore("-A -t " + service + " -s rr\n"
                    + "-a -t " + service + " -r " + topology.serverAddress(1) + ":" + PORT + " " + forwardFlag + "\n"
                    + "-a -t " + service + " -r " + topology.serverAddress(2) + ":" + PORT + " " + forwardFlag + "\n");
            List<SlowUpload> uploads = List.of(
                    SlowUpload.start(topology.clientSeat(), "stream-1", PORT),
                    SlowUpload.start(topology.clientSeat(), "stream-2", PORT));
            JlvsDirector first = director;
            Conditions.await("both streams ESTABLISHED", Duration.ofSeconds(20), () -> established(first).size() == 2);
            Set<String> streamsBefore = established(director);
            Set<String> servicesBefore = serviceRows(director.admOrThrow("-L", "-n"));
            assertEquals(2, servicesBefore.stream().filter(r -> r.startsWith("->")).count(), servicesBefore.toString());

            director.kill();
            director = first.startAgain(2, Duration.ofSeconds(120));

            assertTrue(director.daemon().logText().contains("2 connection(s) re-attached, 0 dropped"),
                    director.daemon().logTail(20));
            assertEquals(servicesBefore, serviceRows(director.admOrThrow("-L", "-n")), "the same services");
            assertEquals(streamsBefore, established(director), "the same streams to the same servers");
            RequestLoop load = RequestLoop.start(topology, "after-restart", PORT);
            load.awaitMoreBatches(2);
            RequestLoop.Outcome outcome = load.finish();
            assertEquals(0, outcome.failures(), "new connections after the restart: " + outcome);
            SlowUpload.finishAll(uploads, Duration.ofSeconds(60));
        } finally {
            director.close();
        }
    }

    /** "client -> real" of every ESTABLISHED entry of jlvsadm -L -n -c. */
    private static Set<String> established(JlvsDirector director) {
        Set<String> flows = new TreeSet<>();
        for (String line : director.admOrThrow("-L", "-n", "-c").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[2].equals("ESTABLISHED")) flows.add(f[3] + " -> " + f[5]);
        }
        return flows;
    }

    /** The service and real-server rows of jlvsadm -L -n without their counters. */
    private static Set<String> serviceRows(String listing) {
        Set<String> rows = new TreeSet<>();
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && (f[0].equals("TCP") || f[0].equals("UDP"))) rows.add(f[0] + " " + f[1] + " " + f[2]);
            else if (f.length >= 4 && f[0].equals("->") && !f[1].equals("RemoteAddress:Port")) {
                rows.add("-> " + f[1] + " " + f[2] + " " + f[3]);
            }
        }
        return rows;
    }
}
