package io.jlvs.forwarder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrafficCountersTest {
    @Test
    void eachWorkersLineIsSummedAndZeroingStartsTheCountAnew() throws Exception {
        TrafficCounters c = new TrafficCounters(2);
        Thread other = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 1000; i++) c.inbound(1, 100);
        });
        for (int i = 0; i < 500; i++) c.outbound(0, 60);
        c.connection(0);
        c.connection(1);
        c.synForwarded(0);
        other.join();
        assertEquals(1000, c.inPackets());
        assertEquals(100_000, c.inBytes());
        assertEquals(500, c.outPackets());
        assertEquals(30_000, c.outBytes());
        assertEquals(2, c.conns());
        c.zero();
        assertEquals(0, c.inPackets());
        assertEquals(0, c.conns());
        c.inbound(1, 40);
        assertEquals(1, c.inPackets());
        assertEquals(40, c.inBytes());
        assertEquals(1, c.synsForwarded(), "the return-path evidence survives -Z");
    }
}
