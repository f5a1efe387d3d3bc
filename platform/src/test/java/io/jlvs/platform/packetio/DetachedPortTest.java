package io.jlvs.platform.packetio;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachedPortTest {

    @Test
    void receivesNothingAndEachFlushHandsEveryTransmitSlotBack() {
        PacketPort port = PacketPorts.detached("warm0", 7, 0x0200_0000_0001L, 1500);
        try {
            assertEquals("afpacket (detached):warm0", port.toString());
            assertEquals(0, port.receive((seg, offset, length, status) -> { }, 64));
            MemorySegment frame = MemorySegment.ofArray(new byte[60]);
            int accepted = 0;
            while (port.send(frame, 0, 60)) accepted++;
            assertTrue(accepted > 64, "a worker's batch fits between two flushes: " + accepted);
            assertEquals(1, port.stats().txFull(), "a full ring refuses, as a real one does until the kernel sends");
            port.flush();
            for (int i = 0; i < accepted; i++) assertTrue(port.send(frame, 0, 60), "slot " + i + " is free again");
            assertFalse(port.send(frame, 0, 1 << 16), "longer than a slot");
            assertEquals(2L * accepted, port.stats().sent());
            port.setFilter(BpfProgram.acceptAll());
        } finally {
            port.close();
            port.close();
        }
    }
}
