package io.jlvs.packets;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Network-order (big-endian), unaligned accessors over a {@link MemorySegment}. Every header class reads through
 * these, so byte order and alignment are decided in one place. Values come back unsigned in an {@code int}.
 */
public final class Layouts {
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    // The 8-byte accessors call the layout's VarHandle directly: the same code after compilation, but a few
    // levels less for the JIT to inline, which leaves more of its inlining budget to the callers of the parser.
    private static final VarHandle U64_HANDLE = U64.varHandle();

    private Layouts() {}

    public static int u8(MemorySegment seg, long off) { return seg.get(U8, off) & 0xFF; }

    public static int u16(MemorySegment seg, long off) { return seg.get(U16, off) & 0xFFFF; }

    public static int u32(MemorySegment seg, long off) { return seg.get(U32, off); }

    public static long u64(MemorySegment seg, long off) { return (long) U64_HANDLE.get(seg, off); }

    public static void put8(MemorySegment seg, long off, int v) { seg.set(U8, off, (byte) v); }

    public static void put16(MemorySegment seg, long off, int v) { seg.set(U16, off, (short) v); }

    public static void put32(MemorySegment seg, long off, int v) { seg.set(U32, off, v); }

    public static void put64(MemorySegment seg, long off, long v) { U64_HANDLE.set(seg, off, v); }

    /** A 48-bit MAC address held in the low bits of a long. */
    public static long mac(MemorySegment seg, long off) {
        return ((long) u16(seg, off) << 32) | (u32(seg, off + 2) & 0xFFFF_FFFFL);
    }

    public static void putMac(MemorySegment seg, long off, long mac) {
        put16(seg, off, (int) (mac >>> 32));
        put32(seg, off + 2, (int) mac);
    }
}
