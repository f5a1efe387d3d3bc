package io.jlvs.connections;

import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.jlvs.connections.TestAddresses.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangeFeedTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long NOW = 1_000 * SECOND;

    private static ConnectionParam flow(int proto, int clientPort) {
        return new ConnectionParam().protocol(proto).client(0, v4(10, 0, 0, 1), clientPort)
                .virtual(0, v4(10, 0, 0, 100), 80).real(0, v4(192, 168, 1, 2), 80).binding(1, 1, 0);
    }

    private static List<String> drain(ChangeFeed feed, long now) {
        List<String> out = new ArrayList<>();
        feed.drain(new ConnectionView(), v -> out.add(v.clientPort() + " " + v.stateName()), 1000, now);
        return out;
    }

    @Test
    void udpOnCreationAndTcpOnEnteringSendWorthyStatesReachTheConsumerInOrder() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 64);
            ChangeRing ring = feed.ring(0);
            ConnectionView view = new ConnectionView();
            long tcp = table.create(flow(Ipv4.PROTO_TCP, 1), NOW, view, ring);
            table.onPacket(tcp, ConnectionTable.DIR_INPUT, Tcp.SYN, NOW, ring);           // SYN_RECV: not sent
            table.create(flow(Ipv4.PROTO_UDP, 2), NOW, view, ring);                       // sent at creation
            table.onPacket(tcp, ConnectionTable.DIR_INPUT, Tcp.ACK, NOW, ring);           // ESTABLISHED: sent
            assertEquals(List.of("2 UDP", "1 ESTABLISHED"), drain(feed, NOW));
            table.onPacket(tcp, ConnectionTable.DIR_INPUT, Tcp.ACK, NOW + SECOND, ring);  // no change: nothing
            table.onPacket(tcp, ConnectionTable.DIR_INPUT, Tcp.FIN, NOW + SECOND, ring);  // CLOSE_WAIT: sent
            assertEquals(List.of("1 CLOSE_WAIT"), drain(feed, NOW + SECOND));
            assertEquals(List.of(), drain(feed, NOW + SECOND));
        }
    }

    @Test
    void aLongLivedConnectionIsFedAgainWhenItsDeadlineMovedByHalfItsTimeout() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 64);
            ChangeRing ring = feed.ring(0);
            long udp = table.create(flow(Ipv4.PROTO_UDP, 2), NOW, null, ring);
            assertEquals(1, drain(feed, NOW).size());
            table.onPacket(udp, ConnectionTable.DIR_INPUT, 0, NOW + 100 * SECOND, ring);  // moved 100 s of 300
            assertEquals(List.of(), drain(feed, NOW));
            table.onPacket(udp, ConnectionTable.DIR_INPUT, 0, NOW + 151 * SECOND, ring);  // moved 151 s
            assertEquals(List.of("2 UDP"), drain(feed, NOW));
            table.onPacket(udp, ConnectionTable.DIR_INPUT, 0, NOW + 200 * SECOND, ring);  // 49 s since fed
            assertEquals(List.of(), drain(feed, NOW));
        }
    }

    @Test
    void aFullRingCountsWhatItDropsAndTheWalkStillSeesEveryConnection() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 2, 4);
            for (int port = 1; port <= 6; port++) table.create(flow(Ipv4.PROTO_UDP, port), NOW, null, feed.ring(0));
            table.create(flow(Ipv4.PROTO_UDP, 7), NOW, null, feed.ring(1));
            assertEquals(2, feed.overflows());
            assertEquals(List.of("1 UDP", "2 UDP", "3 UDP", "4 UDP", "7 UDP"), drain(feed, NOW));
            List<Integer> walked = new ArrayList<>();
            feed.walk(v -> walked.add(v.clientPort()), NOW);
            assertEquals(7, walked.size());
            // Drained, the ring takes handles again.
            assertTrue(feed.ring(0).offer(1));
        }
    }

    @Test
    void aConnectionThatEndedBeforeItWasDrainedIsSkippedAndCounted() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 8);
            long gone = table.create(flow(Ipv4.PROTO_UDP, 1), NOW, null, feed.ring(0));
            table.create(flow(Ipv4.PROTO_UDP, 2), NOW, null, feed.ring(0));
            assertTrue(table.removeNow(gone));
            assertEquals(List.of("2 UDP"), drain(feed, NOW));
            assertEquals(1, feed.staleSkipped());
        }
    }

    @Test
    void theRingIsFirstInFirstOutAcrossWrapAround() {
        ChangeRing ring = new ChangeRing(4);
        for (long round = 0; round < 10; round++) {
            assertTrue(ring.offer(round * 2));
            assertTrue(ring.offer(round * 2 + 1));
            assertEquals(round * 2, ring.poll());
            assertEquals(round * 2 + 1, ring.poll());
        }
        assertEquals(-1, ring.poll());
        for (int i = 0; i < 4; i++) assertTrue(ring.offer(i));
        assertFalse(ring.offer(99));
        assertEquals(1, ring.overflows());
    }
}
