package io.jlvs.platform.packetio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachedPortTest {

    @ParameterizedTest
    @EnumSource(RxRingLayout.class)
    void anInjectedFrameComesOutOfReceiveWithItsBytesAndChecksumStatusOnceAndOnlyOnce(RxRingLayout layout)
            throws IOException {
        DetachedPort port = PacketPorts.detached("warm1", 8, 0x0200_0000_0002L, 1500, layout);
        try {
            byte[] bytes = new byte[74];
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) i;
            assertTrue(port.inject(MemorySegment.ofArray(bytes), 0, bytes.length, PacketPort.CSUM_PARTIAL));
            assertTrue(port.inject(MemorySegment.ofArray(bytes), 10, 60, PacketPort.CSUM_VALID));
            List<String> seen = new ArrayList<>();
            assertEquals(2, port.receive((seg, offset, length, status) -> seen.add(length + " " + status + " "
                    + seg.get(ValueLayout.JAVA_BYTE, offset) + " " + seg.get(ValueLayout.JAVA_BYTE, offset + length - 1)), 64));
            assertEquals(List.of("74 1 0 73", "60 2 10 69"), seen);
            assertEquals(0, port.receive((seg, offset, length, status) -> seen.add("again"), 64));
            int injected = 0;
            while (port.inject(MemorySegment.ofArray(bytes), 0, bytes.length, 0)) injected++;
            assertTrue(injected >= 64, "a batch of frames fits before a receive: " + injected);
            assertEquals(injected, port.receive((seg, offset, length, status) -> { }, 1 << 16));
            assertFalse(port.inject(MemorySegment.ofArray(new byte[8192]), 0, 8192, 0), "longer than a block or slot");
        } finally {
            port.close();
        }
    }

    @ParameterizedTest
    @EnumSource(RxRingLayout.class)
    void receivesNothingUninjectedAndSettlingAfterAFlushHandsEveryTransmitSlotBack(RxRingLayout layout)
            throws IOException {
        DetachedPort port = PacketPorts.detached("warm0", 7, 0x0200_0000_0001L, 1500, layout);
        try {
            assertEquals("afpacket (detached):warm0", port.toString());
            assertEquals(0, port.receive((seg, offset, length, status) -> { }, 64));
            MemorySegment frame = MemorySegment.ofArray(new byte[60]);
            int accepted = 0;
            while (port.send(frame, 0, 60)) accepted++;
            assertTrue(accepted > 64, "a worker's batch fits between two flushes: " + accepted);
            assertEquals(1, port.stats().txFull(), "a full ring refuses, as a real one does until the kernel sends");
            port.flush();
            assertEquals(0, port.stats().flushErrors(), "the flush kicked its socket as a packet socket's does");
            assertFalse(port.send(frame, 0, 60), "sent, not yet settled: the slots are still taken");
            port.settle();
            for (int i = 0; i < accepted; i++) assertTrue(port.send(frame, 0, 60), "slot " + i + " is free again");
            assertFalse(port.send(frame, 0, 1 << 16), "longer than a slot");
            assertEquals(2L * accepted, port.stats().sent());
            for (int i = 0; i < 20; i++) {
                port.flush();
                port.settle();
                assertTrue(port.send(frame, 0, 60));
            }
            assertEquals(0, port.stats().flushErrors(), "settling takes the kicks, so the pair never fills");
            port.setFilter(BpfProgram.acceptAll());
        } finally {
            port.close();
            port.close();
        }
    }
}
