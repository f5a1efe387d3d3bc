package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PROXY v2 header on an IPv6 FullNAT service end to end: nginx with {@code listen [::]:80 proxy_protocol} on an
 * IPv6 real server without a route to the client reads the client's IPv6 address from the header (AF_INET6) for
 * every request, logs it beside the local address the connection came from, and passes 16 MiB each way intact
 * (the header's shift of every later sequence and acknowledgement number, both ways, over a whole transfer).
 */
class FullNat6ProxyProtocolTest {
    static final int PORT = FullNatEndToEndTest.PORT, BACKEND_PORT = FullNatEndToEndTest.BACKEND_PORT, REQUESTS = 20;
    static final String LOCAL_ADDRESS6 = "fd00:2::50", SERVER_LAN6 = "fd00:2::/64";
    static final long BIG = 16L << 20;

    @Test
    void nginxBehindTheIpv6ProxyHeaderLogsEveryClientsAddressAndPassesSixteenMebibytesEachWay() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsf6p", 1).withIpv6()) {
            topology.inServer(1, "ip", "-6", "route", "del", "default");
            CommandResult route = topology.inServer(1, "ip", "-6", "route", "get", LvsTopology.CLIENT_ADDRESS6);
            assertFalse(route.succeeded(), "the server has no route to the client: " + route.describe());
            assertTrue(topology.inServer(1, "ip", "-6", "route", "get", LOCAL_ADDRESS6).succeeded(),
                    "but reaches its LAN");
            ServerLauncher.startHttpIdentityServer(topology, 1, BACKEND_PORT);
            Path logs = topology.processes().logDirectory();
            Path access = logs.resolve("nginx-access.log");
            BackgroundProcess nginx = FullNatEndToEndTest.startNginx(topology, logs, access, "[::]:" + PORT,
                    SERVER_LAN6);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = "[" + LvsTopology.VIP6 + "]:" + PORT;
                director.restore("-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS6 + "\n-a -t " + service
                        + " -r [" + topology.serverAddress6(1) + "]:" + PORT + " --fullnat --proxy-protocol\n");
                String saved = director.admOrThrow("-S", "-n");
                assertTrue(saved.contains("--proxy-protocol"), saved);
                for (int i = 0; i < REQUESTS; i++) {
                    String who = curl(topology, "--max-time", "5", "http://" + service + "/who").stdoutOrThrow().strip();
                    assertEquals(LvsTopology.CLIENT_ADDRESS6 + " " + LvsTopology.CLIENT_ADDRESS6, who,
                            "nginx's $remote_addr and $proxy_protocol_addr");
                }
                Conditions.await("nginx's log of every request", Duration.ofSeconds(10),
                        () -> FullNatEndToEndTest.lineCount(access) >= REQUESTS);
                List<String> lines = Files.readAllLines(access);
                assertEquals(REQUESTS, lines.size(), String.join("\n", lines));
                for (String line : lines) {
                    assertTrue(line.startsWith(LvsTopology.CLIENT_ADDRESS6 + " " + LOCAL_ADDRESS6 + " "),
                            "the real client and the local address it came through: " + line);
                }

                Path download = logs.resolve("download");
                CommandResult got = curl(topology, "--max-time", "120", "-o", download.toString(),
                        "http://" + service + "/bytes/" + BIG);
                assertTrue(got.succeeded(), got.describe());
                assertEquals(BIG, Files.size(download));
                assertEquals(PatternFiles.digestOfPattern(BIG), PatternFiles.digest(download),
                        "16 MiB from the server, intact");
                Files.delete(download);

                Path upload = logs.resolve("upload");
                PatternFiles.write(upload, BIG);
                String served = curl(topology, "--max-time", "120", "-H", "Expect:", "--data-binary", "@" + upload,
                        "http://" + service + "/digest").stdoutOrThrow().strip();
                Files.delete(upload);
                assertEquals(PatternFiles.digestOfPattern(BIG), served, "16 MiB to the server, intact");
                assertTrue(nginx.isAlive(), nginx.logTail(20));
            } finally {
                nginx.stop(Duration.ofSeconds(5));
            }
        }
    }

    /** curl in the client's namespace; -g: the brackets of an IPv6 URL are no glob. */
    private static CommandResult curl(LvsTopology topology, String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "-g"));
        command.addAll(List.of(arguments));
        return topology.processes().run(topology.clientNamespace(), command, Duration.ofSeconds(150));
    }
}
