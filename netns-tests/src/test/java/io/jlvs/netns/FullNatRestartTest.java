package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FullNAT connections outlive the daemon that made them: streams through a FullNAT server that has no route to the
 * client (120 KiB each way at 20 KiB/s, every byte echoed back) go on intact across a SIGKILL and restart of the
 * daemon, which re-attaches them with the local ports it left in /dev/shm: the server goes on seeing the same
 * local address and port (a stream from any other source would be a segment of no connection to it, reset).
 */
class FullNatRestartTest {
    static final int PORT = 80, STREAMS = 2, BYTES = 120 * 1024;
    static final String LOCAL_ADDRESS = "172.16.0.50";
    static final Duration START = Duration.ofSeconds(120);

    @Test
    void fullNatStreamsSurviveAKillAndRestartOfTheDaemon() {
        try (LvsTopology topology = LvsTopology.nat("jlvsnrs", 1)) {
            topology.inServer(1, "ip", "route", "del", "default");
            assertFalse(topology.inServer(1, "ip", "route", "get", LvsTopology.CLIENT_ADDRESS).succeeded(),
                    "the server has no route to the client");
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", START);
            try {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS + "\n-a -t " + service
                        + " -r " + topology.serverAddress(1) + ":" + PORT + " --fullnat\n");
                List<BackgroundProcess> streams = new ArrayList<>();
                for (int i = 1; i <= STREAMS; i++) {
                    streams.add(SlowUpload.start(topology.clientSeat(), "stream-" + i, PORT, BYTES));
                }
                JlvsDirector first = director;
                Conditions.await("the streams ESTABLISHED", Duration.ofSeconds(20),
                        () -> ListingCounts.established(first) == STREAMS);
                Set<String> peersBefore = serverPeers(topology);
                assertEquals(STREAMS, peersBefore.size(), "the server's peers: " + peersBefore);
                for (String peer : peersBefore) assertTrue(peer.startsWith(LOCAL_ADDRESS + ":"), peer);
                Conditions.await("the streams under way", Duration.ofSeconds(20),
                        () -> ListingCounts.inboundBytes(first) > 32 * 1024);

                director.kill();
                director = first.startAgain(2, START);

                assertTrue(director.daemon().logText().contains(STREAMS + " connection(s) re-attached, 0 dropped"),
                        director.daemon().logTail(20));
                for (BackgroundProcess stream : streams) {
                    SlowUpload.awaitFinished(stream, Duration.ofSeconds(60), BYTES);
                }
                assertEquals(STREAMS, ClientRequests.get(topology, PORT, STREAMS).replies().size(),
                        "new connections through the restarted daemon");
            } finally {
                director.close();
            }
        }
    }

    /** The peers (address:port) of the server's established connections to PORT. */
    private static Set<String> serverPeers(LvsTopology topology) {
        CommandResult ss = topology.inServer(1, "ss", "-Htn", "state", "established", "sport", "=", ":" + PORT);
        Set<String> peers = new TreeSet<>();
        for (String line : ss.stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            peers.add(f[f.length - 1].replace("[::ffff:", "").replace("]", "")); // the server's socket is dual-stack
        }
        return peers;
    }
}
