package io.jlvs.connections;

import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.jlvs.connections.TestAddresses.v4;
import static io.jlvs.connections.ConnectionTable.DIR_INPUT;
import static io.jlvs.connections.ConnectionTable.DIR_OUTPUT;
import static io.jlvs.packets.Ipv4.PROTO_TCP;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Memory of the table, measured: the off-heap segments it allocated, the resident memory they add to the
 * process, and the heap the inserting thread allocated.
 */
class ConnectionTableMemoryTest {
    private static final long S = 1_000_000_000L;
    private static final long VIP = v4(207, 175, 44, 110), REAL = v4(172, 16, 0, 2);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Distinct IPv4 client address and port for each i; the param is reused, as a worker does. */
    private static ConnectionParam flow(ConnectionParam p, int i) {
        return p.protocol(PROTO_TCP).client(0, v4(0x0A00_0000 | (i >>> 4)), 1024 + (i & 0xF)).virtual(0, VIP, 80)
                .real(0, REAL, 8080).binding(1, i & 7, 0);
    }

    private static long allocatedByThisThread() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    void aMillionIpv4ConnectionsTakeAtMost128BytesEachOffHeapAndNothingOnTheHeap() throws IOException {
        int n = 1_000_000;
        ConnectionParam p = new ConnectionParam();
        ConnectionView entry = new ConnectionView();
        try (ConnectionTable warm = new ConnectionTable(1024, ConnectionEvents.NONE)) {
            // Loads and links every class the insert path uses, so that the measurement below sees the path only.
            for (int i = 0; i < 1024; i++) warm.create(flow(p, i), 0, entry);
            for (int i = 0; i < 1024; i++) warm.lookup(flow(p, i), DIR_OUTPUT, entry);
        }
        long residentBefore = residentBytes();
        try (ConnectionTable t = new ConnectionTable(n, ConnectionEvents.NONE)) {
            long resident = residentBytes() - residentBefore;
            long heapBefore = allocatedByThisThread();
            for (int i = 0; i < n; i++) {
                if (t.create(flow(p, i), 0) < 0) fail("connection " + i);
            }
            long heapForInserts = allocatedByThisThread() - heapBefore;
            assertEquals(n, t.size());
            assertEquals(-1, t.create(flow(p, n), 0), "full");
            long heapBeforeLookups = allocatedByThisThread();
            for (int i = 0; i < n; i++) {
                long h = t.lookup(flow(p, i), DIR_INPUT, entry);
                if (h < 0 || entry.clientPort() != 1024 + (i & 0xF) || t.lookup(p, DIR_OUTPUT) != h) {
                    fail("lookup " + i);
                }
            }
            long heapForLookups = allocatedByThisThread() - heapBeforeLookups;

            long offHeap = t.offHeapBytes();
            System.out.printf("connection table, %d connections: off-heap segments %d bytes (%.2f per connection),"
                            + " resident memory added by construction %d bytes (%.2f per connection),"
                            + " heap allocated by %d inserts %d bytes, by %d lookup pairs %d bytes%n",
                    n, offHeap, offHeap / (double) n, resident, resident / (double) n, n, heapForInserts, n,
                    heapForLookups);
            assertTrue(offHeap >= EntrySlab.ENTRY_BYTES * n, "the entries are off-heap: " + offHeap);
            assertTrue(offHeap <= 128L * n, "off-heap bytes per connection: " + offHeap / (double) n);
            // The segments are zeroed when allocated, so they are resident at once; the process may grow a
            // little for other reasons meanwhile (a heap region), hence the slack.
            assertTrue(resident >= offHeap * 9 / 10, "the segments are resident: " + resident);
            assertTrue(resident <= 128L * n + (16 << 20), "resident bytes per connection: " + resident / (double) n);
            // Nothing per connection: one 16-byte object per insert would be 16 MB. What the thread may allocate
            // meanwhile for other reasons (JIT deoptimization, safepoint bookkeeping) stays far below this bound.
            assertTrue(heapForInserts < 64 * 1024, "heap allocated by " + n + " inserts: " + heapForInserts);
            assertTrue(heapForLookups < 64 * 1024, "heap allocated by " + n + " lookups: " + heapForLookups);

            long start = System.nanoTime();
            long[] listed = new long[1];
            t.forEach(c -> listed[0]++, 0);
            System.out.printf("listing %d connections took %d ms%n", listed[0], (System.nanoTime() - start) / 1_000_000);
            assertEquals(n, listed[0]);
        }
    }

    @Test
    void creatingAndExpiringConnectionsAllocatesNothingOnTheHeapInSteadyState() {
        int batch = 100_000;
        CountingEvents events = new CountingEvents(8);
        ConnectionParam p = new ConnectionParam();
        try (ConnectionTable t = new ConnectionTable(2 * batch, events)) {
            long now = 1000 * S;
            for (int round = 0; round < 6; round++) { // warm-up: JIT and the table's free list in steady state
                churn(t, p, batch, round, now);
                now += 11 * S; // CLOSE lives 10 s
                assertEquals(batch, t.expire(now, Integer.MAX_VALUE));
            }
            long before = allocatedByThisThread();
            churn(t, p, batch, 6, now);
            now += 11 * S;
            assertEquals(batch, t.expire(now, Integer.MAX_VALUE));
            long allocated = allocatedByThisThread() - before;
            System.out.printf("heap allocated while creating and expiring %d connections: %d bytes%n", batch,
                    allocated);
            assertEquals(0, t.size());
            assertTrue(allocated <= 1024, "allocated " + allocated + " bytes for " + batch + " creates");
        }
    }

    private static void churn(ConnectionTable t, ConnectionParam p, int batch, int round, long now) {
        for (int i = 0; i < batch; i++) {
            long h = t.create(flow(p, round * batch + i), now);
            if (h < 0) throw new AssertionError("create failed at " + i);
            t.onPacket(h, DIR_INPUT, Tcp.SYN, now);
            t.onPacket(h, DIR_INPUT, Tcp.ACK, now);
            t.onPacket(h, DIR_INPUT, Tcp.RST, now); // ESTABLISHED -> CLOSE: 10 s, a refile request
        }
    }

    /** Resident set size of this process (Linux). */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
