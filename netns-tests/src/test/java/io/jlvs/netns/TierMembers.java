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
        for (int k = 1; k <= count; k++) {
            servers.add(ServerLauncher.startJava(tier.processes(), tier.serverNamespace(k), "rs" + k + "-echo",
                    TcpEchoServer.class, "rs" + k, Integer.toString(port)));
        }
        servers.forEach(s -> s.awaitLogLine(HttpIdentityServer.READY_LINE, start));
        return servers;
    }

    /** Director {@code d}'s BIRD, then its daemon in DR mode announcing by BGP through it (no warm-up). */
    static JlvsDirector startDirector(TierTopology tier, int d, Duration start) {
        tier.startDirectorBird(d);
        List<String> options = new ArrayList<>(tier.bgpOptions(d));
        options.addAll(List.of("--warmup", "0"));
        return JlvsDirector.start(tier.seat(d), "dr", "afpacket", start, options);
    }
}
