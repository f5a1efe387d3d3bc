package io.jlvs.platform.net;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Index of the rtattrs of one message: parse once, then read attributes by type. Reusable (one per reader);
 * types above {@link #MAX_TYPE} are ignored, as are the nested/byte-order flag bits of the type field.
 */
final class RtAttributes {
    static final int MAX_TYPE = 63;
    private static final int NLA_TYPE_MASK = 0x3FFF;

    private final long[] offsets = new long[MAX_TYPE + 1];
    private final int[] lengths = new int[MAX_TYPE + 1];
    private MemorySegment segment;

    /** Indexes the attributes between {@code start} and {@code end}. */
    RtAttributes parse(MemorySegment segment, long start, long end) {
        this.segment = segment;
        Arrays.fill(offsets, -1);
        long at = start;
        while (at + 4 <= end) {
            int length = Short.toUnsignedInt(segment.get(JAVA_SHORT, at));
            int type = Short.toUnsignedInt(segment.get(JAVA_SHORT, at + 2)) & NLA_TYPE_MASK;
            if (length < 4 || at + length > end) break;
            if (type <= MAX_TYPE) {
                offsets[type] = at + 4;
                lengths[type] = length - 4;
            }
            at += NetlinkRequest.align(length);
        }
        return this;
    }

    boolean has(int type) {
        return offsets[type] >= 0;
    }

    int length(int type) {
        return has(type) ? lengths[type] : 0;
    }

    long offset(int type) {
        return offsets[type];
    }

    int u32(int type, int absent) {
        return has(type) && lengths[type] >= 4 ? segment.get(JAVA_INT, offsets[type]) : absent;
    }

    int ipv4(int type, int absent) {
        return has(type) && lengths[type] >= 4 ? segment.get(NetlinkRequest.IPV4, offsets[type]) : absent;
    }

    /** Whether the attribute holds an IPv6 address (16 bytes). */
    boolean isIpv6(int type) {
        return has(type) && lengths[type] == 16;
    }

    /** The upper half of an IPv6 address attribute; check {@link #isIpv6} first. */
    long ipv6Hi(int type) {
        return segment.get(NetlinkRequest.IPV6_HALF, offsets[type]);
    }

    long ipv6Lo(int type) {
        return segment.get(NetlinkRequest.IPV6_HALF, offsets[type] + 8);
    }

    String string(int type) {
        if (!has(type)) return null;
        byte[] bytes = new byte[lengths[type]];
        MemorySegment.copy(segment, JAVA_BYTE, offsets[type], bytes, 0, bytes.length);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /** A 6-byte link-layer address as the low 48 bits of a long (first byte most significant), or -1. */
    long mac(int type) {
        if (!has(type) || lengths[type] != 6) return -1;
        long mac = 0;
        for (int i = 0; i < 6; i++) mac = (mac << 8) | Byte.toUnsignedLong(segment.get(JAVA_BYTE, offsets[type] + i));
        return mac;
    }
}
