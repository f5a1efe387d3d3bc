package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * phttp through a real daemon, administered with tcpvsadm: curl sends several requests on one connection and each
 * lands where its own rule says, the hits counted in -L; bodies of both framings and a large download share one
 * connection intact.
 */
class Layer7PhttpEndToEndTest {

    static LvsTopology topology;
    static JlvsDirector director;
    static Layer7Setup setup;

    @BeforeAll
    static void start() {
        setup = Layer7Setup.start("jlvsph");
        topology = setup.topology;
        director = setup.director;
    }

    @AfterAll
    static void stop() {
        if (setup != null) setup.close();
    }

    /** curl's output lines that are not empty. */
    private static List<String> curl(List<String> args) {
        List<String> command = new ArrayList<>(List.of("curl"));
        command.addAll(args);
        CommandResult r = topology.processes().run(topology.clientNamespace(), command, Duration.ofSeconds(90));
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void eachRequestOfOneConnectionLandsWhereItsRuleSays() {
        setup.tcpvs("-A", "-i", "web", "-s", "phttp", "-P", "8080");
        for (int k = 1; k <= 3; k++) setup.tcpvs("-a", "-i", "web", "-r", setup.rs(k));
        setup.tcpvs("--add-rule", "-i", "web", "-p", "^/images/", "-r", setup.rs(1));
        setup.tcpvs("--add-rule", "-i", "web", "-p", "^/api/", "-r", setup.rs(2));
        setup.tcpvs("--add-rule", "-i", "web", "-p", ".*", "-r", setup.rs(3));
        setup.tcpvs("--start", "-i", "web");

        List<String> paths = List.of("/images/a.png", "/api/users", "/images/b.png", "/index.html", "/api/orders",
                "/images/c.png");
        List<String> args = new ArrayList<>(List.of("-sS", "--max-time", "20", "-w", "connects=%{num_connects}\\n"));
        for (String p : paths) args.add(setup.url(8080, p));
        List<String> lines = curl(args);
        assertEquals(2 * paths.size(), lines.size(), String.join("\n", lines));
        List<String> served = new ArrayList<>();
        int connects = 0;
        for (int i = 0; i < paths.size(); i++) {
            served.add(HttpIdentityServer.Reply.parse(lines.get(2 * i)).server());
            connects += Integer.parseInt(lines.get(2 * i + 1).substring("connects=".length()));
        }
        assertEquals(List.of("rs1", "rs2", "rs1", "rs3", "rs2", "rs1"), served);
        assertEquals(1, connects, "curl opened one connection for the six requests: " + lines);

        String all = director.tcpvs("-L", "-n").stdoutOrThrow();
        String listing = all.substring(all.indexOf("Virtual web {"));
        listing = listing.substring(0, listing.indexOf("\n}") + 2);
        assertTrue(ruleLine(listing, "^/images/").endsWith("# 3 hits"), listing);
        assertTrue(ruleLine(listing, "^/api/").endsWith("# 2 hits"), listing);
        assertTrue(ruleLine(listing, ".*").endsWith("# 1 hit"), listing);
        assertTrue(listing.contains("scheduler = phttp"), listing);
    }

    private static String ruleLine(String listing, String pattern) {
        return listing.lines().filter(l -> l.contains("pattern \"" + pattern + "\"")).findFirst().orElse("").strip();
    }

    @Test
    void bodiesOfBothFramingsAndALargeDownloadShareOneConnectionIntact() throws Exception {
        setup.tcpvs("-A", "-i", "bulk", "-s", "phttp", "-P", "8081");
        setup.tcpvs("-a", "-i", "bulk", "-r", setup.rs(1));
        setup.tcpvs("--add-rule", "-i", "bulk", "-p", ".*", "-r", setup.rs(1));
        setup.tcpvs("--start", "-i", "bulk");
        Path upload = topology.processes().logDirectory().resolve("phttp-upload");
        Path download = topology.processes().logDirectory().resolve("phttp-download");
        byte[] data = new byte[8 << 20];
        new Random(11).nextBytes(data);
        Files.write(upload, data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        long big = 32L << 20;
        try {
            String w = "connects=%{num_connects}\\n";
            List<String> lines = curl(List.of("-sS", "--max-time", "60", "-w", "\\n" + w,
                    "--data-binary", "@" + upload, setup.url(8081, "/digest"),
                    "--next", "-sS", "--max-time", "60", "-w", "\\n" + w, "-H", "Transfer-Encoding: chunked",
                    "--data-binary", "@" + upload, setup.url(8081, "/digest"),
                    "--next", "-sS", "--max-time", "60", "-w", w, "-o", download.toString(), setup.url(8081, "/bytes/" + big)));
            assertEquals(List.of(sha, "connects=1", sha, "connects=0", "connects=0"), lines,
                    "8 MiB with Content-Length, then chunked, then a download, on one connection");
            assertEquals(big, Files.size(download));
            assertEquals(PatternFiles.digestOfPattern(big), PatternFiles.digest(download), "32 MiB through phttp");
        } finally {
            Files.deleteIfExists(upload);
            Files.deleteIfExists(download);
        }
    }
}
