package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * keepalived.conf health checks through the real daemon, in one NAT topology with three HTTP real servers: a
 * stopped server is taken out within keepalived's bound (delay_loop x (retry + 1) + connect_timeout + 1 s) while
 * a steady request loop loses nothing after the removal, and comes back after one good check; MISC_CHECK's
 * dynamic weight; inhibit_on_failure keeping a long connection; quorum handing clients to the sorry server.
 */
class HealthCheckEndToEndTest {
    static final int PORT = 80;
    static final int CHECK_PORT = 8080;
    static final int SORRY_PORT = 8081;
    static final Duration START = Duration.ofSeconds(120);
    /** A check round: delay_loop 1, retry 1, connect_timeout 1 give a detection bound of 1 x 2 + 1 + 1 = 4 s. */
    static final Duration DETECTION_BOUND = Duration.ofSeconds(4);

    static LvsTopology topology;
    static final List<BackgroundProcess> servers = new ArrayList<>();
    JlvsDirector director;

    @BeforeAll
    static void network() {
        topology = LvsTopology.nat("jlvshk", 3);
        servers.addAll(ServerLauncher.startHttpIdentityServers(topology, PORT));
    }

    @AfterAll
    static void removeNetwork() {
        if (topology != null) topology.close();
    }

    @AfterEach
    void stopDirectorAndRestoreServers() {
        if (director != null) director.close();
        for (int k = 1; k <= servers.size(); k++) {
            if (!servers.get(k - 1).isAlive()) servers.set(k - 1, ServerLauncher.startHttpIdentityServer(topology, k, PORT));
        }
    }

    @Test
    void httpGetTakesAStoppedServerOutWithinTheBoundAndBackAfterOneGoodCheck() throws Exception {
        director = start(config("""
                HTTP_GET {
                    url {
                        path /
                        status_code 200
                    }
                    connect_timeout 1
                    retry 1
                    delay_before_retry 1
                }
                """, ""));
        awaitServers(3);
        try (RequestLoop load = RequestLoop.start(topology, "hc-http-load", PORT)) {
            RequestLoop.Outcome before = load.awaitMoreBatches(2);
            assertEquals(Map.of("rs1", 10, "rs2", 10, "rs3", 10).keySet(), before.perServer().keySet(),
                    "all three serve: " + before);

            LocalTime stoppedAt = LocalTime.now();
            servers.get(1).stop(Duration.ofSeconds(5));
            awaitServers(2);
            Duration detection = Duration.between(stoppedAt,
                    HealthTransitions.downLoggedAt(director, topology.serverAddress(2) + ":" + PORT));
            assertTrue(detection.compareTo(DETECTION_BOUND) <= 0, "taken out after " + detection);

            RequestLoop.Outcome afterRemoval = load.awaitMoreBatches(1);
            RequestLoop.Outcome later = load.awaitMoreBatches(3);
            assertEquals(0, later.failuresSince(afterRemoval), "requests failed after the removal: " + later);
            assertFalse(later.perServerSince(afterRemoval).containsKey("rs2"), "no request reaches the stopped server");

            servers.set(1, ServerLauncher.startHttpIdentityServer(topology, 2, PORT));
            awaitServers(3);
            RequestLoop.Outcome back = load.awaitMoreBatches(1);
            RequestLoop.Outcome balanced = load.awaitMoreBatches(2);
            assertEquals(0, balanced.failuresSince(back), "requests failed once it was back: " + balanced);
            assertEquals(List.of("rs1", "rs2", "rs3"), List.copyOf(balanced.perServerSince(back).keySet()),
                    "balanced over the three again");
        }
        assertTrue(director.jlvs("status").stdoutOrThrow().contains("UP"), "status shows the servers' state");
    }

    @Test
    void tcpCheckTakesAStoppedServerOutWithinTheBound() {
        director = start(config("""
                TCP_CHECK {
                    connect_timeout 1
                    retry 1
                    delay_before_retry 1
                }
                """, ""));
        awaitServers(3);
        LocalTime stoppedAt = LocalTime.now();
        servers.get(2).stop(Duration.ofSeconds(5));
        awaitServers(2);
        Duration detection = Duration.between(stoppedAt,
                HealthTransitions.downLoggedAt(director, topology.serverAddress(3) + ":" + PORT));
        assertTrue(detection.compareTo(DETECTION_BOUND) <= 0, "taken out after " + detection);
        assertTrue(director.jlvs("status", "--json").stdoutOrThrow().contains("\"lastResult\" : \"connection refused\""),
                "the reason is in the status");
    }

    @Test
    void miscCheckDynamicWeightFollowsTheScriptsExitCode() throws IOException {
        Path code = topology.processes().logDirectory().resolve("misc-exit-code");
        Files.writeString(code, "7");
        Path script = topology.processes().logDirectory().resolve("misc-check.sh");
        Files.writeString(script, "#!/bin/sh\nexit $(cat " + code + ")\n");
        script.toFile().setExecutable(true);
        director = start(config("MISC_CHECK {\n    misc_path \"" + script + "\"\n    misc_timeout 2\n    misc_dynamic\n}\n", ""));
        awaitWeights("5", "5", "5");
        Files.writeString(code, "3");
        awaitWeights("1", "1", "1");
        Files.writeString(code, "1");
        awaitServers(0);
    }

    @Test
    void inhibitOnFailureKeepsTheEstablishedConnectionWhileNewOnesAvoidTheServer() throws Exception {
        List<BackgroundProcess> checkServers = ServerLauncher.startHttpIdentityServers(topology, CHECK_PORT);
        try {
            director = start(config("""
                    inhibit_on_failure
                    HTTP_GET {
                        url {
                            path /
                        }
                        connect_port 8080
                        connect_timeout 1
                        retry 0
                    }
                    """, ""));
            awaitServers(3);
            SlowUpload upload = SlowUpload.start(topology, "hc-inhibit-upload", PORT);
            Conditions.await("the upload established", Duration.ofSeconds(20),
                    () -> ServiceRows.serverWithActiveConnection(director.admOrThrow("-L", "-n")) != null);
            String busy = ServiceRows.serverWithActiveConnection(director.admOrThrow("-L", "-n"));
            int k = topology.serverAddresses().indexOf(busy.substring(0, busy.indexOf(':'))) + 1;
            checkServers.get(k - 1).stop(Duration.ofSeconds(5));
            Conditions.await(busy + " at weight 0", Duration.ofSeconds(10),
                    () -> ServiceRows.weight(director.admOrThrow("-L", "-n"), busy).equals("0"));
            assertTrue(upload.isAlive(), "the upload still runs");
            ClientRequests.Batch batch = ClientRequests.get(topology, PORT, 9);
            assertEquals(9, batch.replies().size(), "new requests are answered");
            assertFalse(batch.perServer().containsKey(topology.serverName(k)), "new requests avoid " + busy);
            upload.finish(Duration.ofSeconds(60));
        } finally {
            checkServers.forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
    }

    @Test
    void losingQuorumSendsClientsToTheSorryServerAndRegainingItBringsThemBack() {
        BackgroundProcess sorry = ServerLauncher.startJava(topology.processes(), topology.serverNamespace(1),
                "sorry-http", HttpIdentityServer.class, "sorry", Integer.toString(SORRY_PORT));
        sorry.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
        try {
            director = start(config("""
                    TCP_CHECK {
                        connect_timeout 1
                        retry 0
                    }
                    """, "quorum 2\n    sorry_server " + topology.serverAddress(1) + " " + SORRY_PORT + "\n"));
            awaitServers(3);
            assertFalse(ClientRequests.get(topology, PORT, 6).perServer().containsKey("sorry"), "quorum holds");
            for (BackgroundProcess s : servers) s.stop(Duration.ofSeconds(5));
            Conditions.await("the sorry server serving", Duration.ofSeconds(15),
                    () -> ClientRequests.get(topology, PORT, 3).perServer().keySet().equals(java.util.Set.of("sorry")));
            assertTrue(director.jlvs("status").stdoutOrThrow().contains("LOST"), "status says quorum is lost");
            for (int k = 1; k <= servers.size(); k++) servers.set(k - 1, ServerLauncher.startHttpIdentityServer(topology, k, PORT));
            Conditions.await("the real servers serving again", Duration.ofSeconds(15),
                    () -> !ClientRequests.get(topology, PORT, 6).perServer().containsKey("sorry"));
            assertFalse(director.admOrThrow("-L", "-n").contains(":" + SORRY_PORT), "the sorry server left");
        } finally {
            sorry.stop(Duration.ofSeconds(5));
        }
    }

    /** A keepalived.conf: the VIP's port 80, round robin, every server with the given checker block. */
    private static Path config(String checker, String serviceExtra) {
        StringBuilder conf = new StringBuilder("virtual_server " + topology.vip() + " " + PORT + " {\n"
                + "    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n    " + serviceExtra);
        for (String address : topology.serverAddresses()) {
            conf.append("    real_server ").append(address).append(' ').append(PORT).append(" {\n        weight 1\n")
                .append(checker.indent(8)).append("    }\n");
        }
        conf.append("}\n");
        return ClientRequests.write(topology, "keepalived.conf", conf.toString().getBytes());
    }

    private static JlvsDirector start(Path config) {
        return JlvsDirector.start(topology, "nat", "afpacket", START, List.of("--config", config.toString()));
    }

    private void awaitServers(int n) {
        Conditions.await(n + " real servers in force", Duration.ofSeconds(20),
                () -> ServiceRows.servers(director.admOrThrow("-L", "-n")).size() == n);
    }

    private void awaitWeights(String... weights) {
        Conditions.await("weights " + List.of(weights), Duration.ofSeconds(20),
                () -> ServiceRows.servers(director.admOrThrow("-L", "-n")).values().stream().toList()
                        .equals(List.of(weights)));
    }
}
