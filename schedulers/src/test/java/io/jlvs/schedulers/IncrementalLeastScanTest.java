package io.jlvs.schedulers;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.ThreadMXBean;

import io.jlvs.packets.FlowDescription;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * lc, wlc, sed and nq bound to a server set answer from cached block winners; this pins that after every kind of change
 * (counter updates of all kinds, OVERLOAD flipping both ways, weight changes, servers added, removed, reordered
 * through {@link ServiceScheduler#setServers}) their answer is exactly the kernel's plain loop over the current
 * state. Decisions are interleaved with single changes, so a change that failed to invalidate its block shows.
 */
class IncrementalLeastScanTest {
    private static final String[] NAMES = {"lc", "wlc", "sed", "nq"};
    /** Pool sizes first (members are about 90% of the pool, reshuffled); then random ones up to 300. */
    private static final int[] SIZES = {1, 2, 64, 71, 72, 73, 100, 128, 129, 143, 200, 300};

    @Test
    void boundScansMatchThePlainKernelLoopAfterEveryChange() {
        Random random = new Random(11);
        FlowDescription flow = new FlowDescription();
        int rounds = 40;
        for (int round = 0; round < rounds; round++) {
            int poolSize = round < SIZES.length ? SIZES[round] : 1 + random.nextInt(300);
            List<Destination> pool = new ArrayList<>();
            for (int i = 0; i < poolSize; i++) {
                pool.add(new Destination(new DestinationIds(), 0, FlowDescription.mappedLo(0xAC110000 + i + 1), 80, randomWeight(random)));
            }
            for (Destination s : pool) randomCounts(random, s);
            // The service owns the set (and rebuilds on weight changes); all four algorithms are also bound to the
            // very same set, as the instances bound to one set share its blocks.
            String serviceAlgorithm = NAMES[round % NAMES.length];
            ServiceScheduler service = new ServiceScheduler(SchedulerRegistry.create(serviceAlgorithm));
            List<Destination> members = new ArrayList<>(pool);
            service.setServers(members);
            Scheduler[] others = bindAll(service.servers());
            int steps = 1500;
            for (int step = 0; step < steps; step++) {
                String change = changeSomething(random, pool, members, service);
                if (change.equals("servers")) others = bindAll(service.servers());
                String where = "round " + round + " step " + step + " after " + change + " (" + members.size() + " servers)";
                if (members.size() > ScanBlocks.SIZE) {
                    ScanBlocks blocks = members.get(0).scanSlot().blocks();
                    assertTrue(blocks.servers() == service.servers() && !blocks.superseded(), "blocks in use, " + where);
                } else {
                    for (Destination s : members) assertNull(s.scanSlot(), "one block or less: plain scan, no bump, " + where);
                }
                assertSame(KernelLeastLoadReference.choose(serviceAlgorithm, members), service.schedule(flow, 0),
                        serviceAlgorithm + " via service, " + where);
                for (int a = 0; a < NAMES.length; a++) {
                    assertSame(KernelLeastLoadReference.choose(NAMES[a], members), others[a].schedule(service.servers(), flow),
                            NAMES[a] + ", " + where);
                }
            }
        }
    }

    @Test
    void boundSchedulersUseTheirBlocksAndFallBackOnceAnotherSetTakesTheServers() {
        List<Destination> list = manyServers(ScanBlocks.SIZE * 2 + 1);
        ServerSet first = ServerSet.of(list);
        Scheduler lc = SchedulerRegistry.create("lc").withServers(first);
        Scheduler wlc = SchedulerRegistry.create("wlc").withServers(first);
        ScanBlocks shared = list.get(0).scanSlot().blocks();
        assertSame(first, shared.servers(), "servers point at the blocks of the set they were bound with");
        assertSame(shared, list.get(list.size() - 1).scanSlot().blocks(), "lc and wlc bound to one set share its blocks");
        assertFalse(shared.superseded());

        ServerSet second = ServerSet.of(list);
        Scheduler lcSecond = SchedulerRegistry.create("lc").withServers(second);
        assertTrue(shared.superseded(), "binding another set with the same servers supersedes the first set's blocks");
        list.get(2).addConnections(5, 0);      // bumps only the second set's blocks now
        FlowDescription flow = new FlowDescription();
        assertSame(KernelLeastLoadReference.choose("lc", list), lc.schedule(first, flow), "superseded: plain loop, still exact");
        assertSame(KernelLeastLoadReference.choose("wlc", list), wlc.schedule(first, flow));
        assertSame(KernelLeastLoadReference.choose("lc", list), lcSecond.schedule(second, flow));
    }

    @Test
    void setsOfOneBlockKeepThePlainScanAndTheirServersStopBumping() {
        List<Destination> list = manyServers(ScanBlocks.SIZE * 2);
        Scheduler big = SchedulerRegistry.create("wlc").withServers(ServerSet.of(list));
        ScanBlocks blocks = list.get(0).scanSlot().blocks();
        ServerSet small = ServerSet.of(list.subList(0, ScanBlocks.SIZE));
        Scheduler plain = SchedulerRegistry.create("wlc").withServers(small);
        for (Destination s : list.subList(0, ScanBlocks.SIZE)) assertNull(s.scanSlot());
        assertTrue(blocks.superseded(), "the big set's blocks lost servers that no longer bump them");
        list.get(3).addConnections(0, 7);
        assertSame(KernelLeastLoadReference.choose("wlc", list), big.schedule(ServerSet.of(list), new FlowDescription()));
        assertSame(KernelLeastLoadReference.choose("wlc", small.asList()), plain.schedule(small, new FlowDescription()));
    }

    @Test
    void boundScansAndCounterUpdatesAllocateNothing() {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Destination> list = manyServers(300);
        ServerSet set = ServerSet.of(list);
        Scheduler[] bound = bindAll(set);
        FlowDescription flow = new FlowDescription();
        churn(bound, set, list, flow, 50_000);      // compiled
        long allocated = Long.MAX_VALUE;
        // Best of three: a stray runtime allocation (compilation events) may land on this thread; a per-decision
        // or per-update one would show in all three.
        for (int round = 0; round < 3 && allocated > 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            churn(bound, set, list, flow, 20_000);
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, allocated, "bytes allocated by 4 x 20000 decisions with counter updates");
    }

    private static void churn(Scheduler[] bound, ServerSet set, List<Destination> list, FlowDescription flow, int decisions) {
        for (int i = 0; i < decisions; i++) {
            for (Scheduler scheduler : bound) {
                Destination chosen = scheduler.schedule(set, flow);
                if (chosen == null) fail(scheduler.name() + " returned no server");
                chosen.addConnections(1, 0);
            }
            Destination done = list.get(i % list.size());
            for (int k = 0; k < bound.length && done.activeConns() > 0; k++) done.addConnections(-1, 0);
            done.moveActiveToInactive();
            done.moveInactiveToActive();
        }
    }

    private static List<Destination> manyServers(int n) {
        List<Destination> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Destination s = new Destination(new DestinationIds(), 0, FlowDescription.mappedLo(0xAC120000 + i + 1), 80, 1 + i % 7);
            s.addConnections(i % 5, i % 11);
            list.add(s);
        }
        return list;
    }

    private static Scheduler[] bindAll(ServerSet set) {
        Scheduler[] bound = new Scheduler[NAMES.length];
        for (int a = 0; a < NAMES.length; a++) bound[a] = SchedulerRegistry.create(NAMES[a]).withServers(set);
        return bound;
    }

    /** One random change; returns its kind for failure messages. */
    private static String changeSomething(Random random, List<Destination> pool, List<Destination> members,
                                          ServiceScheduler service) {
        // Mostly the current members (their blocks matter), sometimes a removed server (must not matter).
        List<Destination> from = members.isEmpty() || random.nextInt(10) == 0 ? pool : members;
        Destination s = from.get(random.nextInt(from.size()));
        int kind = random.nextInt(100);
        if (kind < 30) {
            int active = s.activeConns(), inactive = s.inactiveConns();
            int da = random.nextInt(5) - 2, di = random.nextInt(5) - 2;
            s.addConnections(Math.max(da, -active), Math.max(di, -inactive));
            return "addConnections";
        } else if (kind < 40) {
            if (random.nextBoolean() || s.activeConns() == 0) s.addActive(1); else s.addActive(-1);
            return "addActive";
        } else if (kind < 50) {
            if (random.nextBoolean() || s.inactiveConns() == 0) s.addInactive(1); else s.addInactive(-1);
            return "addInactive";
        } else if (kind < 60) {
            if (s.inactiveConns() > 0 && random.nextBoolean()) s.moveInactiveToActive();
            else if (s.activeConns() > 0) s.moveActiveToInactive();
            return "move";
        } else if (kind < 65) {
            if (random.nextBoolean() || s.persistConns() == 0) s.addPersistent(1); else s.addPersistent(-1);
            return "addPersistent";
        } else if (kind < 75) {
            // Thresholds near the current total, so that the next additions or removals flip OVERLOAD.
            int total = s.activeConns() + s.inactiveConns();
            s.setLowerThreshold(random.nextInt(3) == 0 ? 0 : Math.max(0, total - random.nextInt(3)));
            s.setUpperThreshold(random.nextInt(4) == 0 ? 0 : total + random.nextInt(3));
            return "thresholds";
        } else if (kind < 85) {
            s.setWeight(randomWeight(random));
            return "weight";
        } else if (kind < 88) {
            members.clear();
            for (Destination p : pool) if (random.nextInt(10) != 0) members.add(p);
            if (members.isEmpty() || random.nextBoolean()) Collections.shuffle(members, random);
            service.setServers(members);
            return "servers";
        } else {
            return "nothing";
        }
    }

    private static int randomWeight(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1, 2 -> 1;
            case 3 -> Destination.MAX_WEIGHT;
            default -> 1 + random.nextInt(100);
        };
    }

    private static void randomCounts(Random random, Destination s) {
        int scale = random.nextInt(3) == 0 ? 100_000 : 4;   // small counts make many exact ties
        int active = random.nextInt(scale), inactive = random.nextInt(scale);
        if (random.nextInt(6) == 0) s.setUpperThreshold(active + inactive + 1);
        s.addConnections(active, inactive);
    }

}
