package io.jlvs.packets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Test helper: places frames inside larger segments the way a packet ring does. */
final class FrameSegments {
    /** Where fixtures put their frame, so that offsets are checked as absolute positions, not frame-relative. */
    static final int FRAME_OFFSET = 64;
    /** Bytes of 0xFF after the frame: a parser reading past the frame would see garbage and give wrong fields. */
    static final int TRAILING_GARBAGE = 64;

    private FrameSegments() {}

    /** A heap segment holding garbage, then the frame at {@link #FRAME_OFFSET}, then more garbage. */
    static MemorySegment inRing(byte[] frame) {
        MemorySegment seg = MemorySegment.ofArray(new byte[FRAME_OFFSET + frame.length + TRAILING_GARBAGE]);
        seg.fill((byte) 0xFF);
        MemorySegment.copy(frame, 0, seg, ValueLayout.JAVA_BYTE, FRAME_OFFSET, frame.length);
        return seg;
    }

    /** A native segment that ends exactly where the frame ends: any read past the frame throws. */
    static MemorySegment exact(Arena arena, byte[] frame, int leading) {
        MemorySegment seg = arena.allocate(leading + frame.length, 1);
        MemorySegment.copy(frame, 0, seg, ValueLayout.JAVA_BYTE, leading, frame.length);
        return seg;
    }

    static byte[] frameBytes(MemorySegment seg, long offset, int length) {
        return seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Overwrites bytes of a frame, for malformations the builder has no switch for. */
    static byte[] patch(byte[] frame, int offset, int... values) {
        byte[] copy = frame.clone();
        for (int i = 0; i < values.length; i++) copy[offset + i] = (byte) values[i];
        return copy;
    }

    static long v4(String dotted) {
        return FlowDescription.mappedLo(Ipv4.parse(dotted));
    }
}
