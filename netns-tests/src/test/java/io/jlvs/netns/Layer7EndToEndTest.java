package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
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
    static final long BIG = 64L << 20;

    static LvsTopology topology;
    static JlvsDirector director;
    static Layer7Setup setup;

    @BeforeAll
    static void start() {
        setup = Layer7Setup.start("jlvsl7");
        topology = setup.topology;
        director = setup.director;
    }

    @AfterAll
    static void stop() {
        if (setup != null) setup.close();
    }

    /** The server that answered a GET from the client, by HttpIdentityServer's reply. */
    private static String served(int port, String path) {
        String body = topology.inClient("curl", "-sS", "--max-time", "5",
                "http://" + topology.directorClientAddress() + ":" + port + path).stdoutOrThrow().strip();
        return HttpIdentityServer.Reply.parse(body).server();
    }

    @Test
    void rulesPlaceRequestsAndCountHitsAndHhttpKeepsKeys() {
        setup.tcpvs("-A", "-i", "web", "-s", "http", "-P", "8080");
        for (int k = 1; k <= 3; k++) setup.tcpvs("-a", "-i", "web", "-r", setup.rs(k));
        setup.tcpvs("--add-rule", "-i", "web", "-p", "^/images/", "-r", setup.rs(1));
        setup.tcpvs("--add-rule", "-i", "web", "-p", ".*", "-r", setup.rs(3));
        setup.tcpvs("-A", "-i", "api", "-s", "hhttp", "-P", "8081");
        setup.tcpvs("-a", "-i", "api", "-r", setup.rs(2));
        setup.tcpvs("-a", "-i", "api", "-r", setup.rs(3));
        setup.tcpvs("--add-rule", "-i", "api", "-p", "^/api/([a-z0-9]+)", "-m", "1", "-r", setup.rs(2));
        setup.tcpvs("--add-rule", "-i", "api", "-p", "^/api/([a-z0-9]+)", "-m", "1", "-r", setup.rs(3));
        setup.tcpvs("--start");

        for (int i = 0; i < 3; i++) assertEquals("rs1", served(8080, "/images/a" + i + ".png"));
        for (int i = 0; i < 2; i++) assertEquals("rs3", served(8080, "/index" + i + ".html"));
        Map<String, String> keys = new HashMap<>();
        for (int k = 0; k < 12; k++) keys.put("u" + k, served(8081, "/api/u" + k));
        for (int k = 0; k < 12; k++) assertEquals(keys.get("u" + k), served(8081, "/api/u" + k + "/again"), "key u" + k);
        assertTrue(keys.containsValue("rs2") && keys.containsValue("rs3"), "keys spread over both servers: " + keys);

        String listing = director.tcpvs("-L", "-n").stdoutOrThrow();
        assertTrue(listing.contains("rule = pattern \"^/images/\" use server " + setup.rs(1)) && listing.contains("# 3 hits"),
                listing);
        assertTrue(listing.contains("# 2 hits"), "the catch-all's hits: " + listing);
    }

    /**
     * chttp: a client that has the cookie of the first answer keeps its server on new connections, even when the
     * scheduler would now choose another one for a client without it (shown in the same test).
     */
    @Test
    void chttpPinsAClientByCookieAcrossConnections() {
        setup.tcpvs("-A", "-i", "pin", "-s", "chttp", "-P", "8083");
        setup.tcpvs("-a", "-i", "pin", "-r", setup.rs(1));
        setup.tcpvs("-a", "-i", "pin", "-r", setup.rs(2));
        setup.tcpvs("--add-rule", "-i", "pin", "-p", ".*", "-r", setup.rs(1));
        setup.tcpvs("--add-rule", "-i", "pin", "-p", ".*", "-r", setup.rs(2));
        setup.tcpvs("--start", "-i", "pin");
        String jar = topology.processes().logDirectory().resolve("chttp-cookies").toString();
        // the first answer: rs1 (both idle, the first wins), with the cookie that names it
        assertEquals("rs1", pinnedGet(jar, "/first"));
        // a slow download with the cookie keeps rs1 busy, so a client without the cookie now gets rs2
        topology.inClient("sh", "-c", "timeout 30 curl -s -o /dev/null --limit-rate 20k -b " + jar + " "
                + setup.url(8083, "/bytes/100000000") + " >/dev/null 2>&1 &").stdoutOrThrow();
        Conditions.await("rs1 busy with the slow download", Duration.ofSeconds(10),
                () -> director.tcpvs("-L", "-n", "-i", "pin").stdoutOrThrow().lines()
                        .anyMatch(l -> l.contains("server = " + setup.rs(1) + " ") && l.contains(" 1 active connection")));
        assertEquals("rs2", served(8083, "/no-cookie"), "a client without the cookie");
        for (int i = 0; i < 5; i++) assertEquals("rs1", pinnedGet(jar, "/again" + i), "request " + i + " with the cookie");
    }

    /** A GET on a new connection that sends and keeps the cookies of {@code jar}; the server that answered. */
    private static String pinnedGet(String jar, String path) {
        String body = topology.inClient("curl", "-sS", "--max-time", "5", "-b", jar, "-c", jar, setup.url(8083, path))
                .stdoutOrThrow().strip();
        return HttpIdentityServer.Reply.parse(body).server();
    }

    @Test
    void aThousandConcurrentConnectionsLeaveNoDescriptorBehind() throws Exception {
        setup.tcpvs("-A", "-i", "many", "-s", "http", "-P", "8085");
        for (int k = 1; k <= 3; k++) setup.tcpvs("-a", "-i", "many", "-r", setup.rs(k));
        setup.tcpvs("--add-rule", "-i", "many", "-p", ".*", "-r", setup.rs(1));
        setup.tcpvs("--add-rule", "-i", "many", "-p", ".*", "-r", setup.rs(2));
        setup.tcpvs("--add-rule", "-i", "many", "-p", ".*", "-r", setup.rs(3));
        setup.tcpvs("--start", "-i", "many");
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
            setup.tcpvs("-A", "-i", ident, "-s", "http", "-P", Integer.toString(port), "--splice", mode);
            setup.tcpvs("-a", "-i", ident, "-r", setup.rs(1));
            setup.tcpvs("--add-rule", "-i", ident, "-p", ".*", "-r", setup.rs(1));
            setup.tcpvs("--start", "-i", ident);
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
