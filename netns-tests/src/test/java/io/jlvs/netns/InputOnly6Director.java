package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.JlvsHome;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ProcessRunner;
import io.jlvs.tools.netns.RealServers;
import io.jlvs.tools.netns.ServerLauncher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IPv6 twin of the DR and TUN tests' set-up, for {@link Dr6EndToEndTest} and {@link Tun6EndToEndTest}: three
 * real servers prepared by `jlvs realserver --vip VIP6 --mode dr|tun`, each with an HTTP identity server, and a
 * director with one round-robin HTTP service on the IPv6 VIP forwarding to them by the method's flag; and the checks
 * both methods share (the server check, the spread, 1 MiB intact with the replies bypassing the director). Closing
 * undoes the servers and removes the namespaces, even after a failed start.
 */
final class InputOnly6Director implements AutoCloseable {
    static final int SERVERS = 3;
    static final int HTTP_PORT = 80;

    private final String mode;
    private LvsTopology topology;
    private JlvsDirector director;

    /**
     * @param mode       `jlvs realserver`'s and the daemon's mode: "dr" or "tun"
     * @param methodFlag jlvsadm's forwarding flag for the servers: "-g" or "-i"
     */
    InputOnly6Director(Supplier<LvsTopology> topologyWithIpv6, String mode, String methodFlag) {
        this(topologyWithIpv6, mode, methodFlag, DaemonVariant.PLAIN);
    }

    /** As {@link #InputOnly6Director(Supplier, String, String)}, the daemon run as {@code variant}. */
    InputOnly6Director(Supplier<LvsTopology> topologyWithIpv6, String mode, String methodFlag, DaemonVariant variant) {
        this.mode = mode;
        try {
            ProcessRunner runner = new ProcessRunner(Path.of(System.getProperty("java.io.tmpdir")), Map.of());
            runner.run(null, List.of(JlvsHome.locate().resolve("bin/jlvs").toString(), "--version"),
                    Duration.ofMinutes(5));
            topology = topologyWithIpv6.get();
            variant.prepare().accept(topology);
            RealServers.prepareAll(topology, mode, LvsTopology.VIP6);
            ServerLauncher.startHttpIdentityServers(topology, HTTP_PORT);
            director = JlvsDirector.start(topology, mode, "afpacket", Duration.ofSeconds(120), variant.options());
            String service = "[" + LvsTopology.VIP6 + "]:" + HTTP_PORT;
            StringBuilder rules = new StringBuilder("-A -t " + service + " -s rr\n");
            for (String server : topology.serverAddresses6()) {
                rules.append("-a -t ").append(service).append(" -r [").append(server).append("]:").append(HTTP_PORT)
                        .append(' ').append(methodFlag).append('\n');
            }
            director.restore(rules.toString());
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    LvsTopology topology() { return topology; }

    JlvsDirector director() { return director; }

    /** `jlvs realserver --check` finds a prepared server ready, and names a VIP it does not hold. */
    void assertRealserverCheckFindsThePreparedServersReadyAndNamesTheMissingVip() {
        CommandResult ok = RealServers.check(topology, 1, mode, LvsTopology.VIP6);
        assertEquals(0, ok.exitCode(), ok.describe() + "\n" + ok.stdout());
        assertTrue(ok.stdout().contains("OK: ready to serve " + LvsTopology.VIP6), ok.stdout());
        CommandResult missing = RealServers.check(topology, 1, mode, "fd00:1::999");
        assertEquals(1, missing.exitCode(), missing.describe());
        assertTrue(missing.stdout().contains("fd00:1::999 is not on lo"), missing.stdout());
    }

    /** 150 requests go 50 to each server, and every server sees the client's own address. */
    void assertRequestsAreSpreadEvenlyAndTheServersSeeTheClient() throws UnknownHostException {
        ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat6(), HTTP_PORT, 150);
        assertEquals(150, batch.replies().size(), batch.describe());
        assertEquals(Map.of("rs1", 50, "rs2", 50, "rs3", 50), batch.perServer(),
                () -> batch.describe() + "\n" + director.adm("-L", "-n", "--stats").stdout());
        for (HttpIdentityServer.Reply r : batch.replies()) {
            assertEquals(InetAddress.getByName(LvsTopology.CLIENT_ADDRESS6), InetAddress.getByName(r.clientAddress()));
        }
    }

    /**
     * 1 MiB of random bytes echoed back intact, while a capture on the director's {@code captureInterface} sees
     * the requests (and drops none) but no reply from the VIP: the servers answered the client directly.
     */
    void assertOneMebibyteRoundTripsIntactAndRepliesBypassTheDirector(int seed, String captureInterface) {
        byte[] body = new byte[1 << 20];
        new Random(seed).nextBytes(body);
        String vip = LvsTopology.VIP6;
        BackgroundProcess capture = topology.processes().start(topology.directorNamespace(), "director-capture6",
                List.of("tcpdump", "-n", "-l", "--immediate-mode", "-B", "32768", "-s", "160", "-i",
                        captureInterface, "tcp and host " + vip));
        capture.awaitLogLine("listening on", Duration.ofSeconds(10));
        byte[] echoed = ClientRequests.echo6(topology, HTTP_PORT, body);
        Pattern clientClose = Pattern.compile(" > " + Pattern.quote(vip + "." + HTTP_PORT) + ": Flags \\[[FR]");
        Conditions.await("the director's capture to show the client closing", Duration.ofSeconds(10),
                () -> clientClose.matcher(capture.logText()).find());
        capture.stop(Duration.ofSeconds(5));
        assertArrayEquals(body, echoed, "1 MiB through " + mode + " over IPv6 and back");
        List<String> packets = capture.logText().lines().filter(l -> l.contains(" IP6 ")).toList();
        long requestsSeen = packets.stream().filter(l -> l.contains(" > " + vip + "." + HTTP_PORT + ":")).count();
        long repliesSeen = packets.stream().filter(l -> l.contains(" IP6 " + vip + ".")).count();
        assertTrue(requestsSeen > 0, "the director's capture must see the requests:\n" + capture.logTail(10));
        Matcher dropped = Pattern.compile("(\\d+) packets? dropped by kernel").matcher(capture.logText());
        assertTrue(dropped.find(), capture.logTail(5));
        assertEquals(0, Integer.parseInt(dropped.group(1)), capture.logTail(5));
        assertEquals(0, repliesSeen, "the director must see no reply from the VIP:\n" + capture.logTail(10));
    }

    @Override
    public void close() {
        try {
            if (director != null) director.close();
            if (topology != null) RealServers.undoAll(topology, mode, LvsTopology.VIP6);
        } finally {
            if (topology != null) topology.close();
        }
    }
}
