package io.jlvs.netns;

import io.jlvs.tools.netns.ClientSeat;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the FullNAT restart and failover tests of both families share: a FullNAT service of one real server
 * that has no route to the client, long streams through it ({@link SlowUpload}), and the server's view of its peers.
 * A family is the IPv4 or the IPv6 side of a dual-stack topology.
 */
record FullNatStreams(boolean ipv6, String vip, String localAddress, String serverAddress, String clientAddress,
                      ClientSeat client) {
    static final int PORT = 80, STREAMS = 2;
    static final String LOCAL_ADDRESS = "172.16.0.50", LOCAL_ADDRESS6 = "fd00:2::50";
    static final Duration START = Duration.ofSeconds(120);

    static FullNatStreams ipv4(LvsTopology t) {
        return new FullNatStreams(false, t.vip(), LOCAL_ADDRESS, t.serverAddress(1), LvsTopology.CLIENT_ADDRESS,
                t.clientSeat());
    }

    static FullNatStreams ipv4(FailoverTopology t) {
        return new FullNatStreams(false, t.vip(), LOCAL_ADDRESS, t.serverAddress(1), FailoverTopology.CLIENT_ADDRESS,
                t.clientSeat());
    }

    /** The IPv6 side of a failover pair {@link FailoverTopology#withIpv6}. */
    static FullNatStreams ipv6(FailoverTopology t) {
        return new FullNatStreams(true, LvsTopology.VIP6, LOCAL_ADDRESS6, t.serverAddress6(1),
                LvsTopology.CLIENT_ADDRESS6, t.clientSeat6());
    }

    /** The IPv6 side of a topology {@link LvsTopology#withIpv6}. */
    static FullNatStreams ipv6(LvsTopology t) {
        return new FullNatStreams(true, LvsTopology.VIP6, LOCAL_ADDRESS6, t.serverAddress6(1),
                LvsTopology.CLIENT_ADDRESS6, t.clientSeat6());
    }

    /**
     * Streams through a FullNAT server with no route to the client go on intact across a SIGKILL and restart of the
     * daemon, which re-attaches them with the local ports it left in /dev/shm; new connections are served after.
     */
    void surviveAKillAndRestartOfTheDaemon(LvsTopology topology) {
        Server server = command -> topology.inServer(1, command);
        cutTheServersRouteToTheClient(server);
        ServerLauncher.startHttpIdentityServers(topology, PORT);
        JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", START);
        try {
            director.restore(rules());
            List<SlowUpload> streams = startStreams();
            JlvsDirector first = director;
            Conditions.await("the streams ESTABLISHED", Duration.ofSeconds(20),
                    () -> ListingCounts.established(first) == STREAMS);
            assertTheServersPeersAreTheLocalAddress(server);
            Conditions.await("the streams under way", Duration.ofSeconds(20),
                    () -> ListingCounts.inboundBytes(first) > 32 * 1024);

            director.kill();
            director = first.startAgain(2, START);

            assertTrue(director.daemon().logText().contains(STREAMS + " connection(s) re-attached, 0 dropped"),
                    director.daemon().logTail(20));
            assertFalse(director.daemon().logText().contains("without their local port"), director.daemon().logTail(20));
            awaitFinished(streams);
            assertEquals(STREAMS, ClientRequests.get(client, PORT, STREAMS).replies().size(),
                    "new connections through the restarted daemon");
        } finally {
            director.close();
        }
    }

    /** Cuts real server 1's route to the client and starts its HTTP server (8 threads: the streams and more). */
    void prepareTheServer(FailoverTopology topology) {
        cutTheServersRouteToTheClient(command -> topology.inServer(1, command));
        ServerLauncher.startJava(topology.processes(), topology.serverNamespace(1), "rs1-http",
                HttpIdentityServer.class, "rs1", Integer.toString(PORT), "8")
                .awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
    }

    /**
     * Streams through {@code first} go on intact after it is killed, on {@code second}, which learnt them (local
     * port included) from the connection sync: both list them before the failover; {@code takeOver} kills the first
     * and makes the second the director the client and the server reach.
     */
    void surviveAFailover(JlvsDirector first, JlvsDirector second, Runnable takeOver) {
        List<SlowUpload> streams = startStreams();
        Conditions.await("the streams synced to the backup", Duration.ofSeconds(20),
                () -> ListingCounts.established(second) == STREAMS && ListingCounts.established(first) == STREAMS);
        Conditions.await("the streams under way", Duration.ofSeconds(20),
                () -> ListingCounts.inboundBytes(first) > 32 * 1024);
        takeOver.run();
        awaitFinished(streams);
    }

    /** The server side of a topology: a command run in real server 1. */
    interface Server extends Function<String[], CommandResult> {}

    /** Removes the server's default route of the family and proves it has no route to the client. */
    void cutTheServersRouteToTheClient(Server server) {
        String family = ipv6 ? "-6" : "-4";
        server.apply(new String[] {"ip", family, "route", "del", "default"});
        assertFalse(server.apply(new String[] {"ip", family, "route", "get", clientAddress}).succeeded(),
                "the server has no route to the client");
    }

    /** The jlvsadm rules: the service with its local address, the server by FullNAT. */
    String rules() {
        String service = ClientRequests.host(vip) + ":" + PORT;
        return "-A -t " + service + " -s rr --laddr " + localAddress + "\n-a -t " + service + " -r "
                + ClientRequests.host(serverAddress) + ":" + PORT + " --fullnat\n";
    }

    List<SlowUpload> startStreams() {
        List<SlowUpload> streams = new ArrayList<>();
        for (int i = 1; i <= STREAMS; i++) streams.add(SlowUpload.start(client, "stream-" + i, PORT));
        return streams;
    }

    static void awaitFinished(List<SlowUpload> streams) {
        SlowUpload.finishAll(streams, Duration.ofSeconds(60));
    }

    /** The server sees every stream from the local address (each its own port). */
    void assertTheServersPeersAreTheLocalAddress(Server server) {
        Set<String> peers = serverPeers(server);
        assertEquals(STREAMS, peers.size(), "the server's peers: " + peers);
        for (String peer : peers) assertTrue(peer.startsWith(ClientRequests.host(localAddress) + ":"), peer);
    }

    /** The peers (address:port, an IPv6 address bracketed) of the server's established connections to PORT. */
    private static Set<String> serverPeers(Server server) {
        CommandResult ss = server.apply(new String[] {"ss", "-Htn", "state", "established", "sport", "=", ":" + PORT});
        Set<String> peers = new TreeSet<>();
        for (String line : ss.stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            String peer = f[f.length - 1];
            // The server's socket is dual-stack: an IPv4 peer shows as [::ffff:a.b.c.d]:port.
            peers.add(peer.startsWith("[::ffff:") ? peer.substring(8).replace("]", "") : peer);
        }
        return peers;
    }
}
