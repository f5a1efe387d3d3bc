package io.jlvs.schedulers;

import static io.jlvs.schedulers.TestFlows.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forwarding threads schedule while the control plane adds, removes and reweights servers. One anchor server is
 * always present with weight above 0, so every scheduler that can fall back must always answer.
 */
class ConcurrentSchedulingTest {
    private static final int THREADS = 3;
    private static final long RUN_MILLIS = 400;

    @ParameterizedTest
    @ValueSource(strings = {"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "lblc", "lblcr", "twos", "sh", "mh"})
    void noExceptionAndAlwaysAServerWhileOneIsAvailable(String name) throws Exception {
        Set<String> flags = name.equals("sh") ? Set.of("sh-fallback") : name.equals("mh") ? Set.of("mh-fallback") : Set.of();
        hammer(name, flags, true);
    }

    /** Without fallback a flow whose bucket server is quiescent legitimately gets none; nothing may throw. */
    @ParameterizedTest
    @ValueSource(strings = {"dh", "sh", "mh"})
    void hashSchedulersWithoutFallbackNeverThrowAndOnlyPickKnownServers(String name) throws Exception {
        hammer(name, Set.of(), false);
    }

    private void hammer(String name, Set<String> flags, boolean mustAnswer) throws Exception {
        // A smaller Maglev table only so that the control thread makes many changes in the short run.
        Map<String, String> options = Map.of(SchedulerRegistry.MH_TABLE_SIZE, "4093");
        ServiceScheduler service = new ServiceScheduler(SchedulerRegistry.create(name, flags, options));
        Destination anchor = server("172.16.100.1", 80, 3);
        List<Destination> pool = servers(1, 2, 3, 4, 5, 6, 7, 8);
        service.setServers(List.of(anchor));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong decisions = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            workers.add(Thread.ofPlatform().start(() -> {
                FlowDescription flow = tcp("10.0.0.1", 1000, "192.0.2.1", 80);
                int i = seed;
                try {
                    while (!stop.get()) {
                        flow.srcLo = FlowDescription.mappedLo(0x0A000000 + (i++ & 0xFFFF));
                        flow.dstLo = FlowDescription.mappedLo(0xC6336400 + (i & 0xFF));
                        Destination s = service.schedule(flow, 0);
                        if (s == null && mustAnswer) failures.add("no server for a flow while the anchor was available");
                        if (s != null && s != anchor && !pool.contains(s)) failures.add("unknown server " + s);
                        decisions.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e.toString());
                }
            }));
        }
        Random random = new Random(1);
        long start = System.currentTimeMillis();
        int changes = 0;
        // At least RUN_MILLIS and 50 changes (table rebuilds are slow while workers hog a loaded machine), at most 10 s.
        while ((System.currentTimeMillis() - start < RUN_MILLIS || changes < 50) && System.currentTimeMillis() - start < 10_000) {
            List<Destination> next = new ArrayList<>();
            for (Destination s : pool) if (random.nextBoolean()) next.add(s);
            next.add(random.nextInt(next.size() + 1), anchor);
            service.setServers(next);
            pool.get(random.nextInt(pool.size())).setWeight(random.nextInt(4));
            changes++;
        }
        stop.set(true);
        for (Thread w : workers) w.join();
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
        assertTrue(changes >= 50 && decisions.get() > 1000, changes + " changes, " + decisions.get() + " decisions");
    }
}
