package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.ServerLauncher;
import io.jlvs.tools.netns.TcpEchoServer;
import io.jlvs.tools.netns.TierTopology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The members the tier tests start on a {@link TierTopology}: echo servers, and directors with their BIRD. */
final class TierMembers {
    private TierMembers() {}

    /** A TCP echo server on {@code port} in each of the first {@code count} server namespaces, each ready. */
    static List<BackgroundProcess> echoServers(TierTopology tier, int count, int port, Duration start) {
        List<BackgroundProcess> servers = new ArrayList<>();
        for (int k = 1; k <= count; k++) servers.add(startEcho(tier, k, port, "rs" + k + "-echo"));
        servers.forEach(s -> s.awaitLogLine(HttpIdentityServer.READY_LINE, start));
        return servers;
    }

    /** The echo server of server namespace {@code k} started again after it was stopped, ready. */
    static BackgroundProcess echoServerAgain(TierTopology tier, int k, int port, Duration start) {
        BackgroundProcess server = startEcho(tier, k, port, "rs" + k + "-echo-again");
        server.awaitLogLine(HttpIdentityServer.READY_LINE, start);
        return server;
    }

    private static BackgroundProcess startEcho(TierTopology tier, int k, int port, String label) {
        return ServerLauncher.startJava(tier.processes(), tier.serverNamespace(k), label, TcpEchoServer.class,
                "rs" + k, Integer.toString(port));
    }

    /** Director {@code d}'s BIRD, then its daemon in DR mode announcing by BGP through it (no warm-up). */
    static JlvsDirector startDirector(TierTopology tier, int d, Duration start) {
        return startDirector(tier, d, start, List.of());
    }

    /** The same with more daemon options (e.g. --config FILE). */
    static JlvsDirector startDirector(TierTopology tier, int d, Duration start, List<String> more) {
        tier.startDirectorBird(d);
        List<String> options = new ArrayList<>(tier.bgpOptions(d));
        options.addAll(List.of("--warmup", "0"));
        options.addAll(more);
        return JlvsDirector.start(tier.seat(d), "dr", "afpacket", start, options);
    }
}
