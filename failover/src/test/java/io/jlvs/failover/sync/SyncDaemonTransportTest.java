package io.jlvs.failover.sync;

import io.jlvs.control.model.Addresses;
import io.jlvs.platform.testkit.TestNamespaces;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A master and a backup sync daemon in two namespaces over a veth: every connection the master's source offers
 * reaches the backup's target (with the time it took), and a backup that starts late gets the master's whole table
 * through a resync and knows when it has it.
 */
class SyncDaemonTransportTest {
    static final int OFFERED = 10_000, TABLE = 50_000;

    /** A master's source: connections offered one by one (each stamped with its offer time), and a table to walk. */
    static final class OfferedConnections implements SyncDaemon.Source {
        final ConcurrentLinkedQueue<long[]> offered = new ConcurrentLinkedQueue<>();
        final int tableSize;

        OfferedConnections(int tableSize) { this.tableSize = tableSize; }

        void offer(int n) {
            for (int i = 0; i < n; i++) offered.add(new long[] {i, System.nanoTime()});
        }

        @Override
        public int drain(SyncEntry into, Consumer<SyncEntry> each, int max) {
            int n = 0;
            long[] o;
            while (n < max && (o = offered.poll()) != null) {
                describe(into, (int) o[0], (int) (o[1] / 1000));
                each.accept(into);
                n++;
            }
            return n;
        }

        @Override
        public void walk(SyncEntry into, Consumer<SyncEntry> each) {
            for (int i = 0; i < tableSize; i++) {
                describe(into, i, 0);
                each.accept(into);
            }
        }

        /** Connection i: client 10.1.x.y:i%60000, its offer time (micros, low 32 bits) as the fwmark. */
        static void describe(SyncEntry e, int i, int stamp) {
            e.protocol = 6;
            e.ipv6 = false;
            e.flags = SyncEntry.F_DROUTE;
            e.state = 1;
            e.clientHi = 0;
            e.clientLo = Addresses.mappedLo(0x0A010000 | (i >>> 8 & 0xFF) << 8 | (i & 0xFF));
            e.clientPort = 1024 + i % 60000;
            e.virtualHi = 0;
            e.virtualLo = Addresses.mappedLo(0x0A000064);
            e.virtualPort = 80;
            e.destHi = 0;
            e.destLo = Addresses.mappedLo(0x0A00000B);
            e.destPort = 80;
            e.fwmark = stamp;
            e.timeoutSeconds = 900;
        }
    }

    @Test
    void offeredConnectionsReachTheBackupAndALateBackupResyncsTheWholeTable() throws Exception {
        try (TestNamespaces ns = new TestNamespaces("jlvsnet-sym", "jlvsnet-syb")) {
            TestNamespaces.run("ip", "link", "add", "sy0", "netns", "jlvsnet-sym", "type", "veth", "peer", "name", "sy0",
                    "netns", "jlvsnet-syb");
            ns.sh("jlvsnet-sym", "ip addr add 10.9.0.1/24 dev sy0 && ip link set sy0 up");
            ns.sh("jlvsnet-syb", "ip addr add 10.9.0.2/24 dev sy0 && ip link set sy0 up");
            SyncDaemon.Settings settings = new SyncDaemon.Settings("sy0", 7, 1472,
                    InetAddress.getByName("224.0.0.81"), 8848, 1);
            OfferedConnections source = new OfferedConnections(TABLE);
            List<Long> latencies = new ArrayList<>();
            AtomicInteger received = new AtomicInteger();
            SyncDaemon.Target target = e -> {
                if (e.fwmark != 0) {
                    synchronized (latencies) {
                        latencies.add((System.nanoTime() / 1000 - (e.fwmark & 0xFFFF_FFFFL)) & 0xFFFF_FFFFL);
                    }
                }
                received.incrementAndGet();
            };
            SyncDaemon master = ns.in("jlvsnet-sym", () -> {
                SyncDaemon d = new SyncDaemon(settings, source, e -> { });
                d.start(SyncDaemon.Role.MASTER);
                return d;
            });
            try {
                SyncDaemon backup = ns.in("jlvsnet-syb", () -> {
                    SyncDaemon d = new SyncDaemon(settings, new OfferedConnections(0), target);
                    d.start(SyncDaemon.Role.BACKUP);
                    return d;
                });
                try {
                    await(backup::resyncComplete, "the resync of the master's table");
                    assertEquals(TABLE, received.get(), "every entry of the table");
                    received.set(0);
                    for (int i = 0; i < OFFERED / 100; i++) {
                        source.offer(100);
                        Thread.sleep(1); // a steady stream of new connections, not one burst
                    }
                    await(() -> received.get() == OFFERED, OFFERED + " offered connections at the backup");
                    long[] sorted;
                    synchronized (latencies) {
                        sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
                    }
                    System.out.printf("sync latency over %d entries: median %d us, p99 %d us, max %d us%n",
                            sorted.length, sorted[sorted.length / 2], sorted[sorted.length * 99 / 100],
                            sorted[sorted.length - 1]);
                    assertEquals(0, Arrays.stream(SyncDrop.values()).mapToLong(backup::dropped).sum());
                } finally {
                    backup.close();
                }
            } finally {
                master.close();
            }
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }
}
