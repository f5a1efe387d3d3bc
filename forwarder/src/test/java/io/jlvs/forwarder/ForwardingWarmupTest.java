package io.jlvs.forwarder;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardingWarmupTest {

    @Test
    void forwardsEveryFrameItOffersWithoutDrops() {
        ForwardingWarmup.Result r = ForwardingWarmup.run(Duration.ofMillis(1));
        // One round at least: per flow 8 NAT TCP frames, 2 NAT UDP, 4 TCP and 1 UDP over DR or TUN, each
        // forwarded once, every 64th flow a ping and every 256th an ARP request, both answered.
        assertTrue(r.framesIn() >= 1024 * 15 + 16 + 4, "frames offered: " + r.framesIn());
        assertEquals(0, r.drops(), "frames the warm-up's pipeline dropped");
        assertEquals(r.framesIn() + r.rounds() * 3 * 2, r.framesOut(), "forwarded or answered, and 3 VIPs announced "
                + "on 2 ports a round");
    }

    @Test
    void aZeroBudgetDoesNothing() {
        ForwardingWarmup.Result r = ForwardingWarmup.run(Duration.ZERO);
        assertEquals(0, r.framesIn());
        assertEquals(Duration.ZERO, r.took());
    }
}
