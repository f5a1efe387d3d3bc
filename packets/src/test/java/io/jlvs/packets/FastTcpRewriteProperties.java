package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * NatRewrite's fast path (TCP after an IPv4 header without options, 8-byte stores) must be invisible: it writes
 * exactly the bytes and fields the general rewrite writes, and the checksums verify.
 */
class FastTcpRewriteProperties {
    private static final long OFFSET = FrameSegments.FRAME_OFFSET;

    @Property(tries = 1000)
    void fastDestinationRewriteWritesWhatTheGeneralRewriteWrites(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = r.nextBoolean() ? RandomFrames.commonShape(r) : RandomFrames.ipv4TcpOrUdp(r);
        MemorySegment viaFast = FrameSegments.inRing(frame);
        MemorySegment viaGeneral = FrameSegments.inRing(frame);
        FlowDescription fast = new FlowDescription();
        FlowDescription general = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(viaFast, OFFSET, frame.length, fast), "seed " + seed);
        PacketParser.parse(viaGeneral, OFFSET, frame.length, general);
        int addr = r.nextInt();
        int port = r.nextInt(65536);
        NatRewrite.setIpv4Destination(viaFast, fast, addr, port, false);
        NatRewrite.setIpv4DestinationAnyShape(viaGeneral, general, addr, port, false);
        assertArrayEquals(viaGeneral.toArray(ValueLayout.JAVA_BYTE),
                viaFast.toArray(ValueLayout.JAVA_BYTE), "seed " + seed);
        assertSameFields(general, fast, "seed " + seed);
        assertTrue(Checksums.verify(viaFast, fast), "seed " + seed);
        assertEquals(addr, fast.dstV4());
    }

    @Property(tries = 1000)
    void bothEndpointsAtOnceWriteWhatTheTwoRewritesWrite(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = r.nextBoolean() ? RandomFrames.commonShape(r) : RandomFrames.ipv4TcpOrUdp(r);
        MemorySegment atOnce = FrameSegments.inRing(frame);
        MemorySegment apart = FrameSegments.inRing(frame);
        FlowDescription once = new FlowDescription();
        FlowDescription twice = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(atOnce, OFFSET, frame.length, once), "seed " + seed);
        PacketParser.parse(apart, OFFSET, frame.length, twice);
        int src = r.nextInt(), dst = r.nextInt();
        int srcPort = r.nextInt(65536), dstPort = r.nextInt(65536);
        NatRewrite.setIpv4Endpoints(atOnce, once, src, srcPort, dst, dstPort, false);
        NatRewrite.setIpv4Source(apart, twice, src, srcPort, false);
        NatRewrite.setIpv4Destination(apart, twice, dst, dstPort, false);
        assertSameFields(twice, once, "seed " + seed);
        assertTrue(Checksums.verify(atOnce, once), "seed " + seed);
        assertEquals(src, once.srcV4());
        assertEquals(dst, once.dstV4());
        byte[] a = atOnce.toArray(ValueLayout.JAVA_BYTE), b = apart.toArray(ValueLayout.JAVA_BYTE);
        int checksum = (int) (once.l4Offset + Tcp.CHECKSUM);
        if (once.protocol == Ipv4.PROTO_TCP && once.l4Offset >= 0) {
            // One's complement has two zeros: one update and two may differ there only, both valid (verified).
            int x = (a[checksum] & 0xFF) << 8 | (a[checksum + 1] & 0xFF), y = (b[checksum] & 0xFF) << 8 | (b[checksum + 1] & 0xFF);
            if ((x == 0 || x == 0xFFFF) && (y == 0 || y == 0xFFFF)) {
                a[checksum] = b[checksum];
                a[checksum + 1] = b[checksum + 1];
            }
        }
        assertArrayEquals(b, a, "seed " + seed);
    }

    /** Every public field of FlowDescription, so that a field added later is compared too. */
    static void assertSameFields(FlowDescription expected, FlowDescription actual, String context) {
        for (Field field : FlowDescription.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) continue;
            try {
                assertEquals(field.get(expected), field.get(actual), context + ": field " + field.getName());
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }
}
