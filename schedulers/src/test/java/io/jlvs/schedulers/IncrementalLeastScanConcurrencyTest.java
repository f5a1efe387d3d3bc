package io.jlvs.schedulers;

import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental scans under races: forwarding threads decide and update the chosen servers' counters while the
 * control plane replaces the server set and changes weights. During the run every decision must name a server of
 * the pool (an anchor always takes connections); at every quiet point afterwards the decision must be exactly the
 * kernel's plain loop, so no cached block winner refreshed during a race may be trusted after it.
 */
class IncrementalLeastScanConcurrencyTest {
    private static final int WORKERS = 2;
    private static final int POOL = 150;
    private static final int ROUNDS = 6;
    private static final long ROUND_MILLIS = 120;

    @ParameterizedTest
    @ValueSource(strings = {"lc", "wlc", "sed", "nq"})
    void racingUpdatesLeaveNoStaleWinnerBehind(String name) throws Exception {
        ServiceScheduler service = new ServiceScheduler(SchedulerRegistry.create(name));
        DestinationIds ids = new DestinationIds();
        Destination anchor = new Destination(ids, 0, FlowDescription.mappedLo(0xAC130001), 80, 3);
        List<Destination> pool = new ArrayList<>();
        for (int i = 0; i < POOL; i++) pool.add(new Destination(ids, 0, FlowDescription.mappedLo(0xAC130100 + i), 80, 1 + i % 4));
        service.setServers(withAnchor(pool, anchor, new Random(0)));
        Random control = new Random(5);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long decisions = 0;
        for (int round = 0; round < ROUNDS; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong made = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < WORKERS; t++) {
                int seed = round * WORKERS + t;
                workers.add(Thread.ofPlatform().start(() -> work(service, anchor, pool, seed, stop, made, failures)));
            }
            long end = System.currentTimeMillis() + ROUND_MILLIS;
            int changes = 0;
            while (System.currentTimeMillis() < end || changes < 20) {
                if (control.nextInt(4) == 0) service.setServers(withAnchor(pool, anchor, control));
                else pool.get(control.nextInt(POOL)).setWeight(control.nextInt(4));
                changes++;
                Thread.onSpinWait();
            }
            stop.set(true);
            for (Thread w : workers) w.join();
            decisions += made.get();
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
            List<Destination> members = service.servers().asList();
            FlowDescription flow = new FlowDescription();
            assertSame(KernelLeastLoadReference.choose(name, members), service.schedule(flow, 0), name + " after round " + round);
            members.get(control.nextInt(members.size())).addConnections(1, 0);
            assertSame(KernelLeastLoadReference.choose(name, members), service.schedule(flow, 0), name + " after round " + round + " and one more");
        }
        assertTrue(decisions > 1000, decisions + " decisions");
    }

    /** Decides, binds a connection to the choice, and ends connections this worker made (counts never go negative). */
    private static void work(ServiceScheduler service, Destination anchor, List<Destination> pool, int seed,
                             AtomicBoolean stop, AtomicLong made, ConcurrentLinkedQueue<String> failures) {
        Random random = new Random(seed);
        int[] mine = new int[POOL + 1];
        FlowDescription flow = new FlowDescription();
        try {
            while (!stop.get()) {
                Destination s = service.schedule(flow, 0);
                if (s == null) { failures.add("no server while the anchor was available"); continue; }
                int index = s == anchor ? POOL : pool.indexOf(s);
                if (index < 0) { failures.add("unknown server " + s); continue; }
                s.addConnections(1, 0);
                mine[index]++;
                int end = random.nextInt(POOL + 1);
                if (mine[end] > 0) {
                    Destination done = end == POOL ? anchor : pool.get(end);
                    if (random.nextBoolean()) { done.moveActiveToInactive(); done.addConnections(0, -1); }
                    else done.addConnections(-1, 0);
                    mine[end]--;
                }
                made.incrementAndGet();
            }
            // Leave the counts as they are: the quiet-point check compares against whatever state results.
        } catch (Throwable e) {
            failures.add(e.toString());
        }
    }

    private static List<Destination> withAnchor(List<Destination> pool, Destination anchor, Random random) {
        List<Destination> next = new ArrayList<>();
        for (Destination s : pool) if (random.nextInt(8) != 0) next.add(s);
        next.add(random.nextInt(next.size() + 1), anchor);
        return next;
    }
}
