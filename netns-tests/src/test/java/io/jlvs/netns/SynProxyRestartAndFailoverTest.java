package io.jlvs.netns;

import io.jlvs.tools.netns.ClientSeat;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections opened through the SYN proxy (--synproxy) outlive the daemon that opened them: long-lived streams
 * (400 KiB each way at 20 KiB/s, every byte echoed back) go on intact across a SIGKILL and restart of the daemon,
 * which re-attaches them with the splice records it left in /dev/shm, and across a failover to a backup director
 * that learnt them, splice included, from the connection sync. {@link SynProxy6RestartAndFailoverTest} is the same
 * for an IPv6 NAT66 service.
 */
class SynProxyRestartAndFailoverTest {
    static final int PORT = 80, STREAMS = 2;
    static final Duration START = Duration.ofSeconds(120);

    @Test
    void proxiedStreamsSurviveAKillAndRestartOfTheDaemon() {
        try (LvsTopology topology = LvsTopology.nat("jlvssfr", 1)) {
            proxiedStreamsSurviveAKillAndRestart(topology, topology.clientSeat(), topology.serverAddress(1));
        }
    }

    @Test
    void proxiedStreamsSurviveAFailoverToTheBackup() throws Exception {
        try (FailoverTopology topology = FailoverTopology.nat("jlvssff", 1)) {
            startTheServer(topology);
            List<JlvsDirector> pair = ConcurrentStarts.all(List.of(() -> start(topology, 1, 150),
                    () -> start(topology, 2, 100)));
            JlvsDirector first = pair.get(0), second = pair.get(1);
            try {
                proxiedStreamsSurviveAFailover(first, second, topology.clientSeat());
            } finally {
                second.close();
                first.close();
            }
        }
    }

    /**
     * A director with a --synproxy NAT service of {@code client}'s VIP (either family) and real server 1 at
     * {@code server}: the client's streams go on intact across a kill and restart of the daemon, and new
     * connections are served after.
     */
    static void proxiedStreamsSurviveAKillAndRestart(LvsTopology topology, ClientSeat client, String server) {
        ServerLauncher.startHttpIdentityServers(topology, PORT);
        JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", START);
        try {
            director.restore(MasqueradedService.rules("-t", PORT, PORT, client.vip(), List.of(server), " --synproxy"));
            List<SlowUpload> streams = new ArrayList<>();
            for (int i = 1; i <= STREAMS; i++) streams.add(SlowUpload.start(client, "stream-" + i, PORT));
            JlvsDirector first = director;
            Conditions.await("the streams ESTABLISHED", Duration.ofSeconds(20),
                    () -> ListingCounts.established(first) == STREAMS);
            // Some of each stream has gone through the first daemon's splice before it dies.
            Conditions.await("the streams under way", Duration.ofSeconds(20),
                    () -> ListingCounts.inboundBytes(first) > 64 * 1024);

            director.kill();
            director = first.startAgain(2, START);

            assertTrue(director.daemon().logText().contains(STREAMS + " connection(s) re-attached, 0 dropped"),
                    director.daemon().logTail(20));
            SlowUpload.finishAll(streams, Duration.ofSeconds(60));
            assertEquals(STREAMS, ClientRequests.get(client, PORT, STREAMS).replies().size(),
                    "new connections through the restarted daemon's proxy");
        } finally {
            director.close();
        }
    }

    /** Real server 1's HTTP server, with 8 threads: the streams and more. */
    static void startTheServer(FailoverTopology topology) {
        ServerLauncher.startJava(topology.processes(), topology.serverNamespace(1), "rs1-http",
                HttpIdentityServer.class, "rs1", Integer.toString(PORT), "8")
                .awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
    }

    /**
     * {@code first}, becoming MASTER of VI_OUT, and {@code second}, its synced BACKUP, both with a --synproxy service
     * of {@code client}'s VIP: the client's streams through the first go on intact after it is killed, on the second.
     */
    static void proxiedStreamsSurviveAFailover(JlvsDirector first, JlvsDirector second, ClientSeat client) {
        VrrpWatch.awaitState(first, "VI_OUT", "MASTER", Duration.ofSeconds(20));
        VrrpWatch.awaitState(second, "VI_OUT", "BACKUP", Duration.ofSeconds(20));
        for (JlvsDirector director : List.of(first, second)) {
            String rules = director.admOrThrow("-S", "-n");
            assertTrue(rules.contains("--synproxy"), rules);
        }
        List<SlowUpload> streams = new ArrayList<>();
        for (int i = 1; i <= STREAMS; i++) streams.add(SlowUpload.start(client, "stream-" + i, PORT));
        Conditions.await("the streams synced to the backup", Duration.ofSeconds(20),
                () -> ListingCounts.established(second) == STREAMS && ListingCounts.established(first) == STREAMS);
        Conditions.await("the streams under way", Duration.ofSeconds(20),
                () -> ListingCounts.inboundBytes(first) > 64 * 1024);

        first.kill();
        VrrpWatch.awaitState(second, "VI_OUT", "MASTER", Duration.ofSeconds(20));
        SlowUpload.finishAll(streams, Duration.ofSeconds(60));
    }

    private static JlvsDirector start(FailoverTopology topology, int d, int priority) throws IOException {
        Path config = topology.processes().logDirectory().resolve("keepalived-d" + d + ".conf");
        String text = FailoverEndToEndTest.config(topology, priority, "nat")
                .replace("    protocol TCP\n", "    protocol TCP\n    syn_proxy\n");
        Files.writeString(config, text);
        return JlvsDirector.start(topology.seat(d), "nat", "afpacket", START, List.of("--config", config.toString()));
    }
}
