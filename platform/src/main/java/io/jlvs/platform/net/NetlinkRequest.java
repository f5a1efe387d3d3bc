package io.jlvs.platform.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Builds one netlink request in a reusable buffer: the nlmsghdr, then the fixed family header field by field,
 * then rtattrs. {@link Netlink} fills in length and sequence number when it sends.
 */
final class NetlinkRequest {
    /** IPv4 addresses travel in network byte order, unlike the rest of netlink. */
    static final ValueLayout.OfInt IPV4 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Each half of an IPv6 address, network byte order. */
    static final ValueLayout.OfLong IPV6_HALF = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final int NLA_F_NESTED = 0x8000;

    private final MemorySegment buffer;
    private int position;

    NetlinkRequest(Arena arena, int capacity) {
        this.buffer = arena.allocate(capacity, 8);
    }

    NetlinkRequest begin(int type, int flags) {
        buffer.asSlice(0, RtNetlink.NLMSG_HDRLEN + 256).fill((byte) 0);
        buffer.set(JAVA_SHORT, 4, (short) type);
        buffer.set(JAVA_SHORT, 6, (short) flags);
        position = RtNetlink.NLMSG_HDRLEN;
        return this;
    }

    NetlinkRequest u8(int value) {
        buffer.set(JAVA_BYTE, position, (byte) value);
        position += 1;
        return this;
    }

    NetlinkRequest u16(int value) {
        buffer.set(JAVA_SHORT, position, (short) value);
        position += 2;
        return this;
    }

    NetlinkRequest u32(int value) {
        buffer.set(JAVA_INT, position, value);
        position += 4;
        return this;
    }

    NetlinkRequest attrU32(int type, int value) {
        int at = startAttr(type, 4);
        buffer.set(JAVA_INT, at, value);
        return this;
    }

    /** An IPv4 address attribute: network byte order on the wire. */
    NetlinkRequest attrIpv4(int type, int addressV4) {
        int at = startAttr(type, 4);
        buffer.set(IPV4, at, addressV4);
        return this;
    }

    /** An IPv6 address attribute: 16 bytes in network byte order. */
    NetlinkRequest attrIpv6(int type, long hi, long lo) {
        int at = startAttr(type, 16);
        buffer.set(IPV6_HALF, at, hi);
        buffer.set(IPV6_HALF, at + 8, lo);
        return this;
    }

    NetlinkRequest attrString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int at = startAttr(type, bytes.length + 1);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, at, bytes.length);
        buffer.set(JAVA_BYTE, at + bytes.length, (byte) 0);
        return this;
    }

    /** Opens a nested attribute (NLA_F_NESTED set); close it with {@link #endNested} once its members are added. */
    int beginNested(int type) {
        position = align(position);
        int start = position;
        buffer.set(JAVA_SHORT, position + 2, (short) (type | NLA_F_NESTED));
        position += 4;
        return start;
    }

    NetlinkRequest endNested(int start) {
        buffer.set(JAVA_SHORT, start, (short) (position - start));
        return this;
    }

    private int startAttr(int type, int payloadLength) {
        position = align(position);
        buffer.set(JAVA_SHORT, position, (short) (4 + payloadLength));
        buffer.set(JAVA_SHORT, position + 2, (short) type);
        int payload = position + 4;
        buffer.asSlice(payload, align(payloadLength)).fill((byte) 0);
        position = payload + payloadLength;
        return payload;
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    MemorySegment buffer() {
        return buffer;
    }

    /** Final length: sets nlmsg_len. */
    int finish(int sequence) {
        int length = align(position);
        buffer.set(JAVA_INT, 0, length);
        buffer.set(JAVA_INT, 8, sequence);
        return length;
    }

    int type() {
        return buffer.get(JAVA_SHORT, 4);
    }
}
