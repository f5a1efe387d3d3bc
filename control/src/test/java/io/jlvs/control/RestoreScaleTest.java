package io.jlvs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** -R of 1000 services x 10 real servers applies as one change, well within the 2 s budget. */
class RestoreScaleTest {
    @Test
    void restoreOfTenThousandServersAppliesOnce() {
        StringBuilder rules = new StringBuilder();
        for (int s = 0; s < 1000; s++) {
            String vip = "10.20." + (s / 250) + "." + (s % 250 + 1) + ":80";
            rules.append("-A -t ").append(vip).append(" -s wrr\n");
            for (int r = 0; r < 10; r++) {
                rules.append("-a -t ").append(vip).append(" -r 172.16.").append(r).append('.').append(s % 250 + 1)
                     .append(":8080 -m -w ").append(r + 1).append('\n');
            }
        }
        AdmHarness h = new AdmHarness();
        h.restore("-A -t 10.99.0.1:80 -s rr\n");   // warm up the parser and JIT a little
        h.ok("-C");
        long t0 = System.nanoTime();
        assertEquals(0, h.restore(rules.toString()), h.err);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1000, h.runtime.config().serviceCount());
        assertEquals(10_000, h.runtime.config().realServerCount());
        assertEquals(3, h.runtime.applyCount, "one apply for the warm-up, one for -C, one for the whole restore");
        System.out.printf("restore: 1000 services x 10 servers (11000 lines) in %d ms%n", ms);
        assertTrue(ms < 10_000, "generous bound; the target is < 2000 ms: " + ms);
    }
}
