package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer-7 proxy through a real daemon, administered with tcpvsadm: content rules place requests where they
 * say and count their hits in -L, hhttp keeps each key on one server, and a large download through each splice
 * mode arrives intact.
 */
class Layer7EndToEndTest {
    static final int PORT = 80;
    static final long BIG = 64L << 20;

    static LvsTopology topology;
    static JlvsDirector director;

    @BeforeAll
    static void start() {
        topology = LvsTopology.nat("jlvsl7", 3);
        ServerLauncher.startHttpIdentityServers(topology, PORT);
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120), List.of());
    }

    @AfterAll
    static void stop() {
        if (director != null) director.close();
        if (topology != null) topology.close();
    }

    private static String rs(int k) {
        return topology.serverAddress(k) + ":" + PORT;
    }

    private static void tcpvs(String... args) {
        CommandResult r = director.tcpvs(args);
        assertEquals(0, r.exitCode(), "tcpvsadm " + String.join(" ", args) + ": " + r.describe());
    }

    /** The server that answered a GET from the client, by HttpIdentityServer's reply. */
    private static String served(int port, String path) {
        String body = topology.inClient("curl", "-sS", "--max-time", "5",
                "http://" + topology.directorClientAddress() + ":" + port + path).stdoutOrThrow().strip();
        return HttpIdentityServer.Reply.parse(body).server();
    }

    @Test
    void rulesPlaceRequestsAndCountHitsAndHhttpKeepsKeys() {
        tcpvs("-A", "-i", "web", "-s", "http", "-P", "8080");
        for (int k = 1; k <= 3; k++) tcpvs("-a", "-i", "web", "-r", rs(k));
        tcpvs("--add-rule", "-i", "web", "-p", "^/images/", "-r", rs(1));
        tcpvs("--add-rule", "-i", "web", "-p", ".*", "-r", rs(3));
        tcpvs("-A", "-i", "api", "-s", "hhttp", "-P", "8081");
        tcpvs("-a", "-i", "api", "-r", rs(2));
        tcpvs("-a", "-i", "api", "-r", rs(3));
        tcpvs("--add-rule", "-i", "api", "-p", "^/api/([a-z0-9]+)", "-m", "1", "-r", rs(2));
        tcpvs("--add-rule", "-i", "api", "-p", "^/api/([a-z0-9]+)", "-m", "1", "-r", rs(3));
        tcpvs("--start");

        for (int i = 0; i < 3; i++) assertEquals("rs1", served(8080, "/images/a" + i + ".png"));
        for (int i = 0; i < 2; i++) assertEquals("rs3", served(8080, "/index" + i + ".html"));
        Map<String, String> keys = new HashMap<>();
        for (int k = 0; k < 12; k++) keys.put("u" + k, served(8081, "/api/u" + k));
        for (int k = 0; k < 12; k++) assertEquals(keys.get("u" + k), served(8081, "/api/u" + k + "/again"), "key u" + k);
        assertTrue(keys.containsValue("rs2") && keys.containsValue("rs3"), "keys spread over both servers: " + keys);

        String listing = director.tcpvs("-L", "-n").stdoutOrThrow();
        assertTrue(listing.contains("rule = pattern \"^/images/\" use server " + rs(1)) && listing.contains("# 3 hits"),
                listing);
        assertTrue(listing.contains("# 2 hits"), "the catch-all's hits: " + listing);
    }

    @Test
    void aThousandConcurrentConnectionsLeaveNoDescriptorBehind() throws Exception {
        tcpvs("-A", "-i", "many", "-s", "http", "-P", "8085");
        for (int k = 1; k <= 3; k++) tcpvs("-a", "-i", "many", "-r", rs(k));
        tcpvs("--add-rule", "-i", "many", "-p", ".*", "-r", rs(1));
        tcpvs("--add-rule", "-i", "many", "-p", ".*", "-r", rs(2));
        tcpvs("--add-rule", "-i", "many", "-p", ".*", "-r", rs(3));
        tcpvs("--start", "-i", "many");
        served(8085, "/warm");
        Path fds = Path.of("/proc/" + director.daemon().pid() + "/fd");
        long before = descriptors(fds);
        String url = "http://" + topology.directorClientAddress() + ":8085/n";
        CommandResult many = topology.processes().run(topology.clientNamespace(), List.of("sh", "-c",
                "for i in $(seq 1000); do echo \"url = $0$i\"; echo \"output = /dev/null\"; done | "
                        + "curl -sS --parallel --parallel-max 250 --max-time 20 -w '%{http_code}\\n' -K -", url),
                Duration.ofSeconds(60));
        long ok = many.stdout().lines().filter(l -> l.equals("200")).count();
        assertEquals(1000, ok, many.describe());
        io.jlvs.tools.netns.Conditions.await("the daemon's descriptors back to where they were", Duration.ofSeconds(10),
                () -> descriptors(fds) <= before + 2);
    }

    private static long descriptors(Path fds) {
        try (var list = Files.list(fds)) {
            return list.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLargeDownloadThroughEachSpliceModeIsIntact() throws Exception {
        int port = 8090;
        for (String mode : List.of("sockmap", "pipe", "copy")) {
            String ident = "bulk" + mode;
            tcpvs("-A", "-i", ident, "-s", "http", "-P", Integer.toString(port), "--splice", mode);
            tcpvs("-a", "-i", ident, "-r", rs(1));
            tcpvs("--add-rule", "-i", ident, "-p", ".*", "-r", rs(1));
            tcpvs("--start", "-i", ident);
            Path download = topology.processes().logDirectory().resolve("download-" + mode);
            topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS", "--max-time", "60", "-o",
                    download.toString(), "http://" + topology.directorClientAddress() + ":" + port + "/bytes/" + BIG),
                    Duration.ofSeconds(90)).stdoutOrThrow();
            assertEquals(BIG, Files.size(download), mode);
            assertEquals(PatternFiles.digestOfPattern(BIG), PatternFiles.digest(download), "64 MiB through " + mode);
            Files.delete(download);
            port++;
        }
    }
}
