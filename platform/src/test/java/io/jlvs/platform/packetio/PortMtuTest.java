package io.jlvs.platform.packetio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A port follows its interface's MTU while open, up to the longest packet its transmit slots carry. */
class PortMtuTest {

    @ParameterizedTest
    @EnumSource(RxRingLayout.class)
    void aPortFollowsALoweredAndARaisedMtuUpToWhatItsSlotsCarry(RxRingLayout layout) throws IOException {
        DetachedPort port = PacketPorts.detached("mtu0", 9, 0x0200_0000_0009L, 1500, layout);
        try {
            assertEquals(1500, port.mtu(), "the MTU the port opened with");
            assertEquals(1400, port.followMtu(1400));
            assertEquals(1400, port.mtu(), "a lowered MTU is the port's from now on");
            assertEquals(1600, port.followMtu(1600));
            assertEquals(1600, port.mtu(), "a raised one too, while the slots carry it");

            int ceiling = port.followMtu(9000);
            assertEquals(ceiling, port.mtu());
            assertTrue(ceiling >= 1600 && ceiling < 9000, "capped at what the slots opened for 1500 carry: " + ceiling);
            MemorySegment frame = MemorySegment.ofArray(new byte[9000 + 18]);
            assertTrue(port.send(frame, 0, ceiling + 18), "a tagged frame of the capped MTU fits a slot");
            assertFalse(port.send(frame, 0, ceiling + 19), "one byte more does not");
            assertEquals(1, port.stats().txTooLong());
        } finally {
            port.close();
        }
    }

    @ParameterizedTest
    @EnumSource(RxRingLayout.class)
    void aNonPositiveMtuIsRefusedAndChangesNothing(RxRingLayout layout) throws IOException {
        DetachedPort port = PacketPorts.detached("mtu1", 10, 0x0200_0000_000AL, 1500, layout);
        try {
            assertEquals(1400, port.followMtu(1400), "a valid MTU is taken");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> port.followMtu(0));
            assertTrue(e.getMessage().contains("positive"), e.getMessage());
            assertEquals(1400, port.mtu());
        } finally {
            port.close();
        }
    }
}
