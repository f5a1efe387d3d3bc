package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The fast paths (CommonFrameParser, NatRewrite's TCP-without-options rewrite) must be invisible: for any frame,
 * well-formed or damaged, {@link PacketParser#parse} gives exactly what the general parser gives, also when one
 * description is reused across frames of different shapes, and the fast rewrite writes exactly the bytes and
 * fields the general rewrite writes.
 */
class CommonFrameFastPathProperties {
    private static final long OFFSET = FrameSegments.FRAME_OFFSET;

    @Property(tries = 3000)
    void parseGivesWhatTheGeneralParserGivesForAnyFrame(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = damaged(r, r.nextBoolean() ? commonShape(r) : RandomFrames.any(r));
        MemorySegment seg = FrameSegments.inRing(frame);
        int length = r.nextInt(4) == 0 ? r.nextInt(frame.length + 1) : frame.length; // sometimes truncated
        FlowDescription fast = new FlowDescription();
        FlowDescription general = new FlowDescription();
        int status = PacketParser.parse(seg, OFFSET, length, fast);
        assertEquals(PacketParser.parseAny(seg, OFFSET, length, general), status, "seed " + seed);
        assertSameFields(general, fast, "seed " + seed);
    }

    @Property(tries = 500)
    void aReusedDescriptionHoldsNothingFromEarlierFrames(@ForAll long seed) {
        Random r = new Random(seed);
        FlowDescription reused = new FlowDescription();
        for (int i = 0; i < 12; i++) { // common frames between ARP, ICMP errors, IPv6, VLAN and broken ones
            byte[] frame = r.nextBoolean() ? commonShape(r) : damaged(r, RandomFrames.any(r));
            MemorySegment seg = FrameSegments.inRing(frame);
            FlowDescription fresh = new FlowDescription();
            PacketParser.parseAny(seg, OFFSET, frame.length, fresh);
            PacketParser.parse(seg, OFFSET, frame.length, reused);
            assertSameFields(fresh, reused, "seed " + seed + " frame " + i);
        }
    }

    @Property(tries = 300)
    void commonFramesOfAtLeast54BytesTakeTheFastPath(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = commonShape(r);
        FlowDescription f = new FlowDescription();
        // Shorter frames (UDP with under 12 bytes of payload) are left to the general parser.
        int expected = frame.length >= 54 ? ParseStatus.OK : CommonFrameParser.NOT_COMMON;
        assertEquals(expected, CommonFrameParser.parse(FrameSegments.inRing(frame), OFFSET, frame.length, f),
                "seed " + seed);
    }

    @Property(tries = 300)
    void aFrameEndingWhereMemoryEndsParsesWithoutReadingPastIt(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = commonShape(r);
        int length = r.nextInt(frame.length + 1);
        byte[] cut = java.util.Arrays.copyOf(frame, length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = FrameSegments.exact(arena, cut, 7);
            FlowDescription fast = new FlowDescription();
            FlowDescription general = new FlowDescription();
            assertEquals(PacketParser.parseAny(seg, 7, length, general), PacketParser.parse(seg, 7, length, fast));
            assertSameFields(general, fast, "seed " + seed);
        }
    }

    @Property(tries = 1000)
    void fastDestinationRewriteWritesWhatTheGeneralRewriteWrites(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = r.nextBoolean() ? commonShape(r) : RandomFrames.ipv4TcpOrUdp(r);
        MemorySegment viaFast = FrameSegments.inRing(frame);
        MemorySegment viaGeneral = FrameSegments.inRing(frame);
        FlowDescription fast = new FlowDescription();
        FlowDescription general = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(viaFast, OFFSET, frame.length, fast), "seed " + seed);
        PacketParser.parseAny(viaGeneral, OFFSET, frame.length, general);
        int addr = r.nextInt();
        int port = r.nextInt(65536);
        NatRewrite.setIpv4Destination(viaFast, fast, addr, port, false);
        NatRewrite.setIpv4DestinationAnyShape(viaGeneral, general, addr, port, false);
        assertArrayEquals(viaGeneral.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                viaFast.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "seed " + seed);
        assertSameFields(general, fast, "seed " + seed);
        assertTrue(Checksums.verify(viaFast, fast), "seed " + seed);
        assertEquals(addr, fast.dstV4());
    }

    /** Untagged Ethernet, IPv4 without options, unfragmented TCP (with or without options) or UDP. */
    static byte[] commonShape(Random r) {
        PacketBuilder b = PacketBuilder.ethernet(RandomFrames.mac(r), RandomFrames.mac(r))
                .ipv4(RandomFrames.ipv4(r), RandomFrames.ipv4(r)).tos(r.nextInt(256))
                .identification(r.nextInt(65536)).dontFragment(r.nextBoolean()).ttl(r.nextInt(256));
        if (r.nextBoolean()) {
            b.tcp(RandomFrames.port(r), RandomFrames.port(r)).flags(r.nextInt(256));
            if (r.nextInt(3) == 0) b.tcpOptions(new byte[4 * (1 + r.nextInt(10))]);
        } else {
            b.udp(RandomFrames.port(r), RandomFrames.port(r));
        }
        return b.payload(RandomFrames.bytes(r, r.nextInt(r.nextBoolean() ? 16 : 1400))).build();
    }

    /** Sometimes overwrites a few header bytes (EtherType, version/IHL, lengths, flags, protocol, data offset). */
    private static byte[] damaged(Random r, byte[] frame) {
        if (r.nextInt(3) != 0) return frame;
        int[] interesting = {12, 13, 14, 16, 17, 20, 21, 23, 46};
        byte[] copy = frame.clone();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            int at = r.nextInt(4) == 0 ? r.nextInt(copy.length) : interesting[r.nextInt(interesting.length)];
            if (at < copy.length) copy[at] = (byte) r.nextInt(256);
        }
        return copy;
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
