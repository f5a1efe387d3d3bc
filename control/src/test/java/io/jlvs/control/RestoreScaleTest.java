package io.jlvs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** -R of 1000 services x 10 real servers applies as one change. */
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
        h.restore("-A -t 10.99.0.1:80 -s rr\n");
        h.ok("-C");
        assertEquals(0, h.restore(rules.toString()), h.err);
        assertEquals(1000, h.runtime.config().serviceCount());
        assertEquals(10_000, h.runtime.config().realServerCount());
        assertEquals(3, h.runtime.applyCount, "one apply for the first restore, one for -C, one for the whole restore");
    }
}
