package io.jlvs.failover.sync;

import io.jlvs.control.model.Addresses;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A master and a backup sync daemon in two namespaces over a veth, each on its own event loop thread inside its
 * namespace: every connection the master's source offers reaches the backup's target (the latency reported), and
 * a backup that starts late gets the master's whole table through a resync, while new connections keep flowing,
 * and knows when it has it.
 */
class SyncDaemonTransportTest {
    static final int OFFERED = 10_000, TABLE = 50_000, DURING_RESYNC = 1_000, BATCH = 100;
    static final int TABLE_PORT = 80, NEW_PORT = 443;

    /** A master's source: connections offered one by one (each stamped with its offer time), and a table to walk. */
    static final class OfferedConnections implements SyncDaemon.Source {
        final ConcurrentLinkedQueue<long[]> offered = new ConcurrentLinkedQueue<>();
        final int tableSize;

        OfferedConnections(int tableSize) { this.tableSize = tableSize; }

        void offer(int first, int n) {
            for (int i = first; i < first + n; i++) offered.add(new long[] {i, System.nanoTime()});
        }

        @Override
        public int drain(SyncEntry into, Consumer<SyncEntry> each, int max) {
            int n = 0;
            long[] o;
            while (n < max && (o = offered.poll()) != null) {
                describe(into, (int) o[0], NEW_PORT, (int) (o[1] / 1000));
                each.accept(into);
                n++;
            }
            return n;
        }

        @Override
        public void walk(SyncEntry into, Consumer<SyncEntry> each) {
            for (int i = 0; i < tableSize; i++) {
                describe(into, i, TABLE_PORT, 0);
                each.accept(into);
            }
        }

        /** Connection i: client 10.1.x.y (i's low 16 bits) to vport, its offer time (micros, low 32 bits) as fwmark. */
        static void describe(SyncEntry e, int i, int vport, int stamp) {
            e.protocol = 6;
            e.ipv6 = false;
            e.flags = SyncEntry.F_DROUTE;
            e.state = 1;
            e.clientHi = 0;
            e.clientLo = Addresses.mappedLo(0x0A010000 | (i & 0xFFFF));
            e.clientPort = 1024 + i % 60000;
            e.virtualHi = 0;
            e.virtualLo = Addresses.mappedLo(0x0A000064);
            e.virtualPort = vport;
            e.destHi = 0;
            e.destLo = Addresses.mappedLo(0x0A00000B);
            e.destPort = 80;
            e.fwmark = stamp;
            e.timeoutSeconds = 900;
        }
    }

    /** A backup's target: which connections arrived, per virtual port, and the new ones' latencies. */
    static final class ReceivedConnections implements SyncDaemon.Target {
        final BitSet table = new BitSet(), fresh = new BitSet();
        final long[] latencyMicros = new long[OFFERED];
        int latencies;

        @Override
        public synchronized void accept(SyncEntry e) {
            int id = (int) (e.clientLo & 0xFFFF);
            if (e.virtualPort == TABLE_PORT) {
                table.set(id);
            } else {
                fresh.set(id);
                if (latencies < latencyMicros.length) {
                    latencyMicros[latencies++] = (System.nanoTime() / 1000 - (e.fwmark & 0xFFFF_FFFFL)) & 0xFFFF_FFFFL;
                }
            }
        }

        synchronized int tableCount() { return table.cardinality(); }

        synchronized int freshCount() { return fresh.cardinality(); }

        synchronized String latencyReport() {
            long[] sorted = Arrays.copyOf(latencyMicros, latencies);
            Arrays.sort(sorted);
            return String.format("%d entries: median %d us, p99 %d us, max %d us", sorted.length,
                    sorted[sorted.length / 2], sorted[sorted.length * 99 / 100], sorted[sorted.length - 1]);
        }
    }

    @Test
    void everyOfferedConnectionReachesTheBackup() throws Exception {
        try (SyncPairNamespaces ns = new SyncPairNamespaces("jlvssz1")) {
            OfferedConnections source = new OfferedConnections(0);
            ReceivedConnections target = new ReceivedConnections();
            try (SyncDaemon master = ns.start(ns.master, source, e -> { }, SyncDaemon.Role.MASTER);
                 SyncDaemon backup = ns.start(ns.backup, new OfferedConnections(0), target, SyncDaemon.Role.BACKUP)) {
                await(backup::resyncComplete, "the (empty) resync: the backup and the master hear each other");
                // A steady stream of new connections, not one burst: each batch once the master took the last.
                for (int first = 0; first < OFFERED; first += BATCH) {
                    source.offer(first, BATCH);
                    await(source.offered::isEmpty, "the master draining batch " + first);
                }
                await(() -> target.freshCount() == OFFERED, OFFERED + " offered connections at the backup");
                System.out.println("sync latency, offer to backup target, " + target.latencyReport());
                assertEquals(OFFERED, master.entriesSent());
                assertEquals(OFFERED, backup.entriesReceived());
                assertEquals(0, master.sendErrors());
                assertEquals(0, Arrays.stream(SyncDrop.values()).mapToLong(backup::dropped).sum());
                assertEquals(0, backup.resyncsUnanswered(), "the master answered the resync request");
            }
        }
    }

    @Test
    void aBackupJoiningLateGetsTheWholeTableWhileNewConnectionsFlow() throws Exception {
        try (SyncPairNamespaces ns = new SyncPairNamespaces("jlvssz2")) {
            OfferedConnections source = new OfferedConnections(TABLE);
            ReceivedConnections target = new ReceivedConnections();
            try (SyncDaemon master = ns.start(ns.master, source, e -> { }, SyncDaemon.Role.MASTER)) {
                long joined = System.nanoTime();
                try (SyncDaemon backup = ns.start(ns.backup, new OfferedConnections(0), target,
                        SyncDaemon.Role.BACKUP)) {
                    assertFalse(backup.resyncComplete(), "not complete before the master's table arrived");
                    for (int first = 0; first < DURING_RESYNC; first += BATCH) {
                        source.offer(first, BATCH);
                        await(source.offered::isEmpty, "the master draining batch " + first);
                    }
                    await(backup::resyncComplete, "the end of the resync");
                    long resyncMillis = (System.nanoTime() - joined) / 1_000_000;
                    assertEquals(TABLE, target.tableCount(), "every connection of the master's table");
                    await(() -> target.freshCount() == DURING_RESYNC, "the connections offered during the resync");
                    System.out.println("resync of " + TABLE + " entries took " + resyncMillis + " ms; latency of "
                            + "connections offered meanwhile, " + target.latencyReport());
                    assertTrue(master.resyncsSent() >= 1);
                    assertEquals(0, master.sendErrors());
                    assertEquals(0, Arrays.stream(SyncDrop.values()).mapToLong(backup::dropped).sum());
                }
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            LockSupport.parkNanos(100_000);
        }
    }
}
