package io.jlvs.netns;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NAT through `jlvs daemon --io afxdp --workers 2` on director veths with two queues each way: worker N takes
 * receive queue N of each interface. The client's connections leave on the transmit queue its kernel picks by flow
 * hash, and arrive on the director's receive queue of that index; the servers' replies are spread so by the
 * switch's port. Both workers must forward, and every connection be answered whichever worker has each direction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatAfXdpQueuesTest {
    private static final int QUEUES = 2;
    private static final int SERVERS = 2;
    private static final int HTTP_PORT = 80;
    private static final int ECHO_PORT = 81;
    private static final String CONSOLE = "127.0.0.1:9182";

    private LvsTopology topology;
    private JlvsDirector director;

    @BeforeAll
    void startDirector() {
        topology = LvsTopology.nat("jlvsxq", SERVERS, QUEUES);
        ServerLauncher.startHttpIdentityServers(topology, HTTP_PORT);
        director = JlvsDirector.start(topology, "nat", "afxdp", Duration.ofSeconds(120),
                List.of("--workers", Integer.toString(QUEUES), "--http", CONSOLE));
        StringBuilder rules = new StringBuilder();
        for (int vipPort : List.of(HTTP_PORT, ECHO_PORT)) {
            String service = topology.vip() + ":" + vipPort;
            rules.append("-A -t ").append(service).append(" -s rr\n");
            for (String server : topology.serverAddresses()) {
                rules.append("-a -t ").append(service).append(" -r ").append(server).append(':').append(HTTP_PORT)
                        .append(" -m\n");
            }
        }
        director.restore(rules.toString());
    }

    @AfterAll
    void stopEverything() {
        try {
            if (director != null) director.close();
        } finally {
            if (topology != null) topology.close();
        }
    }

    @Test
    void theDirectorsInterfacesHaveTwoQueuesEachWay() {
        for (String iface : List.of(topology.directorClientSide(), topology.directorServerSide())) {
            String channels = topology.network().check(topology.directorNamespace(), "ethtool", "-l", iface);
            String current = channels.substring(channels.indexOf("Current hardware settings"));
            assertTrue(current.matches("(?s).*RX:\\s+" + QUEUES + "\\s.*TX:\\s+" + QUEUES + "\\s.*"), iface + ":\n" + channels);
        }
    }

    @Test
    void fortyConnectionsAreAllAnsweredAndBothWorkersForwardFrames() {
        Map<Integer, long[]> before = workerFrames();

        ClientRequests.Batch batch = ClientRequests.get(topology, HTTP_PORT, 40);

        assertEquals(40, batch.replies().size(), batch.describe());
        assertEquals(Map.of("rs1", 20, "rs2", 20), batch.perServer(), batch.describe());
        Map<Integer, long[]> after = workerFrames();
        assertEquals(Set.of(0, 1), after.keySet(), "the workers in the metrics");
        for (int w = 0; w < QUEUES; w++) {
            long received = after.get(w)[0] - before.get(w)[0], sent = after.get(w)[1] - before.get(w)[1];
            String figures = "worker " + w + " received " + received + ", sent " + sent + " of 40 connections ("
                    + queueCounts() + ")";
            assertTrue(received > 0, figures);
            assertTrue(sent > 0, figures);
        }
    }

    @Test
    void oneMebibyteOfRandomBytesComesBackByteIdentical() {
        byte[] sent = new byte[1 << 20];
        new Random(11).nextBytes(sent);

        byte[] received = ClientRequests.echo(topology, ECHO_PORT, sent);

        assertEquals(sent.length, received.length, "echo length");
        assertArrayEquals(sent, received, "the echoed bytes");
    }

    /** jlvs_worker_frames_received_total and _sent_total by worker, from the console's /metrics. */
    private Map<Integer, long[]> workerFrames() {
        CommandResult scrape = topology.processes().run(topology.directorNamespace(),
                List.of("curl", "-s", "--max-time", "10", "http://" + CONSOLE + "/metrics"), Duration.ofSeconds(15));
        Map<Integer, long[]> frames = new TreeMap<>();
        for (String line : scrape.stdoutOrThrow().split("\n")) {
            int column;
            if (line.startsWith("jlvs_worker_frames_received_total{")) column = 0;
            else if (line.startsWith("jlvs_worker_frames_sent_total{")) column = 1;
            else continue;
            int at = line.indexOf("worker=\"") + "worker=\"".length();
            int worker = Integer.parseInt(line.substring(at, line.indexOf('"', at)));
            frames.computeIfAbsent(worker, w -> new long[2])[column] =
                    (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return frames;
    }

    /** The director's veths' per-queue XDP receive counters, to show in a failure how the flows were spread. */
    private String queueCounts() {
        StringBuilder out = new StringBuilder();
        for (String iface : List.of(topology.directorClientSide(), topology.directorServerSide())) {
            CommandResult stats = topology.inDirector("ethtool", "-S", iface);
            for (String line : stats.stdout().split("\n")) {
                if (line.strip().matches("rx_queue_\\d+_xdp_packets:.*")) out.append(iface).append(' ').append(line.strip()).append("; ");
            }
        }
        return out.toString();
    }
}
