package io.jlvs.schedulers;

import static io.jlvs.schedulers.TestFlows.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaglevSchedulerTest {
    private static final int M = MaglevScheduler.DEFAULT_TABLE_SIZE;

    private static MaglevScheduler build(List<Destination> servers, Set<String> flags) {
        return (MaglevScheduler) SchedulerRegistry.create("mh", flags, Map.of()).withServers(ServerSet.of(servers));
    }

    private static int[] weights100() {
        int[] w = new int[100];
        for (int i = 0; i < 100; i++) w[i] = 1 + i % 5;
        return w;
    }

    @Test
    void hsiphashMatchesAnIndependentReferenceOfTheKernelsSipHash13() {
        // Values from a separate Python transcription of lib/siphash.c (64-bit hsiphash, 4-byte input).
        assertEquals(492468162, KernelHashes.hsiphash32(0, 2654435761L, 2654435761L));
        assertEquals(377838939, KernelHashes.hsiphash32(0, 2654435801L, 2654435801L));
        assertEquals(50859236, KernelHashes.hsiphash32(0x0A000001, 2654435761L, 2654435761L));
        assertEquals((int) 3545178502L, KernelHashes.hsiphash32(0x0A000001, 2654435801L, 2654435801L));
        assertEquals((int) 2314240633L, KernelHashes.hsiphash32(0xAC100001 + 80, 2654435801L, 2654435801L));
    }

    @Test
    void everyServersShareIsWithinOnePercentOfItsWeightShare() {
        List<Destination> list = servers(weights100());
        MaglevScheduler mh = build(list, Set.of());
        Map<Destination, Integer> slots = new HashMap<>();
        for (int i = 0; i < M; i++) slots.merge(mh.slot(i), 1, Integer::sum);
        long totalWeight = list.stream().mapToLong(Destination::weight).sum();
        double worst = 0;
        for (Destination s : list) {
            double expected = (double) M * s.weight() / totalWeight;
            double deviation = Math.abs(slots.getOrDefault(s, 0) - expected) / expected;
            worst = Math.max(worst, deviation);
        }
        assertTrue(worst <= 0.01, "worst relative deviation from the weight share: " + worst);
    }

    @Test
    void removingOneOfHundredServersMovesAtMostTwoPercentOfTheOthersFlows() {
        List<Destination> list = servers(weights100());
        MaglevScheduler before = build(list, Set.of());
        Destination removed = list.get(37);
        List<Destination> rest = new ArrayList<>(list);
        rest.remove(removed);
        MaglevScheduler after = build(rest, Set.of());
        int others = 0, moved = 0;
        for (int i = 0; i < M; i++) {
            if (before.slot(i) == removed) continue;
            others++;
            if (after.slot(i) != before.slot(i)) moved++;
        }
        double fraction = (double) moved / others;
        assertTrue(fraction <= 0.02, "moved " + moved + " of " + others + " = " + fraction);
        for (int i = 0; i < M; i++) assertNotSame(removed, after.slot(i));
    }

    @Test
    void tablesAreIdenticalWhateverTheOrderServersWereAddedIn() {
        int[] weights = weights100();
        List<Destination> first = servers(weights);
        List<Destination> second = servers(weights);   // other objects, same addresses: another director
        Collections.shuffle(second, new Random(7));
        MaglevScheduler a = build(first, Set.of());
        MaglevScheduler b = build(second, Set.of());
        for (int i = 0; i < M; i++) {
            assertEquals(a.slot(i).addrLo(), b.slot(i).addrLo(), "slot " + i);
            assertEquals(a.slot(i).port(), b.slot(i).port(), "slot " + i);
        }
    }

    @Test
    void theSameFlowGoesToTheSameServerOnTwoDirectors() {
        List<Destination> first = servers(3, 1, 2, 5);
        List<Destination> second = servers(3, 1, 2, 5);
        Collections.reverse(second);
        MaglevScheduler a = build(first, Set.of());
        MaglevScheduler b = build(second, Set.of());
        for (int c = 0; c < 1000; c++) {
            FlowDescription f = fromClient(0x0A000000 + c * 7919);
            assertEquals(a.schedule(null, f).addrLo(), b.schedule(null, f).addrLo());
        }
    }

    @Test
    void quiescentServerKeepsItsSlotsSoOtherFlowsStay() {
        List<Destination> list = servers(1, 1, 1, 1);
        ServiceScheduler service = new ServiceScheduler(SchedulerRegistry.create("mh"));
        service.setServers(list);
        MaglevScheduler before = (MaglevScheduler) service.scheduler();
        list.get(2).setWeight(0);
        MaglevScheduler after = (MaglevScheduler) service.scheduler();
        assertNotSame(before, after, "a weight change rebuilds");
        for (int i = 0; i < M; i++) assertSame(before.slot(i), after.slot(i));
        int none = 0;
        for (int c = 0; c < 400; c++) {
            FlowDescription f = fromClient(0x0A000000 + c);
            Destination s = service.schedule(f, 0);
            if (after.slot(slotOf(after, f)) == list.get(2)) { assertNull(s); none++; }
            else assertSame(after.slot(slotOf(after, f)), s);
        }
        assertTrue(none > 0, "some flows hashed to the quiescent server");
    }

    private static int slotOf(MaglevScheduler mh, FlowDescription f) {
        int fold = (int) f.srcLo;
        return Integer.remainderUnsigned(KernelHashes.hsiphash32(fold, 2654435761L, 2654435761L), mh.tableSize());
    }

    @Test
    void fallbackFindsAnotherServerWhenTheSlotsServerIsUnavailable() {
        List<Destination> list = servers(1, 1, 1);
        list.get(0).setUpperThreshold(1);
        list.get(0).addActive(1);   // OVERLOAD
        MaglevScheduler plain = build(list, Set.of());
        MaglevScheduler fallback = build(list, Set.of("mh-fallback"));
        int rescued = 0;
        for (int c = 0; c < 300; c++) {
            FlowDescription f = fromClient(0x0A000000 + c);
            Destination p = plain.schedule(null, f);
            Destination fb = fallback.schedule(null, f);
            assertNotNull(fb);
            assertNotSame(list.get(0), fb);
            if (p == null) rescued++; else assertSame(p, fb, "an available slot server is used as is");
        }
        assertTrue(rescued > 0);
    }

    @Test
    void mhPortSpreadsOneClientsPortsOverServers() {
        List<Destination> list = servers(1, 1, 1, 1);
        MaglevScheduler byAddress = build(list, Set.of());
        MaglevScheduler byPort = build(list, Set.of("mh-port"));
        Set<Destination> addressOnly = new HashSet<>(), withPort = new HashSet<>();
        for (int port = 1000; port < 1100; port++) {
            FlowDescription f = tcp("10.1.2.3", port, "192.0.2.1", 80);
            addressOnly.add(byAddress.schedule(null, f));
            withPort.add(byPort.schedule(null, f));
        }
        assertEquals(1, addressOnly.size());
        assertEquals(4, withPort.size());
    }

    @Test
    void tableSizeIsSelectableAndMustBePrime() {
        var small = (MaglevScheduler) SchedulerRegistry.create("mh", Set.of(), Map.of(SchedulerRegistry.MH_TABLE_SIZE, "4093"));
        assertEquals(4093, small.tableSize());
        assertThrows(IllegalArgumentException.class,
                () -> SchedulerRegistry.create("mh", Set.of(), Map.of(SchedulerRegistry.MH_TABLE_SIZE, "4096")));
    }
}
