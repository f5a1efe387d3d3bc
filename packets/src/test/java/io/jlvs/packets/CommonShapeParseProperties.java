package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The parser's common-shape path (untagged IPv4 without options, TCP or UDP) must be invisible: for every frame,
 * {@code parse} describes it exactly as the general parser does, into a description that held any other frame
 * before (the path skips storing the fields its shape fixes when the previous parse left them so). The frames that
 * should take the path do take it, so the comparison is not between the general parser and itself.
 */
class CommonShapeParseProperties {
    private static final long OFFSET = FrameSegments.FRAME_OFFSET;

    @Property(tries = 2000)
    void commonShapeFramesTakeTheFastPathAndAgreeWithTheGeneralParser(@ForAll long seed) {
        Random r = new Random(seed);
        FlowDescription reused = afterAnyFrame(r);
        byte[] frame = RandomFrames.commonShape(r);
        if (r.nextInt(4) == 0) frame = FrameSegments.patch(frame, 14 + 6, 0x20 | r.nextInt(0x40) & 0x40, 0); // MF (and DF): a first fragment
        assertAgrees(frame, reused, "seed " + seed);
        String hex = PacketBuilder.hex(frame);
        assertTrue(reused.commonShapeSet, () -> "seed " + seed + ": not parsed by the fast path\n" + hex);
    }

    @Property(tries = 3000)
    void damagedOrOtherFramesAgreeWithTheGeneralParser(@ForAll long seed) {
        Random r = new Random(seed);
        FlowDescription reused = afterAnyFrame(r);
        byte[] frame = r.nextBoolean() ? RandomFrames.commonShape(r) : RandomFrames.any(r);
        for (int i = 0, n = r.nextInt(4); i < n; i++) { // the header bytes the fast path reads and checks
            frame[r.nextInt(Math.min(frame.length, 14 + 20 + 20))] = (byte) r.nextInt(256);
        }
        if (r.nextInt(3) == 0) frame = Arrays.copyOf(frame, r.nextInt(frame.length + 1));
        assertAgrees(frame, reused, "seed " + seed);
    }

    @Property(tries = 200)
    void framesOfOtherShapesLeaveTheFastPath(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] common = RandomFrames.commonShape(r);
        byte[][] others = {
            PacketBuilder.ethernet(RandomFrames.mac(r), RandomFrames.mac(r)).vlan(r.nextInt(4095))
                    .ipv4(RandomFrames.ipv4(r), RandomFrames.ipv4(r)).tcp(1, 2).build(),
            PacketBuilder.ethernet(RandomFrames.mac(r), RandomFrames.mac(r)).ipv4(RandomFrames.ipv4(r), RandomFrames.ipv4(r))
                    .ipv4Options(new byte[] {1, 1, 1, 1}).udp(1, 2).build(),
            PacketBuilder.ethernet(RandomFrames.mac(r), RandomFrames.mac(r)).ipv4(RandomFrames.ipv4(r), RandomFrames.ipv4(r))
                    .tcp(1, 2).fragment(8 * (1 + r.nextInt(100)), r.nextBoolean()).build(),
            PacketBuilder.ethernet(RandomFrames.mac(r), RandomFrames.mac(r)).ipv4(RandomFrames.ipv4(r), RandomFrames.ipv4(r))
                    .icmpEcho(true, 1, 2).build(),
        };
        for (byte[] other : others) {
            FlowDescription f = new FlowDescription();
            MemorySegment seg = FrameSegments.inRing(common);
            PacketParser.parse(seg, OFFSET, common.length, f);
            assertTrue(f.commonShapeSet, "seed " + seed);
            assertAgrees(other, f, "seed " + seed);
            assertFalse(f.commonShapeSet, () -> "seed " + seed + "\n" + PacketBuilder.hex(other));
        }
    }

    /** A description that has just described a random frame of any kind, possibly damaged, as in a worker. */
    private static FlowDescription afterAnyFrame(Random r) {
        FlowDescription f = new FlowDescription();
        byte[] before = r.nextBoolean() ? RandomFrames.any(r) : RandomFrames.commonShape(r);
        if (r.nextInt(4) == 0) before = Arrays.copyOf(before, r.nextInt(before.length + 1));
        PacketParser.parse(FrameSegments.inRing(before), OFFSET, before.length, f);
        return f;
    }

    private static void assertAgrees(byte[] frame, FlowDescription reused, String context) {
        MemorySegment seg = FrameSegments.inRing(frame);
        int status = PacketParser.parse(seg, OFFSET, frame.length, reused);
        FlowDescription reference = new FlowDescription();
        int expected = PacketParser.parseAnyShape(seg, OFFSET, frame.length, reference);
        String withFrame = context + "\n" + PacketBuilder.hex(frame);
        assertEquals(expected, status, withFrame);
        FastTcpRewriteProperties.assertSameFields(reference, reused, withFrame);
    }
}
