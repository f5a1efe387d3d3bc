package io.jlvs.packets;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put64;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.putMac;
import static io.jlvs.packets.Layouts.u64;

import java.lang.foreign.MemorySegment;

/**
 * ICMPv6 errors the director sends itself (RFC 4443): Packet Too Big and Destination Unreachable, quoting as much of
 * the offending packet as fits in the IPv6 minimum MTU (1280 bytes in all), on the offending frame's VLAN.
 * Allocation-free.
 */
public final class Icmpv6Errors {
    /** An ICMPv6 error never exceeds the minimum IPv6 MTU (RFC 4443 2.4 (c)). */
    public static final int MAX_IP_LENGTH = 1280;
    public static final int MIN_MTU = 1280;
    private static final int HOP_LIMIT = 64;

    private Icmpv6Errors() {}

    /**
     * Packet Too Big with {@code mtu}, from [srcHi srcLo] to the offending packet's source. Returns the frame's
     * length, or 0, writing nothing, when {@code offending} is not a parsed IPv6 packet or {@code out} has no room.
     */
    public static int writePacketTooBig(MemorySegment out, long off, long srcMac, long dstMac, long srcHi, long srcLo,
                                        MemorySegment in, FlowDescription offending, int mtu) {
        return writeError(out, off, srcMac, dstMac, srcHi, srcLo, in, offending, Icmp.V6_PACKET_TOO_BIG, 0, mtu);
    }

    /**
     * Destination Unreachable with {@code code} (e.g. {@link Icmp#V6_CODE_PORT_UNREACHABLE}), from [srcHi srcLo] to
     * the offending packet's source; as {@link #writePacketTooBig}.
     */
    public static int writeDestinationUnreachable(MemorySegment out, long off, long srcMac, long dstMac, long srcHi,
                                                  long srcLo, MemorySegment in, FlowDescription offending, int code) {
        return writeError(out, off, srcMac, dstMac, srcHi, srcLo, in, offending, Icmp.V6_DEST_UNREACH, code, 0);
    }

    /**
     * A Packet Too Big the director passes on (rewritten, not written anew) for a path that adds {@code overhead}
     * bytes to each packet: its MTU lowered by that, and never below {@link #MIN_MTU} (no IPv6 path is smaller; a
     * lower figure is broken or forged, and the receiver must not go below the minimum either). Other errors are
     * left alone. The ICMPv6 checksum is the caller's to refresh.
     */
    public static void relayPacketTooBig(MemorySegment seg, FlowDescription error, int overhead) {
        if (error.ipVersion != 6 || !error.icmpError || error.icmpType != Icmp.V6_PACKET_TOO_BIG) return;
        long at = error.l4Offset + Icmp.V6_MTU;
        long mtu = Integer.toUnsignedLong(Layouts.u32(seg, at)) - overhead;
        put32(seg, at, (int) Math.max(MIN_MTU, mtu));
    }

    /** An error of {@code type} and {@code code} whose 32-bit field after the checksum is {@code field}. */
    private static int writeError(MemorySegment out, long off, long srcMac, long dstMac, long srcHi, long srcLo,
                                  MemorySegment in, FlowDescription offending, int type, int code, int field) {
        int quote = Math.min(offending.ipTotalLength, MAX_IP_LENGTH - Ipv6.HEADER_LENGTH - 8);
        int link = offending.vlanId >= 0 ? Ethernet.VLAN_HEADER_LENGTH : Ethernet.HEADER_LENGTH;
        int length = link + Ipv6.HEADER_LENGTH + 8 + quote;
        if (offending.status != ParseStatus.OK || offending.ipVersion != 6 || off < 0 || off + length > out.byteSize()) {
            return 0;
        }
        putMac(out, off + Ethernet.DST_MAC, dstMac);
        putMac(out, off + Ethernet.SRC_MAC, srcMac);
        if (offending.vlanId >= 0) {
            put16(out, off + Ethernet.ETHER_TYPE, Ethernet.TYPE_VLAN);
            put16(out, off + Ethernet.VLAN_TCI, offending.vlanId);
            put16(out, off + Ethernet.VLAN_ETHER_TYPE, Ethernet.TYPE_IPV6);
        } else {
            put16(out, off + Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV6);
        }
        long l3 = off + link;
        put32(out, l3 + Ipv6.VERSION_CLASS_FLOW, 6 << 28);
        put16(out, l3 + Ipv6.PAYLOAD_LENGTH, 8 + quote);
        put8(out, l3 + Ipv6.NEXT_HEADER, Ipv4.PROTO_ICMPV6);
        put8(out, l3 + Ipv6.HOP_LIMIT, HOP_LIMIT);
        put64(out, l3 + Ipv6.SRC, srcHi);
        put64(out, l3 + Ipv6.SRC + 8, srcLo);
        put64(out, l3 + Ipv6.DST, u64(in, offending.l3Offset + Ipv6.SRC));
        put64(out, l3 + Ipv6.DST + 8, u64(in, offending.l3Offset + Ipv6.SRC + 8));
        long icmp = l3 + Ipv6.HEADER_LENGTH;
        put8(out, icmp + Icmp.TYPE, type);
        put8(out, icmp + Icmp.CODE, code);
        put16(out, icmp + Icmp.CHECKSUM, 0);
        put32(out, icmp + Icmp.V6_MTU, field);
        MemorySegment.copy(in, offending.l3Offset, out, icmp + 8, quote);
        put16(out, icmp + Icmp.CHECKSUM, Checksums.transportIpv6(out, l3, icmp, 8 + quote, Ipv4.PROTO_ICMPV6));
        return length;
    }
}
