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

    /** The client's packet numbers at which the connection was offered, over {@code packets} packets. */
    private static List<Integer> offeredAt(ConnectionTable table, ChangeFeed feed, long handle, int packets,
                                           long step) {
        List<Integer> at = new ArrayList<>();
        ChangeRing ring = feed.ring(0);
        for (int n = 1; n <= packets; n++) {
            long now = NOW + n * step;
            table.onPacket(handle, ConnectionTable.DIR_INPUT, n == 1 ? Tcp.SYN : Tcp.ACK, now, ring);
            if (!drain(feed, now).isEmpty()) at.add(n);
        }
        return at;
    }

    @Test
    void withIpvsDefaultsAnEstablishedConnectionIsOfferedAtOnceThenEveryFiftyPackets() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 64);
            long tcp = table.create(flow(Ipv4.PROTO_TCP, 1), NOW, null, feed.ring(0));
            // Packet 2 (the ACK) enters ESTABLISHED: offered at once, where IPVS waits for packet 3; the count
            // then restarts at the threshold, so the next offers are 50 packets apart as with sync_threshold "3 50".
            assertEquals(List.of(2, 52, 102), offeredAt(table, feed, tcp, 120, 1_000_000L));
        }
    }

    @Test
    void aUdpConnectionIsOfferedAtCreationThenEveryPeriodFromThere() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 64);
            table.setSyncRule(new SyncRule(2, 10, 0, 0));
            long udp = table.create(flow(Ipv4.PROTO_UDP, 2), NOW, null, feed.ring(0));
            assertEquals(1, drain(feed, NOW).size(), "offered when created");
            assertEquals(List.of(10, 20, 30), offeredAt(table, feed, udp, 35, 1_000_000L));
        }
    }

    @Test
    void withoutAPeriodOnlyTheThresholdPacketIsOffered() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 64);
            table.setSyncRule(new SyncRule(5, 0, 0, 0));
            long udp = table.create(flow(Ipv4.PROTO_UDP, 2), NOW, null, feed.ring(0));
            drain(feed, NOW);
            // The count starts at the threshold after the offer at creation: nothing more, ever.
            assertEquals(List.of(), offeredAt(table, feed, udp, 300, 1_000_000L));
            long other = table.create(flow(Ipv4.PROTO_TCP, 3), NOW, null, feed.ring(0));
            // TCP: ESTABLISHED at packet 2 restarts the count at 5 as well.
            assertEquals(List.of(2), offeredAt(table, feed, other, 300, 1_000_000L));
        }
    }

    @Test
    void aRefreshPeriodResendsALongLivedConnectionWhenItsDeadlineMovedThatFar() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 64);
            // sync_refresh_period 60 s, no packet period: the refresh alone decides. UDP's timeout is 300 s, so
            // the bound is min(60 s, max(150 s, 10 s)) = 60 s of deadline movement since the last offer.
            table.setSyncRule(new SyncRule(0, 0, 60 * SECOND, 0));
            long udp = table.create(flow(Ipv4.PROTO_UDP, 2), NOW, null, feed.ring(0));
            drain(feed, NOW);
            assertEquals(List.of(60, 120, 180), offeredAt(table, feed, udp, 200, SECOND));
        }
    }

    @Test
    void syncRetriesResendWithinTheRefreshPeriodAnEighthOfItApartAtMostThatOften() {
        try (ConnectionTable table = new ConnectionTable(1024, null)) {
            ChangeFeed feed = new ChangeFeed(table, 1, 64);
            table.setSyncRule(new SyncRule(0, 0, 80 * SECOND, 2));
            long udp = table.create(flow(Ipv4.PROTO_UDP, 2), NOW, null, feed.ring(0));
            drain(feed, NOW);
            // Two retries, each 10 s (80 / 8) after the offer before it, then nothing until the deadline has moved
            // 80 s from the last offer (the second retry, at 20 s): a full offer at 100 s, and its first retry.
            assertEquals(List.of(10, 20, 100, 110), offeredAt(table, feed, udp, 110, SECOND));
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
