package io.jlvs.connections;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.jlvs.connections.Addresses.v4;
import static io.jlvs.connections.ConnectionTable.*;
import static org.junit.jupiter.api.Assertions.*;

class ConnectionTableMemoryTest {
    private static final long S = 1_000_000_000L;
    private static final long VIP = v4(207, 175, 44, 110), REAL = v4(172, 16, 0, 2);

    /** Distinct IPv4 client address and port for each i. */
    private static long create(ConnectionTable t, int i, long now) {
        return t.create(PROTO_TCP, 0, v4(0x0A00_0000 | (i >>> 4)), 1024 + (i & 0xF), 0, VIP, 80,
                0, REAL, 8080, 1, i & 7, 0, now);
    }

    @Test
    void aMillionIpv4ConnectionsTakeAtMost128BytesEach() {
        int n = 1_000_000;
        try (ConnectionTable t = new ConnectionTable(n, ConnectionEvents.NONE, Timeouts.DEFAULTS)) {
            for (int i = 0; i < n; i++) assertTrue(create(t, i, 0) >= 0, "connection " + i);
            assertEquals(n, t.size());
            assertEquals(-1, create(t, n, 0), "full");
            for (int i = 0; i < n; i += 9973) {
                long h = t.lookupInbound(PROTO_TCP, 0, v4(0x0A00_0000 | (i >>> 4)), 1024 + (i & 0xF), 0, VIP, 80);
                assertTrue(h >= 0);
                assertEquals(h, t.lookupOutbound(PROTO_TCP, 0, REAL, 8080, 0, v4(0x0A00_0000 | (i >>> 4)), 1024 + (i & 0xF)));
            }
            double perConnection = t.memoryBytes() / 1e6;
            System.out.printf("connection table: %d bytes for %d connections = %.2f bytes per connection%n",
                    t.memoryBytes(), n, perConnection);
            assertTrue(perConnection <= 128, "bytes per connection: " + perConnection);
            long start = System.nanoTime();
            long[] listed = new long[1];
            t.forEach(c -> listed[0]++, 0);
            System.out.printf("listing %d connections took %d ms%n", listed[0], (System.nanoTime() - start) / 1_000_000);
            assertEquals(n, listed[0]);
        }
    }

    @Test
    void creatingConnectionsAllocatesNothingOnTheHeapInSteadyState() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        int batch = 100_000;
        CountingEvents events = new CountingEvents(8);
        try (ConnectionTable t = new ConnectionTable(2 * batch, events, Timeouts.DEFAULTS)) {
            long now = 1000 * S;
            for (int round = 0; round < 6; round++) { // warm-up: JIT and the table's free list in steady state
                churn(t, batch, round, now);
                now += 11 * S; // CLOSE lives 10 s
                assertEquals(batch, t.expire(now, Integer.MAX_VALUE));
            }
            long before = threads.getThreadAllocatedBytes(thread);
            churn(t, batch, 6, now);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            System.out.printf("heap allocated while creating %d connections: %d bytes%n", batch, allocated);
            assertEquals(batch, t.size());
            assertTrue(allocated <= 1024, "allocated " + allocated + " bytes for " + batch + " creates");
        }
    }

    private static void churn(ConnectionTable t, int batch, int round, long now) {
        for (int i = 0; i < batch; i++) {
            long h = create(t, round * batch + i, now);
            if (h < 0) throw new AssertionError("create failed at " + i);
            t.onPacket(h, DIR_INPUT, TcpState.FLAG_SYN, now);
            t.onPacket(h, DIR_INPUT, TcpState.FLAG_ACK, now);
            t.onPacket(h, DIR_INPUT, TcpState.FLAG_RST, now); // ESTABLISHED -> CLOSE: 10 s, a refile request
        }
    }
}
