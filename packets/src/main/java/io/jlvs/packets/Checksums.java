package io.jlvs.packets;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u64;
import static io.jlvs.packets.Layouts.u8;

import java.lang.foreign.MemorySegment;

/**
 * Internet checksum (RFC 1071) over segments, with the IPv4/IPv6 pseudo-headers, and the RFC 1624 incremental
 * updates for a changed field. Sums are accumulated in a {@code long} 32 bits at a time and folded at the end:
 * because 2^16 = 1 (mod 0xFFFF), the folded sum of 32-bit words equals the one's complement sum of 16-bit words.
 *
 * <p>"Compute" methods return the value to store in the checksum field: they ignore whatever the field holds now.
 */
public final class Checksums {
    private Checksums() {}

    /** Adds {@code length} bytes at {@code offset} to {@code accumulator}, as big-endian 16-bit words. */
    public static long sum(MemorySegment seg, long offset, int length, long accumulator) {
        long acc = accumulator;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long w = u64(seg, offset + i);
            acc += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        if (i + 4 <= length) {
            acc += u32(seg, offset + i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (i + 2 <= length) {
            acc += u16(seg, offset + i);
            i += 2;
        }
        if (i < length) acc += u8(seg, offset + i) << 8;
        return acc;
    }

    /** Folds a 64-bit accumulator to 16 bits with end-around carry. */
    public static int fold(long accumulator) {
        long acc = (accumulator & 0xFFFF_FFFFL) + (accumulator >>> 32);
        acc = (acc & 0xFFFF_FFFFL) + (acc >>> 32);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        return (int) acc;
    }

    /** The checksum field value for a folded-and-complemented accumulator. */
    public static int finish(long accumulator) {
        return ~fold(accumulator) & 0xFFFF;
    }

    /** Position of the checksum field within the transport header, -1 for protocols without one jlvs knows. */
    public static int checksumFieldOffset(int protocol) {
        return switch (protocol) {
            case Ipv4.PROTO_TCP -> Tcp.CHECKSUM;
            case Ipv4.PROTO_UDP -> Udp.CHECKSUM;
            case Ipv4.PROTO_ICMP, Ipv4.PROTO_ICMPV6 -> Icmp.CHECKSUM;
            default -> -1;
        };
    }

    /** IPv4 header checksum (the current field's value is left out). */
    public static int ipv4Header(MemorySegment seg, long l3Off, int headerLen) {
        long acc = sum(seg, l3Off, headerLen, 0) + (~u16(seg, l3Off + Ipv4.CHECKSUM) & 0xFFFF);
        return finish(acc);
    }

    /** Computes and stores the IPv4 header checksum. */
    public static void fillIpv4Header(MemorySegment seg, long l3Off, int headerLen) {
        put16(seg, l3Off + Ipv4.CHECKSUM, ipv4Header(seg, l3Off, headerLen));
    }

    public static boolean verifyIpv4Header(MemorySegment seg, long l3Off, int headerLen) {
        return fold(sum(seg, l3Off, headerLen, 0)) == 0xFFFF;
    }

    /** Sum of the IPv4 pseudo-header (addresses read from the IP header at {@code l3Off}). */
    public static long pseudoIpv4(MemorySegment seg, long l3Off, int l4Len, int protocol) {
        return (u32(seg, l3Off + Ipv4.SRC) & 0xFFFF_FFFFL) + (u32(seg, l3Off + Ipv4.DST) & 0xFFFF_FFFFL)
                + protocol + l4Len;
    }

    /** Sum of the IPv6 pseudo-header (RFC 8200 8.1; addresses from the fixed header at {@code l3Off}). */
    public static long pseudoIpv6(MemorySegment seg, long l3Off, int l4Len, int protocol) {
        return sum(seg, l3Off + Ipv6.SRC, 32, 0) + protocol + (l4Len & 0xFFFF_FFFFL);
    }

    /**
     * Transport checksum over IPv4: TCP and UDP with the pseudo-header, ICMPv4 without (it has none). A UDP result
     * of 0 is returned as 0xFFFF, since 0 on the wire means "no checksum".
     */
    public static int transportIpv4(MemorySegment seg, long l3Off, long l4Off, int l4Len, int protocol) {
        long acc = protocol == Ipv4.PROTO_ICMP ? 0 : pseudoIpv4(seg, l3Off, l4Len, protocol);
        return transport(seg, l4Off, l4Len, protocol, acc);
    }

    /** Transport checksum over IPv6 (TCP, UDP, ICMPv6: all with the pseudo-header). */
    public static int transportIpv6(MemorySegment seg, long l3Off, long l4Off, int l4Len, int protocol) {
        return transport(seg, l4Off, l4Len, protocol, pseudoIpv6(seg, l3Off, l4Len, protocol));
    }

    private static int transport(MemorySegment seg, long l4Off, int l4Len, int protocol, long pseudo) {
        int field = checksumFieldOffset(protocol);
        if (field < 0) throw new IllegalArgumentException("no checksum known for protocol " + protocol);
        long acc = sum(seg, l4Off, l4Len, pseudo) + (~u16(seg, l4Off + field) & 0xFFFF);
        int result = finish(acc);
        return protocol == Ipv4.PROTO_UDP && result == 0 ? 0xFFFF : result;
    }

    public static boolean verifyTransportIpv4(MemorySegment seg, long l3Off, long l4Off, int l4Len, int protocol) {
        if (protocol == Ipv4.PROTO_UDP && u16(seg, l4Off + Udp.CHECKSUM) == 0) return true; // sender sent none
        long acc = protocol == Ipv4.PROTO_ICMP ? 0 : pseudoIpv4(seg, l3Off, l4Len, protocol);
        return fold(sum(seg, l4Off, l4Len, acc)) == 0xFFFF;
    }

    public static boolean verifyTransportIpv6(MemorySegment seg, long l3Off, long l4Off, int l4Len, int protocol) {
        return fold(sum(seg, l4Off, l4Len, pseudoIpv6(seg, l3Off, l4Len, protocol))) == 0xFFFF;
    }

    /**
     * Verifies every checksum of a parsed packet that can be verified: the IPv4 header, and the transport checksum
     * when the whole datagram is present (not a fragment) and jlvs knows the protocol's checksum.
     */
    public static boolean verify(MemorySegment seg, FlowDescription f) {
        if (f.ipVersion == 4 && !verifyIpv4Header(seg, f.l3Offset, f.ipHeaderLength)) return false;
        if (f.ipVersion == 0 || f.l4Offset < 0 || f.fragment || checksumFieldOffset(f.protocol) < 0) return true;
        if (f.ipVersion == 4) {
            return f.protocol == Ipv4.PROTO_ICMPV6
                    || verifyTransportIpv4(seg, f.l3Offset, f.l4Offset, f.l4Length, f.protocol);
        }
        return f.protocol == Ipv4.PROTO_ICMP
                || verifyTransportIpv6(seg, f.l3Offset, f.l4Offset, f.l4Length, f.protocol);
    }

    /**
     * Completes a CHECKSUM_PARTIAL packet: the transport checksum field holds only the pseudo-header sum, so the
     * full checksum is computed and stored. Does nothing for fragments (the datagram is not all here) or protocols
     * without a known checksum.
     */
    public static void completePartial(MemorySegment seg, FlowDescription f) {
        if (f.l4Offset < 0 || f.fragment) return;
        int field = checksumFieldOffset(f.protocol);
        if (field < 0) return;
        int value = f.ipVersion == 4
                ? transportIpv4(seg, f.l3Offset, f.l4Offset, f.l4Length, f.protocol)
                : transportIpv6(seg, f.l3Offset, f.l4Offset, f.l4Length, f.protocol);
        put16(seg, f.l4Offset + field, value);
    }

    /**
     * The RFC 1624 difference {@code ~m + m'} of a changed 32-bit field (an IPv4 address), as an unfolded sum of
     * 16-bit words: {@link #applyDeltaToWord} folds it once, however many deltas were added together (each is below
     * 2^18, so sums of a few stay far from overflow).
     */
    public static int addressDelta(int oldValue, int newValue) {
        return (~oldValue >>> 16) + (~oldValue & 0xFFFF) + (newValue >>> 16) + (newValue & 0xFFFF);
    }

    /** As {@link #addressDelta} for a changed 16-bit field (a port). */
    public static int wordDelta(int oldValue, int newValue) {
        return (~oldValue & 0xFFFF) + (newValue & 0xFFFF);
    }

    /**
     * RFC 1624 eqn. 3, HC' = ~(~HC + delta), for a delta (or sum of deltas) from {@link #addressDelta}, applied to
     * the checksum HC in the low 16 bits of {@code word}; the other 48 bits come back unchanged. The rewrites read
     * and write the 8 bytes that end with a checksum field (see NatRewrite). The second fold only adds its carry,
     * since only the low 16 bits are kept; complementing and merging are one OR and one XOR.
     */
    public static long applyDeltaToWord(long word, int delta) {
        int acc = (~(int) word & 0xFFFF) + delta;
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc += acc >>> 16;
        return (word | 0xFFFF) ^ (acc & 0xFFFF);
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one changed 16-bit word. */
    public static int update16(int oldChecksum, int oldValue, int newValue) {
        int acc = (~oldChecksum & 0xFFFF) + (~oldValue & 0xFFFF) + (newValue & 0xFFFF);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        return ~acc & 0xFFFF;
    }

    /** RFC 1624 eqn. 3 for a changed 32-bit field (an IPv4 address): both halves at once. */
    public static int update32(int oldChecksum, int oldValue, int newValue) {
        int acc = (~oldChecksum & 0xFFFF) + (~oldValue >>> 16) + (~oldValue & 0xFFFF)
                + (newValue >>> 16) + (newValue & 0xFFFF);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        return ~acc & 0xFFFF;
    }
}
