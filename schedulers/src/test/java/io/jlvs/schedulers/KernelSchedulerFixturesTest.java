package io.jlvs.schedulers;

import static io.jlvs.schedulers.TestFlows.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Decision sequences that pin the kernel's behaviour of every scheduler, with expected values worked by hand. */
class KernelSchedulerFixturesTest {
    private final FlowDescription flow = tcp("10.0.0.1", 40000, "192.0.2.1", 80);

    private static Scheduler bind(String name, ServerSet set) {
        return SchedulerRegistry.create(name).withServers(set);
    }

    private static void load(Destination s, int active, int inactive) {
        s.addActive(active);
        s.addInactive(inactive);
    }

    @Test
    void rrCyclesInListOrderSkippingQuiescentAndOverloaded() {
        List<Destination> list = servers(1, 1, 1, 1);
        ServerSet set = ServerSet.of(list);
        Scheduler rr = bind("rr", set);
        assertEquals("ABCDABCD", sequence(rr, set, list, flow, 8));
        list.get(1).setWeight(0);
        list.get(2).setUpperThreshold(1);
        list.get(2).addActive(1);
        assertEquals("ADADA", sequence(rr, set, list, flow, 5));
    }

    @Test
    void rrRemovingLastChosenContinuesWithTheServerAfterIt() {
        List<Destination> list = servers(1, 1, 1, 1);
        ServerSet set = ServerSet.of(list);
        Scheduler rr = bind("rr", set);
        assertEquals("AB", sequence(rr, set, list, flow, 2));
        ServerSet without = ServerSet.of(list.get(0), list.get(2), list.get(3));
        Scheduler next = rr.withServers(without);
        assertEquals("CDAC", sequence(next, without, list, flow, 4));
    }

    @Test
    void wrrWeights432GiveTheKernelsInterleavedOrder() {
        List<Destination> list = servers(4, 3, 2);
        ServerSet set = ServerSet.of(list);
        Scheduler wrr = bind("wrr", set);
        assertEquals("AABABCABC" + "AABABCABC", sequence(wrr, set, list, flow, 18));
    }

    @Test
    void wrrStepsByTheGcdOfWeights() {
        // mw = 4 - (2 - 1) = 3, di = 2: cw 3 picks B, cw 1 picks A then B, then back to cw 3.
        List<Destination> list = servers(2, 4);
        ServerSet set = ServerSet.of(list);
        assertEquals("BABBAB", sequence(bind("wrr", set), set, list, flow, 6));
    }

    @Test
    void wrrSkipsOverloadedAndAnswersNoneWhenAllWeightsAreZero() {
        List<Destination> list = servers(4, 3, 2);
        list.get(0).setUpperThreshold(1);
        list.get(0).addActive(1);
        ServerSet set = ServerSet.of(list);
        assertEquals("BBCBC" + "BBCBC", sequence(bind("wrr", set), set, list, flow, 10));
        List<Destination> idle = servers(0, 0);
        ServerSet idleSet = ServerSet.of(idle);
        assertNull(bind("wrr", idleSet).schedule(idleSet, flow));
    }

    @Test
    void lcPicksLeastOverheadActiveCountingAs256() {
        List<Destination> list = servers(1, 1, 5, 1);
        load(list.get(0), 1, 0);    // 256
        load(list.get(1), 0, 300);  // 300
        load(list.get(2), 0, 10);   // 10, weight ignored by lc
        load(list.get(3), 0, 10);   // 10, a tie: the first wins
        ServerSet set = ServerSet.of(list);
        assertSame(list.get(2), bind("lc", set).schedule(set, flow));
        list.get(2).setWeight(0);
        assertSame(list.get(3), bind("lc", set).schedule(set, flow), "weight 0 is skipped");
    }

    @Test
    void wlcComparesOverheadPerWeightAndKeepsTheFirstOnTies() {
        List<Destination> list = servers(1, 3);
        load(list.get(0), 1, 0);   // 256 / 1
        load(list.get(1), 2, 0);   // 512 / 3 = 170.7
        ServerSet set = ServerSet.of(list);
        assertSame(list.get(1), bind("wlc", set).schedule(set, flow));

        List<Destination> tie = servers(2, 1);
        load(tie.get(0), 2, 0);    // 512 / 2
        load(tie.get(1), 1, 0);    // 256 / 1
        ServerSet tieSet = ServerSet.of(tie);
        assertSame(tie.get(0), bind("wlc", tieSet).schedule(tieSet, flow));
    }

    @Test
    void wlcNeverPicksWeightZeroEvenWhenIdle() {
        List<Destination> list = servers(1, 0);
        load(list.get(0), 50, 50);
        ServerSet set = ServerSet.of(list);
        assertSame(list.get(0), bind("wlc", set).schedule(set, flow));
    }

    @Test
    void sedCountsOnlyActivePlusOne() {
        List<Destination> list = servers(1, 3);
        load(list.get(0), 0, 10);     // sed (0+1)/1 = 1;    wlc 10/1 = 10
        load(list.get(1), 1, 0);      // sed (1+1)/3 = 0.67; wlc 256/3 = 85.3
        ServerSet set = ServerSet.of(list);
        assertSame(list.get(1), bind("sed", set).schedule(set, flow));
        assertSame(list.get(0), bind("wlc", set).schedule(set, flow), "wlc weighs inactive and disagrees");
    }

    @Test
    void nqTakesTheFirstIdleServerElseAsSed() {
        List<Destination> list = servers(1, 3, 1);
        load(list.get(0), 1, 0);   // 2/1
        load(list.get(1), 1, 0);   // 2/3
        ServerSet set = ServerSet.of(list);
        assertSame(list.get(2), bind("nq", set).schedule(set, flow), "C is idle");
        list.get(2).addActive(1);  // 2/1
        assertSame(list.get(1), bind("nq", set).schedule(set, flow), "no idle server: least (active+1)/weight");
    }

    @Test
    void foPicksHighestWeightFirstOnTiesSkippingOverloaded() {
        List<Destination> list = servers(5, 7, 7);
        ServerSet set = ServerSet.of(list);
        assertSame(list.get(1), bind("fo", set).schedule(set, flow));
        list.get(1).setUpperThreshold(1);
        list.get(1).addActive(1);
        assertSame(list.get(2), bind("fo", set).schedule(set, flow));
    }

    @Test
    void ovfOverflowsOnceActiveExceedsWeight() {
        List<Destination> list = servers(5, 3);
        ServerSet set = ServerSet.of(list);
        Scheduler ovf = bind("ovf", set);
        load(list.get(0), 5, 0);
        assertSame(list.get(0), ovf.schedule(set, flow), "5 active is not more than weight 5");
        list.get(0).addActive(1);
        assertSame(list.get(1), ovf.schedule(set, flow), "6 active overflows to the next weight");
        list.get(1).addActive(4);
        assertNull(ovf.schedule(set, flow), "every server above its weight");
    }

    @Test
    void dhBucketsAreFilledRoundRobinAndIndexedByTheKernelsMultiplier() {
        List<Destination> list = servers(1, 1, 1);
        ServerSet set = ServerSet.of(list);
        DestinationHashScheduler dh = (DestinationHashScheduler) bind("dh", set);
        for (int b = 0; b < 256; b++) assertSame(list.get(b % 3), dh.bucketServer(b), "bucket " + b);
        // 10.0.0.1 * 2654435761: low byte 0x01 * 0xB1 = 177; 10.0.0.2 -> 354 & 255 = 98; 10.0.0.3 -> 19.
        assertSame(list.get(177 % 3), dh.schedule(set, tcp("1.1.1.1", 1, "10.0.0.1", 80)));
        assertSame(list.get(98 % 3), dh.schedule(set, tcp("1.1.1.1", 1, "10.0.0.2", 80)));
        assertSame(list.get(19 % 3), dh.schedule(set, tcp("1.1.1.1", 1, "10.0.0.3", 80)));
        list.get(177 % 3).setWeight(0);
        assertNull(dh.schedule(set, tcp("1.1.1.1", 1, "10.0.0.1", 80)), "dh has no fallback");
    }

    @Test
    void dhFoldsIpv6AddressesToTheXorOfTheirFourWords() {
        List<Destination> list = servers(1, 1, 1);
        ServerSet set = ServerSet.of(list);
        Scheduler dh = bind("dh", set);
        FlowDescription v6 = tcp("1.1.1.1", 1, "10.0.0.1", 80);
        v6.dstHi = 0x2001_0db8_0000_0000L;   // 2001:db8::1 -> 0x20010db8 ^ 0 ^ 0 ^ 1 = 0x20010db9
        v6.dstLo = 1;
        // low byte 0xb9 * 0xb1 = 32745 -> & 255 = 233 -> 233 % 3 = 2 -> C
        assertSame(list.get(2), dh.schedule(set, v6));
    }

    @Test
    void serviceRebuildsTablesWhenAWeightChanges() {
        List<Destination> list = servers(2, 1, 3);
        ServiceScheduler service = new ServiceScheduler(SchedulerRegistry.create("sh"));
        service.setServers(list);
        SourceHashScheduler before = (SourceHashScheduler) service.scheduler();
        assertSame(list.get(2), before.bucketServer(3), "A A B C C C");
        list.get(0).setWeight(1);
        SourceHashScheduler after = (SourceHashScheduler) service.scheduler();
        assertSame(list.get(2), after.bucketServer(2), "A B C C C: the weight edit was applied (upd_dest)");
        assertSame(list.get(2), before.bucketServer(3), "the published old table was not touched");
    }

    @Test
    void shBucketsAreTiledByWeightAndIndexedByHash32() {
        List<Destination> list = servers(2, 1, 3);
        ServerSet set = ServerSet.of(list);
        SourceHashScheduler sh = (SourceHashScheduler) bind("sh", set);
        String pattern = "AABCCC";
        for (int b = 0; b < 256; b++) {
            assertSame(list.get(pattern.charAt(b % 6) - 'A'), sh.bucketServer(b), "bucket " + b);
        }
        // hash_32(0x0A000001, 8) = (0x0A000001 * 0x61C88647) >>> 24 = 39 -> 39 % 6 = 3 -> C
        assertSame(list.get(2), sh.schedule(set, tcp("10.0.0.1", 1234, "192.0.2.1", 80)));
        // 10.0.0.2 -> 137 % 6 = 5 -> C; 10.0.0.3 -> 235 % 6 = 1 -> A; 192.168.0.1 -> 192 % 6 = 0 -> A
        assertSame(list.get(2), sh.schedule(set, tcp("10.0.0.2", 1234, "192.0.2.1", 80)));
        assertSame(list.get(0), sh.schedule(set, tcp("10.0.0.3", 1234, "192.0.2.1", 80)));
        assertSame(list.get(0), sh.schedule(set, tcp("192.168.0.1", 1234, "192.0.2.1", 80)));
    }

    @Test
    void shPortHashesSourcePortPlusAddress() {
        List<Destination> list = servers(2, 1, 3);
        ServerSet set = ServerSet.of(list);
        Scheduler sh = SchedulerRegistry.create("sh", Set.of("sh-port"), null).withServers(set);
        // hash_32(0x0A000001 + 1234, 8) = 128 -> 128 % 6 = 2 -> B; 10.0.0.2 -> 226 % 6 = 4 -> C
        assertSame(list.get(1), sh.schedule(set, tcp("10.0.0.1", 1234, "192.0.2.1", 80)));
        assertSame(list.get(2), sh.schedule(set, tcp("10.0.0.2", 1234, "192.0.2.1", 80)));
        assertEquals("sh-port", sh.flagsText());
    }

    @Test
    void shFallbackProbesOnlyWithTheFlag() {
        List<Destination> list = servers(2, 1, 3);
        ServerSet set = ServerSet.of(list);
        list.get(2).setWeight(0);
        // Rebuilt with C at weight 0, C keeps one bucket: A A B C repeated. 10.0.0.1 hashes to bucket 39 -> C.
        FlowDescription toC = tcp("10.0.0.1", 1234, "192.0.2.1", 80);
        assertNull(bind("sh", set).schedule(set, toC), "C is quiescent and there is no fallback");
        Scheduler fallback = SchedulerRegistry.create("sh", Set.of("sh-fallback"), null).withServers(set);
        // ip_vs_sh_get_fallback's first probe: (0 + 39) + hash 39 = bucket 78 -> 78 % 4 = 2 -> B.
        assertSame(list.get(1), fallback.schedule(set, toC));
    }

    @Test
    void twosPrefersTheLessLoadedOfTwoWeightedPicks() {
        List<Destination> list = servers(1, 1, 0);
        load(list.get(0), 100, 0);
        ServerSet set = ServerSet.of(list);
        Scheduler twos = bind("twos", set);
        int lessLoaded = 0;
        for (int i = 0; i < 4000; i++) {
            Destination s = twos.schedule(set, flow);
            assertNotSame(list.get(2), s, "weight 0 is never picked");
            if (s == list.get(1)) lessLoaded++;
        }
        // B loses only when both picks land on A: about (2/3)^2 = 44% with the kernel's inclusive range [0, 2].
        assertTrue(lessLoaded > 2000, "B chosen " + lessLoaded + " of 4000");
    }

    @Test
    void lblcKeepsTheCachedServerUntilItIsUnusable() {
        List<Destination> list = servers(10, 10);
        ServerSet set = ServerSet.of(list);
        Scheduler lblc = bind("lblc", set);
        FlowDescription toD = tcp("10.0.0.1", 1, "198.51.100.7", 80);
        load(list.get(0), 1, 0);
        assertSame(list.get(1), lblc.schedule(set, toD), "first pick as wlc");
        list.get(1).addActive(5);
        assertSame(list.get(1), lblc.schedule(set, toD), "cached, still within its weight");
        list.get(1).addActive(6);   // 11 active > weight 10, and A has 1*2 < 10
        assertSame(list.get(0), lblc.schedule(set, toD), "busier than its weight while A has room");
        list.get(0).setWeight(0);
        assertSame(list.get(1), lblc.schedule(set, toD), "quiescent cached server is replaced");
    }

    @Test
    void lblcrGrowsTheSetWhenBusyAndShrinksAfterExpiration() {
        List<Destination> list = servers(10, 10, 10);
        ServerSet set = ServerSet.of(list);
        var lblcr = new LocalityBasedLeastConnectionReplicationScheduler(Long.MAX_VALUE);
        FlowDescription toD = tcp("10.0.0.1", 1, "198.51.100.7", 80);
        assertSame(list.get(0), lblcr.schedule(set, toD));
        list.get(0).addActive(11);
        assertSame(list.get(1), lblcr.schedule(set, toD), "A busier than its weight: B joins");
        assertArrayEquals(new Destination[] {list.get(0), list.get(1)}, lblcr.cachedSet(toD.dstHi, toD.dstLo));
        assertSame(list.get(1), lblcr.schedule(set, toD), "least loaded member");

        var shrinking = new LocalityBasedLeastConnectionReplicationScheduler(0);
        shrinking.schedule(set, toD);                  // B (A is busy)
        list.get(1).addActive(11);
        shrinking.schedule(set, toD);                  // C joins: {B, C}
        assertEquals(2, shrinking.cachedSet(toD.dstHi, toD.dstLo).length);
        shrinking.schedule(set, toD);                  // unchanged past the expiration: the most loaded (B) leaves
        assertArrayEquals(new Destination[] {list.get(2)}, shrinking.cachedSet(toD.dstHi, toD.dstLo));
    }
}
