package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP surface of a real daemon (`--http` with a keepalived.conf and its health checks): the token file it
 * creates, drain and undrain through the API as `jlvs drain` does them, the API's counters against jlvsadm's, and
 * /metrics accepted by promtool with the requests sent counted per real server.
 */
class ConsoleApiEndToEndTest {
    static final int PORT = 80;
    static final String LISTENER = "127.0.0.1:9180";
    private static final ObjectMapper JSON = new ObjectMapper();

    static LvsTopology topology;
    static JlvsDirector director;
    static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        topology = LvsTopology.nat("jlvsapi", 2);
        ServerLauncher.startHttpIdentityServers(topology, PORT);
        Path config = topology.processes().logDirectory().resolve("keepalived.conf");
        StringBuilder conf = new StringBuilder("virtual_server " + topology.vip() + " " + PORT + " {\n"
                + "    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n    delay_loop 1\n");
        for (int k = 1; k <= topology.serverCount(); k++) {
            conf.append("    real_server ").append(topology.serverAddress(k)).append(' ').append(PORT)
                    .append(" {\n        weight 2\n        TCP_CHECK {\n            connect_timeout 1\n        }\n    }\n");
        }
        Files.writeString(config, conf.append("}\n"));
        tokenFile = topology.processes().logDirectory().resolve("http/token");
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                List.of("--config", config.toString(), "--http", LISTENER, "--http-token-file", tokenFile.toString()));
        Conditions.await("both servers in force", Duration.ofSeconds(20),
                () -> ServiceRows.servers(director.admOrThrow("-L", "-n")).size() == 2);
    }

    @AfterAll
    static void stop() {
        if (director != null) director.close();
        if (topology != null) topology.close();
    }

    private static CommandResult curl(String... args) {
        List<String> argv = new ArrayList<>(List.of("curl", "-s", "--max-time", "10"));
        argv.addAll(List.of(args));
        return topology.processes().run(topology.directorNamespace(), argv, Duration.ofSeconds(15));
    }

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(curl("http://" + LISTENER + path).stdoutOrThrow());
    }

    private static String token() throws Exception {
        return Files.readString(tokenFile).strip();
    }

    @Test
    void theTokenFileIsCreatedPrivateAndItsPathLogged() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        assertTrue(director.daemon().logText().contains(tokenFile.toString()), "the log names the token file");
    }

    @Test
    void drainAndUndrainThroughTheApiAreJlvsDrains() throws Exception {
        String service = "tcp/" + topology.vip() + ":" + PORT;
        String server = topology.serverAddress(1) + ":" + PORT;
        String path = "http://" + LISTENER + "/api/v1/services/" + service + "/servers/" + server;
        CommandResult refused = curl("-X", "POST", path + "/drain");
        assertTrue(refused.stdout().contains("changes need the token"), refused.describe());
        assertEquals("2", ServiceRows.weight(director.admOrThrow("-L", "-n"), server), "nothing changed without the token");

        JsonNode drained = JSON.readTree(curl("-X", "POST", "-H", "Authorization: Bearer " + token(), path + "/drain")
                .stdoutOrThrow());
        assertEquals(0, drained.get("weight").asInt(), drained.toString());
        assertTrue(drained.get("health").get("drained").asBoolean(), drained.toString());
        assertEquals("0", ServiceRows.weight(director.admOrThrow("-L", "-n"), server));
        assertTrue(director.jlvs("status").stdoutOrThrow().contains("UP,DRAINED"), "jlvs status sees the API's drain");

        curl("-X", "POST", "-H", "Authorization: Bearer " + token(), path + "/undrain").stdoutOrThrow();
        assertEquals("2", ServiceRows.weight(director.admOrThrow("-L", "-n"), server), "the weight it had");
        Conditions.await("the log event in the API", Duration.ofSeconds(5), () -> {
            try {
                return get("/api/v1/log").toString().contains("undrained");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void metricsPassPromtoolAndCountTheRequestsPerServer() throws Exception {
        ClientRequests.Batch batch = ClientRequests.get(topology, PORT, 10);
        assertEquals(10, batch.replies().size(), batch.describe());
        String stats = director.admOrThrow("-L", "-n", "--stats");
        JsonNode services = get("/api/v1/services");
        long apiConnections = services.get("services").get(0).get("stats").get("connections").asLong();
        StatsListing listed = StatsListing.parse(stats, "TCP", topology.vip() + ":" + PORT);
        assertEquals(listed.serviceConnections(), apiConnections, "the API's counter is jlvsadm's: " + stats);

        Path scrape = topology.processes().logDirectory().resolve("metrics.txt");
        Files.writeString(scrape, curl("http://" + LISTENER + "/metrics").stdoutOrThrow());
        CommandResult promtool = topology.processes().run(topology.directorNamespace(),
                List.of("sh", "-c", "promtool check metrics < \"$0\"", scrape.toString()), Duration.ofSeconds(30));
        assertEquals(0, promtool.exitCode(), promtool.describe());
        long perServer = 0;
        for (String line : Files.readAllLines(scrape)) {
            if (line.startsWith("jlvs_real_server_connections_total{")) {
                perServer += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertEquals(apiConnections, perServer, "the servers' connection counters add up to the service's");
        assertTrue(apiConnections >= 10, "the 10 requests are counted: " + apiConnections);
    }
}
