package io.jlvs.schedulers;

import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * lc, wlc, sed and nq skip most servers with a pre-filter (packed counts, weight reciprocal); the fixtures pin the
 * kernel's rules on small lists, this pins that the filtered scans pick exactly the server of the kernel's plain
 * scan on many random lists full of ties, weight 0, OVERLOADed servers and extreme weights.
 */
class LeastLoadScanTest {
    private static final int[] WEIGHT_CHOICES = {0, 1, 2, 3, 7, 100, 65535};

    @Test
    void filteredScansChooseWhatTheKernelsPlainScanChooses() {
        Random random = new Random(7);
        FlowDescription flow = new FlowDescription();
        for (int round = 0; round < 3000; round++) {
            List<RealServer> list = randomServers(random, 1 + random.nextInt(40));
            ServerSet set = ServerSet.of(list);
            assertSame(kernelLc(list), new LeastConnectionScheduler().schedule(set, flow), "lc round " + round);
            assertSame(kernelWeighted(list, false), new WeightedLeastConnectionScheduler().schedule(set, flow), "wlc round " + round);
            assertSame(kernelWeighted(list, true), new ShortestExpectedDelayScheduler().schedule(set, flow), "sed round " + round);
            assertSame(kernelNq(list), new NeverQueueScheduler().schedule(set, flow), "nq round " + round);
            for (RealServer s : list) s.retire();
        }
    }

    @Test
    void packedCountsDecodeExactlyThroughEveryUpdateKind() {
        RealServer s = TestFlows.server("172.16.9.9", 80, 1);
        s.addInactive(-1);                      // a transient negative inactive count must not corrupt active
        assertEquals(-1, s.inactiveConns());
        assertEquals(0, s.activeConns());
        s.addConnections(70_000, 1);
        s.moveInactiveToActive();
        s.moveActiveToInactive();
        s.moveActiveToInactive();
        assertEquals(69_999, s.activeConns());
        assertEquals(1, s.inactiveConns());
        assertEquals((69_999 << 8) + 1, s.overhead());
        s.retire();
    }

    private static List<RealServer> randomServers(Random random, int n) {
        List<RealServer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int weight = random.nextBoolean() ? WEIGHT_CHOICES[random.nextInt(WEIGHT_CHOICES.length)] : 1 + random.nextInt(100);
            RealServer s = new RealServer(0, FlowDescription.mappedLo(0xAC100000 + i + 1), 80, weight);
            int scale = random.nextInt(3) == 0 ? 100_000 : 4;   // small counts make many exact ties
            int active = random.nextInt(scale), inactive = random.nextInt(scale);
            if (random.nextInt(8) == 0 && active + inactive > 0) s.setUpperThreshold(active + inactive); // ends OVERLOADed
            s.addConnections(active, inactive);
            list.add(s);
        }
        return list;
    }

    private static boolean eligible(RealServer s) { return s.weight() > 0 && !s.overloaded(); }

    /** ip_vs_lc.c as written. */
    private static RealServer kernelLc(List<RealServer> list) {
        RealServer least = null;
        long leastOverhead = 0;
        for (RealServer s : list) {
            if (!eligible(s)) continue;
            long overhead = ((long) s.activeConns() << 8) + s.inactiveConns();
            if (least == null || overhead < leastOverhead) { least = s; leastOverhead = overhead; }
        }
        return least;
    }

    /** ip_vs_wlc.c / ip_vs_sed.c as written: first eligible, then strictly better by cross-multiplication. */
    private static RealServer kernelWeighted(List<RealServer> list, boolean sed) {
        RealServer least = null;
        long leastLoad = 0;
        for (RealServer s : list) {
            if (least == null) {
                if (eligible(s)) { least = s; leastLoad = load(s, sed); }
                continue;
            }
            if (s.overloaded()) continue;
            long load = load(s, sed);
            if (leastLoad * s.weight() > load * least.weight()) { least = s; leastLoad = load; }
        }
        return least;
    }

    /** ip_vs_nq.c as written. */
    private static RealServer kernelNq(List<RealServer> list) {
        RealServer least = null;
        long leastLoad = 0;
        for (RealServer s : list) {
            if (!eligible(s)) continue;
            long load = s.activeConns() + 1L;
            if (s.activeConns() == 0) return s;
            if (least == null || leastLoad * s.weight() > load * least.weight()) { least = s; leastLoad = load; }
        }
        return least;
    }

    private static long load(RealServer s, boolean sed) {
        return sed ? s.activeConns() + 1L : ((long) s.activeConns() << 8) + s.inactiveConns();
    }
}
