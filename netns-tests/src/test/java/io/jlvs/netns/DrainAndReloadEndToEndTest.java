package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's side of the health engine through the real daemon: `jlvs drain` keeps a long connection flowing
 * while new connections avoid the server and `--wait` returns when it ends; SIGHUP applies a changed weight and an
 * added server under steady load without losing a request or a long connection, and a broken file leaves the running configuration
 * alone with its error reported by line.
 */
class DrainAndReloadEndToEndTest {
    static final int PORT = 80;

    static LvsTopology topology;
    JlvsDirector director;
    Path config;

    @BeforeAll
    static void network() {
        topology = LvsTopology.nat("jlvsdr", 3);
        ServerLauncher.startHttpIdentityServers(topology, PORT);
    }

    @AfterAll
    static void removeNetwork() {
        if (topology != null) topology.close();
    }

    @AfterEach
    void stopDirector() {
        if (director != null) director.close();
    }

    @Test
    void drainKeepsTheLongConnectionWaitReturnsWhenItEndsAndUndrainRestores() {
        start(Map.of(1, 1, 2, 1));
        SlowUpload upload = SlowUpload.start(topology, "drain-upload", PORT);
        Conditions.await("the upload established", Duration.ofSeconds(20),
                () -> ServiceRows.serverWithActiveConnection(director.admOrThrow("-L", "-n")) != null);
        String busy = ServiceRows.serverWithActiveConnection(director.admOrThrow("-L", "-n"));
        String busyName = topology.serverName(topology.serverAddresses().indexOf(busy.split(":")[0]) + 1);
        String service = topology.vip() + ":" + PORT;

        director.jlvs("drain", service, busy).stdoutOrThrow();
        assertEquals("0", ServiceRows.weight(director.admOrThrow("-L", "-n"), busy), "drained to weight 0");
        BackgroundProcess wait = topology.processes().start(topology.directorNamespace(), "drain-wait",
                List.of(director.home().resolve("bin/jlvs").toString(), "drain", "--control",
                        director.controlSocket().toString(), service, busy, "--wait", "--timeout", "90s"));
        Conditions.await("drain --wait following the connection", Duration.ofSeconds(30),
                () -> wait.logText().contains("1 active"));
        ClientRequests.Batch batch = ClientRequests.get(topology, PORT, 8);
        assertEquals(8, batch.replies().size(), batch.describe());
        assertFalse(batch.perServer().containsKey(busyName), "new connections avoid the drained server: " + batch.describe());
        assertTrue(upload.isAlive() && wait.isAlive(), "the long connection and the wait both go on");

        upload.finish(Duration.ofSeconds(60));
        Conditions.await("drain --wait returning", Duration.ofSeconds(10), () -> !wait.isAlive());
        assertTrue(wait.logText().contains(busy + " drained"), wait.logTail(5));
        assertEquals(0, wait.exitCode(), wait.logTail(5));

        director.jlvs("undrain", service, busy).stdoutOrThrow();
        assertEquals("1", ServiceRows.weight(director.admOrThrow("-L", "-n"), busy), "weight restored");
        assertTrue(ClientRequests.get(topology, PORT, 8).perServer().containsKey(busyName), "back in rotation");

        director.jlvs("drain", service, busy, "--remove").stdoutOrThrow();
        assertFalse(ServiceRows.servers(director.admOrThrow("-L", "-n")).containsKey(busy), "removed");
    }

    @Test
    void sighupAppliesAWeightAndANewServerUnderLoadAndABrokenFileChangesNothing() throws Exception {
        start(Map.of(1, 1, 2, 1));
        String rs1 = topology.serverAddress(1) + ":" + PORT, rs3 = topology.serverAddress(3) + ":" + PORT;
        try (RequestLoop load = RequestLoop.start(topology, "reload-load", PORT)) {
            SlowUpload upload = SlowUpload.start(topology, "reload-upload", PORT);
            Conditions.await("the long connection established", Duration.ofSeconds(20),
                    () -> ServiceRows.serverWithActiveConnection(director.admOrThrow("-L", "-n")) != null);
            RequestLoop.Outcome before = load.awaitMoreBatches(2);

            write(Map.of(1, 3, 2, 1, 3, 1));
            CommandResult hup = topology.processes().run(topology.directorNamespace(),
                    List.of("kill", "-HUP", Long.toString(director.daemon().pid())), Duration.ofSeconds(5));
            assertEquals(0, hup.exitCode(), hup.describe());
            try {
                Conditions.await("the new weight and the new server in force", Duration.ofSeconds(15), () -> {
                    Map<String, String> rows = ServiceRows.servers(director.admOrThrow("-L", "-n"));
                    return "3".equals(rows.get(rs1)) && rows.containsKey(rs3);
                });
            } catch (IllegalStateException e) {
                CommandResult threads = topology.processes().run(topology.directorNamespace(),
                        List.of(ProcessHandle.current().info().command().orElseThrow().replace("/bin/java", "/bin/jcmd"),
                                Long.toString(director.daemon().pid()), "Thread.print"), Duration.ofSeconds(20));
                throw new AssertionError(e.getMessage() + "\n" + director.admOrThrow("-L", "-n") + "\n"
                        + director.daemon().logTail(30) + "\n" + threads.stdout(), e);
            }
            RequestLoop.Outcome reloaded = load.awaitMoreBatches(1);
            RequestLoop.Outcome after = load.awaitMoreBatches(3);
            assertTrue(after.perServerSince(reloaded).containsKey("rs3"), "the added server serves: " + after);
            assertEquals(0, after.failuresSince(before), "requests failed across the reload: " + after);

            Map<String, String> inForce = ServiceRows.servers(director.admOrThrow("-L", "-n"));
            Files.writeString(config, Files.readString(config).replaceFirst("lb_algo wrr", "lb_algo wrr\n    lb_agol rr"));
            CommandResult refused = director.jlvs("reload");
            assertNotEquals(0, refused.exitCode(), "a broken file is refused");
            String error = config + ":3: lb_agol: unknown keyword";
            assertTrue(refused.stderr().contains(error), "the error with its line: " + refused.describe());
            assertTrue(director.daemon().logText().contains(error), "the error in the log");
            RequestLoop.Outcome end = load.awaitMoreBatches(2);
            assertEquals(inForce, ServiceRows.servers(director.admOrThrow("-L", "-n")), "the running configuration stays");
            assertEquals(0, end.failuresSince(before), "requests failed: " + end);
            upload.finish(Duration.ofSeconds(60)); // the long connection outlived both reloads
        }
    }

    /** Writes keepalived.conf with the given servers (index to weight), each TCP-checked, and starts the daemon. */
    private void start(Map<Integer, Integer> weights) {
        config = topology.processes().logDirectory().resolve("keepalived-" + System.nanoTime() + ".conf");
        write(weights);
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                List.of("--config", config.toString()));
        Conditions.await(weights.size() + " servers in force", Duration.ofSeconds(20),
                () -> ServiceRows.servers(director.admOrThrow("-L", "-n")).size() == weights.size());
    }

    private void write(Map<Integer, Integer> weights) {
        StringBuilder conf = new StringBuilder("virtual_server " + topology.vip() + " " + PORT + " {\n"
                + "    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n    delay_loop 1\n");
        for (int k = 1; k <= topology.serverCount(); k++) {
            if (!weights.containsKey(k)) continue;
            conf.append("    real_server ").append(topology.serverAddress(k)).append(' ').append(PORT).append(" {\n")
                .append("        weight ").append(weights.get(k)).append('\n')
                .append("        TCP_CHECK {\n            connect_timeout 1\n        }\n    }\n");
        }
        conf.append("}\n");
        try {
            Files.writeString(config, conf);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
