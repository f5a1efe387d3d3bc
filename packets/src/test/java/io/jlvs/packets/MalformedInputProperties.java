package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Damaged input never makes the parser throw or read outside the frame. The frame is placed at the very end of a
 * native segment, so any read past it would throw IndexOutOfBoundsException inside the parser, which it reports as
 * INTERNAL_ERROR: the properties require that this never happens.
 */
class MalformedInputProperties {

    @Property(tries = 3000)
    void truncatedFramesGiveAReasonNotAnException(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.any(r);
        int cut = r.nextInt(frame.length + 1);
        byte[] truncated = Arrays.copyOf(frame, cut);
        int status = parseAtEndOfSegment(truncated, r.nextInt(16));
        assertNotEquals(ParseStatus.INTERNAL_ERROR, status, () -> "seed " + seed + "\n" + PacketBuilder.hex(truncated));
    }

    @Property(tries = 3000)
    void corruptedBytesGiveAReasonNotAnException(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.any(r);
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
            // Bias corruption towards headers, where lengths and offsets live.
            int at = r.nextInt(Math.min(frame.length, r.nextBoolean() ? 120 : frame.length));
            frame[at] = (byte) r.nextInt(256);
        }
        int status = parseAtEndOfSegment(frame, 0);
        assertNotEquals(ParseStatus.INTERNAL_ERROR, status, () -> "seed " + seed + "\n" + PacketBuilder.hex(frame));
    }

    @Property(tries = 2000)
    void randomBytesGiveAReasonNotAnException(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.bytes(r, r.nextInt(200));
        if (frame.length > 13 && r.nextBoolean()) { // make the EtherType interesting
            int[] types = {0x0800, 0x86DD, 0x0806, 0x8100};
            int t = types[r.nextInt(types.length)];
            frame[12] = (byte) (t >>> 8);
            frame[13] = (byte) t;
        }
        int status = parseAtEndOfSegment(frame, r.nextInt(16));
        assertNotEquals(ParseStatus.INTERNAL_ERROR, status, () -> "seed " + seed + "\n" + PacketBuilder.hex(frame));
    }

    /**
     * One description reused for every frame (as a worker does) holds exactly what a fresh description would:
     * nothing leaks from the previous frame, whatever kinds and damage the two frames have.
     */
    @Property(tries = 3000)
    void aReusedDescriptionEqualsAFreshOne(@ForAll long seed) throws IllegalAccessException {
        Random r = new Random(seed);
        FlowDescription reused = new FlowDescription();
        for (int i = 0; i < 3; i++) {
            byte[] frame = RandomFrames.any(r);
            if (r.nextInt(3) == 0) frame = Arrays.copyOf(frame, r.nextInt(frame.length + 1));
            if (r.nextInt(3) == 0 && frame.length > 0) frame[r.nextInt(Math.min(frame.length, 80))] = (byte) r.nextInt(256);
            MemorySegment seg = FrameSegments.inRing(frame);
            PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, reused);
            FlowDescription fresh = new FlowDescription();
            PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, fresh);
            FlowDescription reset = new FlowDescription();
            reset.reset();
            for (Field field : FlowDescription.class.getFields()) {
                if (Modifier.isStatic(field.getModifiers())) continue;
                assertEquals(field.get(fresh), field.get(reused), "seed " + seed + " frame " + i + " field " + field.getName()
                        + "\n" + PacketBuilder.hex(frame));
            }
        }
    }

    /** The test's own premise: a read past the frame does fail in this arrangement. */
    @Property(tries = 10)
    void readingPastTheFrameIsDetectable(@ForAll long seed) {
        byte[] frame = RandomFrames.any(new Random(seed));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = FrameSegments.exact(arena, frame, 3);
            assertEquals(IndexOutOfBoundsException.class, catchOf(() -> Layouts.u8(seg, 3 + frame.length)));
        }
    }

    private static Class<?> catchOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    static int parseAtEndOfSegment(byte[] frame, int leading) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = FrameSegments.exact(arena, frame, leading);
            FlowDescription f = new FlowDescription();
            int status = PacketParser.parse(seg, leading, frame.length, f);
            if (status == ParseStatus.OK && f.ipVersion != 0) {
                // What the data plane does next must also stay inside the frame.
                Checksums.verify(seg, f);
            }
            return status;
        }
    }
}
