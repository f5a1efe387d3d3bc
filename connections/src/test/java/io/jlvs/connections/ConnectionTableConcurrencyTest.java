package io.jlvs.connections;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.jlvs.connections.Addresses.v4;
import static io.jlvs.connections.ConnectionTable.*;
import static io.jlvs.connections.TcpState.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Four forwarding threads create, look up and refresh their own connections while a housekeeping thread
 * expires on a synthetic clock, a lister iterates and a control thread removes a fifth thread's server.
 */
class ConnectionTableConcurrencyTest {
    private static final long MS = 1_000_000L;
    private static final int WORKERS = 4, KEYS = 3000, CHURN_DEST = 7;
    private static final long VIP = v4(207, 175, 44, 110);

    private static long client(int worker, int key) { return v4(10, worker, key >>> 8, key & 0xFF); }
    private static long real(int worker) { return v4(172, 16, 0, worker + 1); }

    @Test
    void noLostEntriesNoErrorsAndConsistentCounts() throws Exception {
        int capacity = 20_000;
        CountingEvents events = new CountingEvents(8);
        Timeouts shortTimeouts = new Timeouts(5, 2, 3); // so that entries really expire during the run
        AtomicLong clock = new AtomicLong(1_000_000 * MS);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong lookups = new AtomicLong(), listed = new AtomicLong(), expiredTotal = new AtomicLong();
        try (ConnectionTable t = new ConnectionTable(capacity, events, shortTimeouts)) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                threads.add(new Thread(() -> forwardingWorker(t, worker, clock, stop, lookups, failures)));
            }
            threads.add(new Thread(() -> churnWorker(t, clock, stop, failures)));
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long now = clock.addAndGet(20 * MS);
                        expiredTotal.addAndGet(t.expire(now));
                    }
                } catch (Throwable e) { failures.add(e); }
            }));
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        t.forEach(c -> {
                            listed.incrementAndGet();
                            // torn reads would break these relations between the fields of one entry
                            int worker = (int) (c.clientLo() >>> 16) & 0xFF;
                            if (c.destId() != CHURN_DEST && (c.destId() != worker || c.realLo() != real(worker)
                                    || c.clientPort() != 1000 + (int) (c.clientLo() & 0xFFFF) % 1000)) {
                                failures.add(new AssertionError("inconsistent view " + c));
                            }
                        }, clock.get());
                        t.removeByDest(CHURN_DEST);
                    }
                } catch (Throwable e) { failures.add(e); }
            }));
            threads.forEach(Thread::start);
            Thread.sleep(3000);
            stop.set(true);
            for (Thread thread : threads) thread.join();
            failures.forEach(Throwable::printStackTrace);
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
            System.out.printf("concurrency: %d lookups, %d listed, %d expired, %d full drops, size %d%n",
                    lookups.get(), listed.get(), expiredTotal.get(), t.fullDrops(), t.size());
            assertTrue(lookups.get() > 10_000, "the workers ran");
            assertTrue(expiredTotal.get() > 0, "the expirer expired entries during the run");

            // Quiescent: the counts reported through events match the table's content.
            long[] active = new long[8], inactive = new long[8];
            t.forEach(c -> {
                if (c.protocol() == PROTO_TCP && TcpState.isActive(c.state())) active[c.destId()]++;
                else inactive[c.destId()]++;
            }, clock.get());
            for (int d = 0; d < 8; d++) {
                assertEquals(active[d], events.active.get(d), "active of dest " + d);
                assertEquals(inactive[d], events.inactive.get(d), "inactive of dest " + d);
            }
            assertEquals(t.size(), events.totalActive() + events.totalInactive());

            // Everything expires eventually and every slot is usable again.
            long later = clock.get() + 3_600_000 * MS;
            while (t.expire(later) > 0) { /* bounded passes */ }
            t.expire(later);
            assertEquals(0, t.size());
            assertEquals(0, events.totalActive());
            assertEquals(0, events.totalInactive());
            long drops = t.fullDrops();
            for (int i = 0; i < capacity; i++) {
                assertTrue(t.create(PROTO_UDP, 0, v4(0x0B00_0000 | i), 1, 0, VIP, 53, 0, real(0), 53, 0, 0, 0, later) >= 0,
                        "slot " + i + " came back");
            }
            assertEquals(drops, t.fullDrops());
        }
    }

    private static void forwardingWorker(ConnectionTable t, int worker, AtomicLong clock, AtomicBoolean stop,
                                         AtomicLong lookups, ConcurrentLinkedQueue<Throwable> failures) {
        try {
            SplittableRandom random = new SplittableRandom(worker);
            long[] deadline = new long[KEYS]; // what this thread last armed; 0 = never created
            long[] handles = new long[KEYS];
            int[] states = new int[KEYS];
            long count = 0;
            while (!stop.get()) {
                int key = random.nextInt(KEYS);
                long client = client(worker, key);
                int port = 1000 + (int) (client & 0xFFFF) % 1000;
                long h = t.lookupInbound(PROTO_TCP, 0, client, port, 0, VIP, 80);
                count++;
                if (h < 0) {
                    long now = clock.get(); // read after the miss: an expiry before the miss is visible in it
                    if (deadline[key] != 0 && now < deadline[key]) {
                        throw new AssertionError("lost entry: worker " + worker + " key " + key + " deadline "
                                + deadline[key] + " now " + now + " handle " + Long.toHexString(handles[key])
                                + " live " + t.isLive(handles[key]) + " state " + states[key]);
                    }
                    h = t.create(PROTO_TCP, 0, client, port, 0, VIP, 80, 0, real(worker), 8080, 1, worker, 0, now);
                    if (h < 0) { deadline[key] = 0; continue; } // full
                    if (t.onPacket(h, DIR_INPUT, FLAG_SYN, now) < 0) { deadline[key] = 0; continue; }
                    handles[key] = h;
                    states[key] = -2;
                    deadline[key] = t.expiresAtNanos(h);
                    continue;
                }
                if (t.lookupOutbound(PROTO_TCP, 0, real(worker), 8080, 0, client, port) != h && t.isLive(h)) {
                    throw new AssertionError("outbound lookup disagrees for a live entry");
                }
                long now = clock.get();
                int flags = switch (random.nextInt(16)) {
                    case 0 -> FLAG_FIN | FLAG_ACK;
                    case 1 -> FLAG_RST;
                    default -> FLAG_ACK;
                };
                int state = t.onPacket(h, random.nextBoolean() ? DIR_INPUT : DIR_OUTPUT, flags, now);
                states[key] = state * 100 + flags;
                if (state >= 0) {
                    // -1: it expired right after the refresh, legitimately when this thread's clock reading
                    // was older than the expirer's by more than the timeout (preemption).
                    deadline[key] = Math.max(0, t.expiresAtNanos(h));
                } else if (clock.get() < deadline[key]) {
                    throw new AssertionError("entry died before its deadline");
                } else {
                    deadline[key] = 0;
                }
            }
            lookups.addAndGet(count);
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    /** Creates UDP entries of a server that the control thread keeps removing. */
    private static void churnWorker(ConnectionTable t, AtomicLong clock, AtomicBoolean stop,
                                    ConcurrentLinkedQueue<Throwable> failures) {
        try {
            SplittableRandom random = new SplittableRandom(99);
            while (!stop.get()) {
                long client = v4(0x0C00_0000 | random.nextInt(5000));
                long h = t.lookupInbound(PROTO_UDP, 0, client, 53, 0, VIP, 53);
                long now = clock.get();
                if (h < 0) h = t.create(PROTO_UDP, 0, client, 53, 0, VIP, 53, 0, real(9), 53, 2, CHURN_DEST, 0, now);
                if (h >= 0) t.onPacket(h, DIR_INPUT, 0, now);
            }
        } catch (Throwable e) {
            failures.add(e);
        }
    }
}
