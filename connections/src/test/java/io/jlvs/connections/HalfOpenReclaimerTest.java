package io.jlvs.connections;

import static io.jlvs.connections.ConnectionTable.DIR_INPUT;
import static io.jlvs.connections.ConnectionTable.DIR_OUTPUT;
import static io.jlvs.connections.TableCalls.create;
import static io.jlvs.connections.TestAddresses.v4;
import static io.jlvs.packets.Ipv4.PROTO_TCP;
import static io.jlvs.packets.Ipv4.PROTO_UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A SYN flood's half-open connections leave a filling table; completed and non-TCP connections stay. */
class HalfOpenReclaimerTest {
    private static final long MS = 1_000_000L, T0 = 7_000_000 * MS;
    private static final long VIP = v4(10, 0, 0, 100), REAL = v4(172, 16, 0, 2);
    private final ConnectionTable table = new ConnectionTable(1000, new CountingEvents(4));
    private final HalfOpenReclaimer reclaimer = new HalfOpenReclaimer(table);
    private int nextClient;

    @AfterEach
    void close() {
        table.close();
    }

    /** A connection whose client sent a SYN and nothing more (a spoofed source). */
    private long halfOpen(long now) {
        long h = flow(PROTO_TCP, now);
        table.onPacket(h, DIR_INPUT, Tcp.SYN, now);
        table.onPacket(h, DIR_OUTPUT, Tcp.SYN | Tcp.ACK, now);
        return h;
    }

    /** A connection whose handshake completed. */
    private long established(long now) {
        long h = halfOpen(now);
        table.onPacket(h, DIR_INPUT, Tcp.ACK, now);
        return h;
    }

    private long flow(int proto, long now) {
        int c = nextClient++;
        return create(table, proto, 0, v4(0x0B000000 + c), 1024 + c % 60000, 0, VIP, 80, 0, REAL, 80, 1, 1, 0, now);
    }

    @Test
    void withRoomToSpareOnlyHalfOpenConnectionsIdleOverASecondGo() {
        for (int i = 0; i < 300; i++) halfOpen(T0);
        for (int i = 0; i < 199; i++) halfOpen(T0 + 500 * MS);
        assertEquals(300, reclaimer.reclaim(T0 + 1_200 * MS, 50));
        assertEquals(HalfOpenReclaimer.MAX_IDLE_NANOS, reclaimer.lastCutoffNanos());
        assertEquals(199, table.size());
    }

    @Test
    void aFullTableLosesItsIdleHalfOpenConnectionsAndKeepsTheRest() {
        for (int i = 0; i < 50; i++) established(T0);
        for (int i = 0; i < 50; i++) flow(PROTO_UDP, T0);
        long freshest = 0;
        for (int i = 0; i < 880; i++) freshest = halfOpen(T0);
        long young = halfOpen(T0 + 150 * MS);
        assertEquals(981, table.size());
        assertEquals(880, reclaimer.reclaim(T0 + 250 * MS, 50), "idle 250 ms beyond the 200 ms cut-off of a full table");
        assertEquals(HalfOpenReclaimer.MIN_IDLE_NANOS, reclaimer.lastCutoffNanos());
        assertTrue(table.isLive(young), "idle 100 ms: kept");
        assertTrue(!table.isLive(freshest));
        assertEquals(101, table.size(), "established TCP and UDP untouched");
    }

    @Test
    void theCutOffShrinksAsTheFreeRoomFallsBelowTheThreshold() {
        assertEquals(1000 * MS, HalfOpenReclaimer.cutoffNanos(499, 1000, 50));
        assertEquals(1000 * MS, HalfOpenReclaimer.cutoffNanos(500, 1000, 50));
        assertEquals(600 * MS, HalfOpenReclaimer.cutoffNanos(625, 1000, 50));
        assertEquals(200 * MS, HalfOpenReclaimer.cutoffNanos(750, 1000, 50));
        assertEquals(200 * MS, HalfOpenReclaimer.cutoffNanos(1000, 1000, 50));
        assertEquals(1000 * MS, HalfOpenReclaimer.cutoffNanos(800, 1000, 20), "20% free: at the threshold");
        assertEquals(600 * MS, HalfOpenReclaimer.cutoffNanos(850, 1000, 20));
        assertEquals(200 * MS, HalfOpenReclaimer.cutoffNanos(900, 1000, 20));
    }
}
