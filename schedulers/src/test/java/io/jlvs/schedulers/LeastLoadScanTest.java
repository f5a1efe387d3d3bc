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
            List<Destination> list = randomServers(random, 1 + random.nextInt(40));
            ServerSet set = ServerSet.of(list);
            assertSame(KernelLeastLoadReference.lc(list), new LeastConnectionScheduler().schedule(set, flow), "lc round " + round);
            assertSame(KernelLeastLoadReference.weighted(list, false), new WeightedLeastConnectionScheduler().schedule(set, flow), "wlc round " + round);
            assertSame(KernelLeastLoadReference.weighted(list, true), new ShortestExpectedDelayScheduler().schedule(set, flow), "sed round " + round);
            assertSame(KernelLeastLoadReference.nq(list), new NeverQueueScheduler().schedule(set, flow), "nq round " + round);
        }
    }

    @Test
    void packedCountsDecodeExactlyThroughEveryUpdateKind() {
        Destination s = TestFlows.server("172.16.9.9", 80, 1);
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
    }

    private static List<Destination> randomServers(Random random, int n) {
        List<Destination> list = new ArrayList<>();
        DestinationIds ids = new DestinationIds();
        for (int i = 0; i < n; i++) {
            int weight = random.nextBoolean() ? WEIGHT_CHOICES[random.nextInt(WEIGHT_CHOICES.length)] : 1 + random.nextInt(100);
            Destination s = new Destination(ids, 0, FlowDescription.mappedLo(0xAC100000 + i + 1), 80, weight);
            int scale = random.nextInt(3) == 0 ? 100_000 : 4;   // small counts make many exact ties
            int active = random.nextInt(scale), inactive = random.nextInt(scale);
            if (random.nextInt(8) == 0 && active + inactive > 0) s.setUpperThreshold(active + inactive); // ends OVERLOADed
            s.addConnections(active, inactive);
            list.add(s);
        }
        return list;
    }

}
