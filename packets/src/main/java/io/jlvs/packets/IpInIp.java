package io.jlvs.packets;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put64;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u8;

import java.lang.foreign.MemorySegment;

/**
 * IP-in-IP tunnelling as IPVS's TUN forwarding does it: IPv4 in IPv4 (protocol 4) and IPv6 in IPv6 (next header
 * 41); an outer header of the other family also works (41 in IPv4, 4 in IPv6).
 *
 * <p>Outer header: TOS / traffic class copied from the inner packet with ECN encapsulated as Linux's
 * INET_ECN_encapsulate does (RFC 6040 normal mode, except that CE is sent outside as ECT(0) so that a congestion
 * mark from before the tunnel is not counted twice), TTL / hop limit = the inner one, DF copied from an IPv4 inner
 * packet (set for IPv6 inner packets, which routers never fragment).
 */
public final class IpInIp {
    public static final int IPV4_OVERHEAD = Ipv4.MIN_HEADER_LENGTH;
    public static final int IPV6_OVERHEAD = Ipv6.HEADER_LENGTH;
    private static final int ECN_MASK = 0x03;
    private static final int ECN_ECT0 = 0x02;
    private static final int ECN_CE = 0x03;

    private IpInIp() {}

    /** Outer TOS for an inner TOS: DSCP copied, ECN copied except CE, which becomes ECT(0). */
    public static int encapsulatedTos(int innerTos) {
        int ecn = innerTos & ECN_MASK;
        return (innerTos & ~ECN_MASK & 0xFF) | (ecn == ECN_CE ? ECN_ECT0 : ecn);
    }

    /**
     * Writes an outer IPv4 header at {@code dstOff} and the inner packet right after it (copied from
     * {@code src}/{@code innerL3Off} unless it already sits there, i.e. the caller left 20 bytes of headroom).
     * Source and destination may overlap. Returns the outer packet's length (20 + innerLen).
     */
    public static int encapsulateIpv4(MemorySegment dst, long dstOff, MemorySegment src, long innerL3Off,
                                      int innerLen, int outerSrc, int outerDst, int identification) {
        int innerVersion = u8(src, innerL3Off) >>> 4;
        int innerTos;
        int innerTtl;
        boolean dontFragment;
        if (innerVersion == 4) {
            innerTos = u8(src, innerL3Off + Ipv4.TOS);
            innerTtl = u8(src, innerL3Off + Ipv4.TTL);
            dontFragment = (u16(src, innerL3Off + Ipv4.FLAGS_FRAGMENT) & Ipv4.FLAG_DF) != 0;
        } else {
            innerTos = (u32(src, innerL3Off) >>> 20) & 0xFF;
            innerTtl = u8(src, innerL3Off + Ipv6.HOP_LIMIT);
            dontFragment = true;
        }
        long innerDst = dstOff + IPV4_OVERHEAD;
        if (src != dst || innerL3Off != innerDst) MemorySegment.copy(src, innerL3Off, dst, innerDst, innerLen);
        put8(dst, dstOff + Ipv4.VERSION_IHL, 0x45);
        put8(dst, dstOff + Ipv4.TOS, encapsulatedTos(innerTos));
        put16(dst, dstOff + Ipv4.TOTAL_LENGTH, IPV4_OVERHEAD + innerLen);
        put16(dst, dstOff + Ipv4.IDENTIFICATION, identification);
        put16(dst, dstOff + Ipv4.FLAGS_FRAGMENT, dontFragment ? Ipv4.FLAG_DF : 0);
        put8(dst, dstOff + Ipv4.TTL, innerTtl);
        put8(dst, dstOff + Ipv4.PROTOCOL, innerVersion == 4 ? Ipv4.PROTO_IPIP : Ipv4.PROTO_IPV6);
        put16(dst, dstOff + Ipv4.CHECKSUM, 0);
        put32(dst, dstOff + Ipv4.SRC, outerSrc);
        put32(dst, dstOff + Ipv4.DST, outerDst);
        Checksums.fillIpv4Header(dst, dstOff, IPV4_OVERHEAD);
        return IPV4_OVERHEAD + innerLen;
    }

    /** As {@link #encapsulateIpv4} with an outer IPv6 header (40 bytes); flow label copied from an IPv6 inner. */
    public static int encapsulateIpv6(MemorySegment dst, long dstOff, MemorySegment src, long innerL3Off,
                                      int innerLen, long outerSrcHi, long outerSrcLo, long outerDstHi,
                                      long outerDstLo) {
        int first = u32(src, innerL3Off);
        int innerVersion = first >>> 28;
        int innerTos;
        int innerTtl;
        int flowLabel;
        if (innerVersion == 6) {
            innerTos = (first >>> 20) & 0xFF;
            innerTtl = u8(src, innerL3Off + Ipv6.HOP_LIMIT);
            flowLabel = first & 0xFFFFF;
        } else {
            innerTos = u8(src, innerL3Off + Ipv4.TOS);
            innerTtl = u8(src, innerL3Off + Ipv4.TTL);
            flowLabel = 0;
        }
        long innerDst = dstOff + IPV6_OVERHEAD;
        if (src != dst || innerL3Off != innerDst) MemorySegment.copy(src, innerL3Off, dst, innerDst, innerLen);
        put32(dst, dstOff + Ipv6.VERSION_CLASS_FLOW, (6 << 28) | (encapsulatedTos(innerTos) << 20) | flowLabel);
        put16(dst, dstOff + Ipv6.PAYLOAD_LENGTH, innerLen);
        put8(dst, dstOff + Ipv6.NEXT_HEADER, innerVersion == 6 ? Ipv4.PROTO_IPV6 : Ipv4.PROTO_IPIP);
        put8(dst, dstOff + Ipv6.HOP_LIMIT, innerTtl);
        put64(dst, dstOff + Ipv6.SRC, outerSrcHi);
        put64(dst, dstOff + Ipv6.SRC + 8, outerSrcLo);
        put64(dst, dstOff + Ipv6.DST, outerDstHi);
        put64(dst, dstOff + Ipv6.DST + 8, outerDstLo);
        return IPV6_OVERHEAD + innerLen;
    }

    /** True when a parsed packet carries an IP-in-IP payload that {@link #decapsulate} can open. */
    public static boolean isTunnel(FlowDescription outer) {
        return outer.status == ParseStatus.OK && outer.l4Offset >= 0 && !outer.fragment
                && (outer.protocol == Ipv4.PROTO_IPIP || outer.protocol == Ipv4.PROTO_IPV6);
    }

    /** Where the inner packet starts (absolute), -1 when {@code outer} is no tunnel packet. */
    public static long innerOffset(FlowDescription outer) {
        return isTunnel(outer) ? outer.l4Offset : -1;
    }

    /** Bytes of the inner packet, 0 when {@code outer} is no tunnel packet. */
    public static int innerLength(FlowDescription outer) {
        return isTunnel(outer) ? outer.l4Length : 0;
    }

    /**
     * Parses the inner packet of a tunnel packet into {@code inner} (its l3Offset and ipTotalLength locate it) and
     * applies the RFC 6040 egress rule: a CE mark on the outer header is copied to an ECN-capable inner packet
     * (the inner IPv4 header checksum is updated). Returns the inner parse status, or
     * {@link ParseStatus#TRUNCATED_TUNNEL} when {@code outer} carries no tunnel payload.
     */
    public static int decapsulate(MemorySegment seg, FlowDescription outer, FlowDescription inner) {
        if (!isTunnel(outer)) {
            inner.reset();
            inner.status = ParseStatus.TRUNCATED_TUNNEL;
            return inner.status;
        }
        int status = PacketParser.parseIp(seg, outer.l4Offset, outer.l4Length, inner);
        if (status != ParseStatus.OK) return status;
        if ((outer.tos & ECN_MASK) == ECN_CE && (inner.tos & ECN_MASK) != 0 && (inner.tos & ECN_MASK) != ECN_CE) {
            int newTos = inner.tos | ECN_CE;
            long l3 = inner.l3Offset;
            if (inner.ipVersion == 4) {
                int oldWord = u16(seg, l3);
                put8(seg, l3 + Ipv4.TOS, newTos);
                put16(seg, l3 + Ipv4.CHECKSUM,
                        Checksums.update16(u16(seg, l3 + Ipv4.CHECKSUM), oldWord, u16(seg, l3)));
            } else {
                put32(seg, l3, (u32(seg, l3) & ~(0xFF << 20)) | (newTos << 20));
            }
            inner.tos = newTos;
        }
        return status;
    }
}
