package io.jlvs.connections;

import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jlvs.connections.TestAddresses.v4;
import static io.jlvs.connections.ConnectionTable.DIR_INPUT;
import static io.jlvs.connections.ConnectionTable.DIR_OUTPUT;
import static io.jlvs.packets.Ipv4.PROTO_TCP;
import static io.jlvs.packets.Ipv4.PROTO_UDP;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Rounds of concurrent work with a check of the whole table in between. In each round four forwarding threads
 * look up, create and refresh their own TCP connections (and create UDP connections of a server that the control
 * thread keeps removing), while a housekeeping thread expires at the round's clock and a lister reads every
 * entry. Then every thread waits at a barrier and the test expires what is due and compares the table with what
 * the workers know: every connection a worker refreshed is there, reachable by both keys and by no other, with
 * its own fields; nothing expired is; the size and the per-server counts agree with the content.
 *
 * <p>The clock is the round's and moves only between rounds, so that what must be in the table is known exactly:
 * during a round only entries whose deadline is at or before the clock may expire, racing with the workers that
 * refresh them.
 */
class ConnectionTableConcurrencyTest {
    private static final long S = 1_000_000_000L;
    private static final int WORKERS = 4, KEYS = 800, OPS_PER_ROUND = 1500, ROUNDS = 300;
    private static final int CHURN_DEST = 7, DESTS = 8, EXPIRE_BUDGET = 2;
    private static final long VIP = v4(207, 175, 44, 110);

    private static long client(int worker, int key) { return v4(10, worker, key >>> 8, key & 0xFF); }
    private static int clientPort(int key) { return 1000 + key; }
    private static long real(int worker) { return v4(172, 16, 0, worker + 1); }

    /** What one worker knows of its connections: handle and the deadline it last saw (0: none). */
    private static final class WorkerModel {
        final long[] handles = new long[KEYS];
        final long[] deadlines = new long[KEYS];
    }

    @Test
    void afterEveryRoundNoEntryIsLostMisplacedOrMiscounted() throws Exception {
        int capacity = 8192; // more than WORKERS * KEYS + the churn entries: creates never fail for lack of room
        CountingEvents events = new CountingEvents(DESTS);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        WorkerModel[] models = new WorkerModel[WORKERS];
        for (int w = 0; w < WORKERS; w++) models[w] = new WorkerModel();
        long[] clock = {1_000_000 * S};
        int threads = WORKERS + 2;
        CyclicBarrier start = new CyclicBarrier(threads + 1), end = new CyclicBarrier(threads + 1);
        AtomicInteger workersRunning = new AtomicInteger();
        boolean[] stop = {false};
        long lookups = 0, expired = 0;

        try (ConnectionTable t = new ConnectionTable(capacity, events)) {
            // Short timeouts, so that entries expire every few rounds.
            t.setTimeoutSeconds(PROTO_TCP, TcpState.ESTABLISHED, 4);
            t.setTimeoutSeconds(PROTO_TCP, TcpState.FIN_WAIT, 2);
            t.setTimeoutSeconds(PROTO_UDP, 0, 3);
            List<Thread> pool = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                pool.add(new Thread(() -> rounds(start, end, stop, failures, round -> {
                    try {
                        SplittableRandom random = new SplittableRandom(round * 31L + worker);
                        forwardingRound(t, worker, models[worker], clock[0], random);
                    } finally {
                        workersRunning.decrementAndGet();
                    }
                })));
            }
            pool.add(new Thread(() -> rounds(start, end, stop, failures, round -> {
                // A few entries per call, so that the expiry of the round's due entries overlaps the workers'
                // refreshes of those very entries instead of finishing before the workers get going.
                do {
                    t.expire(clock[0], EXPIRE_BUDGET);
                } while (workersRunning.get() > 0);
            })));
            pool.add(new Thread(() -> rounds(start, end, stop, failures, round -> {
                do {
                    t.forEach(ConnectionTableConcurrencyTest::checkFieldsOfOneEntry, clock[0]);
                    t.removeByDest(CHURN_DEST);
                } while (workersRunning.get() > 0);
            })));
            pool.forEach(Thread::start);

            SplittableRandom clockSteps = new SplittableRandom(7);
            for (int round = 0; round < ROUNDS && failures.isEmpty(); round++) {
                workersRunning.set(WORKERS);
                await(start);
                await(end);
                if (!failures.isEmpty()) break;
                expired += t.expire(clock[0], Integer.MAX_VALUE);
                lookups += (long) WORKERS * OPS_PER_ROUND;
                checkTable(t, events, models, clock[0], round);
                clock[0] += (1 + clockSteps.nextInt(6)) * S;
            }
            stop[0] = true;
            await(start);
            for (Thread thread : pool) thread.join();
            failures.forEach(Throwable::printStackTrace);
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
            long expiredOfWorkers = 0;
            for (int w = 0; w < WORKERS; w++) expiredOfWorkers += events.expired.get(w);
            assertTrue(expiredOfWorkers > 0, "worker entries expired");
            System.out.printf("concurrency: %d rounds, %d worker operations, %d worker entries expired (%d of them"
                            + " between rounds), size %d%n", ROUNDS, lookups, expiredOfWorkers, expired, t.size());

            // Everything expires eventually, and every slot is usable again.
            long later = clock[0] + 3_600 * S;
            t.removeByDest(CHURN_DEST);
            while (t.expire(later) > 0) { /* bounded by the entries */ }
            t.expire(later);
            assertEquals(0, t.size());
            assertEquals(0, events.totalActive());
            assertEquals(0, events.totalInactive());
            ConnectionParam p = new ConnectionParam();
            for (int i = 0; i < capacity; i++) {
                p.protocol(PROTO_UDP).client(0, v4(0x0B00_0000 | i), 1).virtual(0, VIP, 53).real(0, real(0), 53)
                        .binding(0, 0, 0);
                assertTrue(t.create(p, later) >= 0, "slot " + i + " came back");
            }
            assertEquals(0, t.fullDrops());
        }
    }

    /**
     * The narrowest race of the table, forced every round: one thread refreshes entries that are due while the
     * housekeeping thread expires them; it starts once the first has expired and walks them in one order or the
     * other by turns, so that the two meet on some entry.
     * A refresh that reports success must leave its entry in the table with the new deadline; one that reports
     * the entry gone must be right.
     */
    @Test
    void aRefreshRacingTheExpiryOfItsEntryEitherKeepsItOrReportsItGone() throws Exception {
        int keys = 256, rounds = 10_000;
        CountingEvents events = new CountingEvents(DESTS);
        CyclicBarrier start = new CyclicBarrier(2), end = new CyclicBarrier(2);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long[] clock = {1_000 * S};
        boolean[] stop = {false};
        long kept = 0, gone = 0;
        try (ConnectionTable t = new ConnectionTable(2 * keys, events)) {
            t.setTimeoutSeconds(PROTO_UDP, 0, 1);
            Thread expirer = new Thread(() -> rounds(start, end, stop, failures,
                    round -> t.expire(clock[0], Integer.MAX_VALUE)));
            expirer.start();
            ConnectionParam key = new ConnectionParam();
            long[] handles = new long[keys];
            int[] states = new int[keys];
            for (int round = 0; round < rounds && failures.isEmpty(); round++) {
                long now = clock[0];
                for (int k = 0; k < keys; k++) {
                    handles[k] = t.create(udpKey(key, k), now - S); // due exactly at now
                    assertTrue(handles[k] >= 0);
                }
                long expiredBefore = events.expired.get(0);
                await(start);
                // Start once the expirer has begun, so that the two walks overlap instead of one finishing first.
                while (events.expired.get(0) == expiredBefore && end.getNumberWaiting() == 0) Thread.onSpinWait();
                for (int i = 0; i < keys; i++) {
                    int k = round % 2 == 0 ? keys - 1 - i : i; // one of the two runs against the expirer's order
                    states[k] = t.onPacket(handles[k], DIR_INPUT, 0, now);
                }
                await(end);
                for (int k = 0; k < keys; k++) {
                    long found = t.lookup(udpKey(key, k), DIR_INPUT);
                    if (states[k] >= 0) {
                        kept++;
                        assertEquals(handles[k], found, "refreshed, so still there: round " + round + " key " + k);
                        assertEquals(now + S, t.expiresAtNanos(found), "with the refreshed deadline");
                    } else {
                        gone++;
                        assertEquals(-1, found, "reported gone, so gone: round " + round + " key " + k);
                    }
                }
                t.expire(now + 5 * S, Integer.MAX_VALUE); // the refreshed ones are due at now + 1 s
                assertEquals(0, t.size());
                clock[0] += 10 * S;
            }
            stop[0] = true;
            await(start);
            expirer.join();
            failures.forEach(Throwable::printStackTrace);
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
            System.out.printf("refresh against expiry: %d refreshes kept their entry, %d found it expired%n",
                    kept, gone);
            assertTrue(kept > 0 && gone > 0, "both outcomes occurred");
            assertEquals(0, events.totalInactive());
        }
    }

    private static ConnectionParam udpKey(ConnectionParam key, int k) {
        return key.protocol(PROTO_UDP).client(0, v4(0x0D00_0000 | k), 4000).virtual(0, VIP, 53)
                .real(0, real(0), 53).binding(3, 0, 0);
    }

    private interface Round {
        void run(int round) throws Exception;
    }

    /** Runs the thread's part of every round between the two barriers, until stopped. */
    private static void rounds(CyclicBarrier start, CyclicBarrier end, boolean[] stop,
                               ConcurrentLinkedQueue<Throwable> failures, Round part) {
        try {
            for (int round = 0; ; round++) {
                await(start);
                if (stop[0]) return; // written before the barrier: visible after it
                try {
                    part.run(round);
                } catch (Throwable e) {
                    failures.add(e);
                }
                await(end);
            }
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static void await(CyclicBarrier barrier)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
        barrier.await(60, TimeUnit.SECONDS);
    }

    private static void forwardingRound(ConnectionTable t, int worker, WorkerModel model, long now,
                                        SplittableRandom random) {
        ConnectionParam key = new ConnectionParam();
        ConnectionView entry = new ConnectionView();
        for (int op = 0; op < OPS_PER_ROUND; op++) {
            if (random.nextInt(16) == 0) {
                churn(t, key, random, now);
                continue;
            }
            int k = random.nextInt(KEYS);
            key.protocol(PROTO_TCP).client(0, client(worker, k), clientPort(k)).virtual(0, VIP, 80)
                    .real(0, real(worker), 8080).binding(1, worker, 0);
            long expected = model.deadlines[k];
            long h = t.lookup(key, DIR_INPUT, entry);
            if (h < 0) {
                if (expected > now) {
                    throw new AssertionError("lost entry: worker " + worker + " key " + k + " deadline "
                            + expected + " now " + now);
                }
                h = t.create(key, now, entry);
                if (h < 0) throw new AssertionError("create failed: worker " + worker + " key " + k);
                if (t.onPacket(h, DIR_INPUT, Tcp.SYN, now) < 0) throw new AssertionError("new entry expired");
                model.handles[k] = h;
                model.deadlines[k] = t.expiresAtNanos(h);
                continue;
            }
            checkEntryOfKey(entry, worker, k);
            if (expected > now && h != model.handles[k]) throw new AssertionError("another entry for key " + k);
            long out = t.lookup(key, DIR_OUTPUT);
            if (out != h && expected > now) throw new AssertionError("outbound lookup disagrees: key " + k);
            int flags = switch (random.nextInt(16)) {
                case 0 -> Tcp.FIN | Tcp.ACK;
                case 1 -> Tcp.RST;
                default -> Tcp.ACK;
            };
            int state = t.onPacket(h, random.nextBoolean() ? DIR_INPUT : DIR_OUTPUT, flags, now);
            if (state < 0) {
                // Only an entry due by now may be expired under our feet.
                if (expected > now) throw new AssertionError("entry died before its deadline: key " + k);
                model.deadlines[k] = 0;
            } else {
                model.handles[k] = h;
                model.deadlines[k] = t.expiresAtNanos(h);
                if (model.deadlines[k] <= now) throw new AssertionError("refreshed entry is due: key " + k);
            }
        }
    }

    /** UDP entries of the server that the control thread keeps removing: not in any worker's model. */
    private static void churn(ConnectionTable t, ConnectionParam key, SplittableRandom random, long now) {
        key.protocol(PROTO_UDP).client(0, v4(0x0C00_0000 | random.nextInt(500)), 53).virtual(0, VIP, 53)
                .real(0, real(9), 53).binding(2, CHURN_DEST, 0);
        long h = t.lookup(key, DIR_INPUT);
        if (h < 0) h = t.create(key, now);
        if (h >= 0) t.onPacket(h, DIR_INPUT, 0, now);
    }

    private static void checkEntryOfKey(ConnectionView entry, int worker, int k) {
        if (!entry.isValid() || entry.clientLo() != client(worker, k) || entry.clientPort() != clientPort(k)
                || entry.virtualLo() != VIP || entry.virtualPort() != 80 || entry.destId() != worker
                || entry.realLo() != real(worker) || entry.protocol() != PROTO_TCP) {
            throw new AssertionError("key " + k + " of worker " + worker + " found " + entry);
        }
    }

    /** A torn read would break these relations between the fields of one entry. */
    private static void checkFieldsOfOneEntry(ConnectionView c) {
        if (c.destId() == CHURN_DEST) {
            if (c.realLo() != real(9) || c.protocol() != PROTO_UDP) throw new AssertionError("torn view " + c);
            return;
        }
        int worker = (int) (c.clientLo() >>> 16) & 0xFF;
        int k = (int) (c.clientLo() & 0xFFFF);
        if (c.destId() != worker || c.realLo() != real(worker) || c.clientPort() != clientPort(k)) {
            throw new AssertionError("torn view " + c);
        }
    }

    /** Quiescent: the table holds exactly what the workers refreshed, each reachable by its keys only. */
    private static void checkTable(ConnectionTable t, CountingEvents events, WorkerModel[] models, long now,
                                   int round) {
        ConnectionParam key = new ConnectionParam();
        ConnectionView entry = new ConnectionView();
        long expectedLive = 0;
        for (int w = 0; w < WORKERS; w++) {
            for (int k = 0; k < KEYS; k++) {
                key.protocol(PROTO_TCP).client(0, client(w, k), clientPort(k)).virtual(0, VIP, 80)
                        .real(0, real(w), 8080);
                long h = t.lookup(key, DIR_INPUT, entry);
                long deadline = models[w].deadlines[k];
                String where = "round " + round + " worker " + w + " key " + k;
                if (deadline > now) {
                    expectedLive++;
                    assertEquals(models[w].handles[k], h, "lost or replaced entry, " + where);
                    checkEntryOfKey(entry, w, k);
                    assertEquals(h, t.lookup(key, DIR_OUTPUT), "outbound key, " + where);
                    assertEquals(deadline, t.expiresAtNanos(h), "deadline, " + where);
                } else {
                    assertEquals(-1, h, "an entry due by now survived expiry, " + where);
                    assertFalse(entry.isValid());
                }
            }
        }
        long[] active = new long[DESTS], inactive = new long[DESTS];
        long[] listed = new long[2];
        t.forEach(c -> {
            listed[0]++;
            if (c.destId() == CHURN_DEST) listed[1]++;
            key.protocol(c.protocol()).client(c.clientHi(), c.clientLo(), c.clientPort())
                    .virtual(c.virtualHi(), c.virtualLo(), c.virtualPort()).real(c.realHi(), c.realLo(), c.realPort());
            assertEquals(c.handle(), t.lookup(key, DIR_INPUT), "listed entry reachable by its inbound key");
            assertEquals(c.handle(), t.lookup(key, DIR_OUTPUT), "listed entry reachable by its outbound key");
            if (c.protocol() == PROTO_TCP && TcpState.isActive(c.state())) active[c.destId()]++;
            else inactive[c.destId()]++;
        }, now);
        assertEquals(expectedLive + listed[1], listed[0], "listing: worker entries plus churn entries, round " + round);
        assertEquals(listed[0], t.size(), "size, round " + round);
        for (int d = 0; d < DESTS; d++) {
            assertEquals(active[d], events.active.get(d), "active of dest " + d + ", round " + round);
            assertEquals(inactive[d], events.inactive.get(d), "inactive of dest " + d + ", round " + round);
        }
    }
}
