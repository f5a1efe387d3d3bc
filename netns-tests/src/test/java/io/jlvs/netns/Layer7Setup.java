package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the layer-7 end-to-end tests share: a NAT topology whose real servers run HttpIdentityServer on
 * {@link #SERVER_PORT}, a jlvs daemon on the director, tcpvsadm against it, and the client's URLs.
 */
final class Layer7Setup implements AutoCloseable {
    static final int SERVER_PORT = 80;

    final LvsTopology topology;
    final JlvsDirector director;
    /** The real servers' HTTP processes, rs1 first; a test may stop and replace one. */
    final List<BackgroundProcess> servers;

    private Layer7Setup(LvsTopology topology, JlvsDirector director, List<BackgroundProcess> servers) {
        this.topology = topology;
        this.director = director;
        this.servers = servers;
    }

    /** Three real servers in namespaces named {@code prefix}-*, their HTTP servers, and the daemon. */
    static Layer7Setup start(String prefix) {
        LvsTopology topology = LvsTopology.nat(prefix, 3);
        try {
            List<BackgroundProcess> servers = new ArrayList<>(ServerLauncher.startHttpIdentityServers(topology, SERVER_PORT));
            JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120), List.of());
            return new Layer7Setup(topology, director, servers);
        } catch (RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    /** Real server k (1-based) as tcpvsadm names it. */
    String rs(int k) {
        return topology.serverAddress(k) + ":" + SERVER_PORT;
    }

    /** Runs tcpvsadm and asserts it succeeded. */
    void tcpvs(String... args) {
        CommandResult r = director.tcpvs(args);
        assertEquals(0, r.exitCode(), "tcpvsadm " + String.join(" ", args) + ": " + r.describe());
    }

    /** The client's URL of {@code path} on the director's own address. */
    String url(int port, String path) {
        return "http://" + topology.directorClientAddress() + ":" + port + path;
    }

    @Override
    public void close() {
        try {
            director.close();
        } finally {
            topology.close();
        }
    }
}
