package io.jlvs.packets;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.putMac;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u64;
import static io.jlvs.packets.Layouts.u8;

import java.lang.foreign.MemorySegment;

/**
 * Allocation-free writers for the few frames the director originates: ARP replies and announcements for the VIPs,
 * ICMP echo replies, and ICMP "fragmentation needed" for tunnelled packets that no longer fit. MACs are longs
 * (low 48 bits); IPv4 addresses ints. Each writer returns the number of bytes written at {@code off}.
 */
public final class Replies {
    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;
    /** IPv4 header + ICMP header + quote may not exceed the minimum reassembly size (RFC 1812 4.3.2.3). */
    private static final int ICMP_ERROR_MAX_IP_LENGTH = 576;
    private static final int REPLY_TTL = 64;

    private Replies() {}

    /** ARP reply "srcIp is at srcMac" to (dstMac, dstIp). Returns 42 (the NIC pads to 60). */
    public static int writeArpReply(MemorySegment out, long off, long srcMac, int srcIp, long dstMac, int dstIp) {
        return writeArp(out, off, Arp.OP_REPLY, srcMac, srcIp, dstMac, dstMac, dstIp);
    }

    /** Gratuitous ARP (a broadcast request for our own address), announcing that {@code ip} is at {@code mac}. */
    public static int writeGratuitousArp(MemorySegment out, long off, long mac, int ip) {
        return writeArp(out, off, Arp.OP_REQUEST, mac, ip, BROADCAST_MAC, 0, ip);
    }

    private static int writeArp(MemorySegment out, long off, int op, long srcMac, int srcIp, long ethDst,
                                long targetMac, int targetIp) {
        putMac(out, off + Ethernet.DST_MAC, ethDst);
        putMac(out, off + Ethernet.SRC_MAC, srcMac);
        put16(out, off + Ethernet.ETHER_TYPE, Ethernet.TYPE_ARP);
        long arp = off + Ethernet.HEADER_LENGTH;
        put16(out, arp + Arp.HARDWARE_TYPE, Arp.HTYPE_ETHERNET);
        put16(out, arp + Arp.PROTOCOL_TYPE, Ethernet.TYPE_IPV4);
        put8(out, arp + Arp.HARDWARE_LENGTH, 6);
        put8(out, arp + Arp.PROTOCOL_LENGTH, 4);
        put16(out, arp + Arp.OPERATION, op);
        putMac(out, arp + Arp.SENDER_MAC, srcMac);
        put32(out, arp + Arp.SENDER_IP, srcIp);
        putMac(out, arp + Arp.TARGET_MAC, targetMac);
        put32(out, arp + Arp.TARGET_IP, targetIp);
        return Ethernet.HEADER_LENGTH + Arp.LENGTH;
    }

    /**
     * Echo reply (ICMPv4 or ICMPv6) to a parsed echo request in {@code in}: the request's link header (keeping any
     * VLAN tag), IP header and ICMP message are copied to {@code out} (in place when they are the same memory
     * at the same offset), MACs set, addresses swapped, TTL set to 64, type changed, checksums updated.
     * Trailing Ethernet padding is dropped. Returns 0, writing nothing, when {@code request} is not a parsed echo
     * request or {@code out} has no room for the reply.
     */
    public static int writeIcmpEchoReply(MemorySegment out, long off, MemorySegment in, FlowDescription request,
                                         long srcMac, long dstMac) {
        boolean echoRequest = request.ipVersion == 4
                ? request.protocol == Ipv4.PROTO_ICMP && request.icmpType == Icmp.V4_ECHO_REQUEST
                : request.ipVersion == 6 && request.protocol == Ipv4.PROTO_ICMPV6 && request.icmpType == Icmp.V6_ECHO_REQUEST;
        int linkLength = (int) (request.l3Offset - request.frameOffset);
        int length = linkLength + request.ipTotalLength;
        if (request.status != ParseStatus.OK || !echoRequest || request.l4Offset < 0 || request.fragment
                || off < 0 || off + length > out.byteSize()) {
            return 0;
        }
        if (in != out || request.frameOffset != off) MemorySegment.copy(in, request.frameOffset, out, off, length);
        putMac(out, off + Ethernet.DST_MAC, dstMac);
        putMac(out, off + Ethernet.SRC_MAC, srcMac);
        long l3 = off + linkLength;
        long icmp = l3 + (request.l4Offset - request.l3Offset);
        int oldTypeCode = u16(out, icmp + Icmp.TYPE);
        int replyType;
        if (request.ipVersion == 4) {
            int src = u32(out, l3 + Ipv4.SRC);
            put32(out, l3 + Ipv4.SRC, u32(out, l3 + Ipv4.DST));
            put32(out, l3 + Ipv4.DST, src);
            put8(out, l3 + Ipv4.TTL, REPLY_TTL);
            Checksums.fillIpv4Header(out, l3, request.ipHeaderLength);
            replyType = Icmp.V4_ECHO_REPLY;
        } else {
            for (int i = 0; i < 16; i += 8) {
                long s = u64(out, l3 + Ipv6.SRC + i);
                Layouts.put64(out, l3 + Ipv6.SRC + i, u64(out, l3 + Ipv6.DST + i));
                Layouts.put64(out, l3 + Ipv6.DST + i, s);
            }
            put8(out, l3 + Ipv6.HOP_LIMIT, REPLY_TTL);
            replyType = Icmp.V6_ECHO_REPLY; // the pseudo-header sum is unchanged by the swap
        }
        put8(out, icmp + Icmp.TYPE, replyType);
        int newTypeCode = u16(out, icmp + Icmp.TYPE);
        put16(out, icmp + Icmp.CHECKSUM,
                Checksums.update16(u16(out, icmp + Icmp.CHECKSUM), oldTypeCode, newTypeCode));
        return length;
    }

    /**
     * ICMPv4 destination unreachable / fragmentation needed (type 3 code 4) with next-hop {@code mtu}, quoting the
     * offending IPv4 packet {@code offending} (its IP header and as much of the rest as fits in 576 bytes), sent
     * from {@code srcIp} to the offending packet's source, on the same VLAN as the offending frame. Returns 0,
     * writing nothing, when {@code offending} is not a parsed IPv4 packet or {@code out} has no room.
     */
    public static int writeIcmpFragmentationNeeded(MemorySegment out, long off, long srcMac, long dstMac, int srcIp,
                                                   MemorySegment in, FlowDescription offending, int mtu) {
        int maxLength = Ethernet.VLAN_HEADER_LENGTH + ICMP_ERROR_MAX_IP_LENGTH;
        if (offending.status != ParseStatus.OK || offending.ipVersion != 4 || off < 0
                || off + Math.min(maxLength, Ethernet.VLAN_HEADER_LENGTH + 28 + offending.ipTotalLength) > out.byteSize()) {
            return 0;
        }
        long at = off;
        putMac(out, at + Ethernet.DST_MAC, dstMac);
        putMac(out, at + Ethernet.SRC_MAC, srcMac);
        if (offending.vlanId >= 0) {
            put16(out, at + Ethernet.ETHER_TYPE, Ethernet.TYPE_VLAN);
            put16(out, at + Ethernet.VLAN_TCI, offending.vlanId);
            put16(out, at + Ethernet.VLAN_ETHER_TYPE, Ethernet.TYPE_IPV4);
            at += Ethernet.VLAN_HEADER_LENGTH;
        } else {
            put16(out, at + Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV4);
            at += Ethernet.HEADER_LENGTH;
        }
        int quote = Math.min(offending.ipTotalLength,
                ICMP_ERROR_MAX_IP_LENGTH - Ipv4.MIN_HEADER_LENGTH - Icmp.HEADER_LENGTH);
        int ipLength = Ipv4.MIN_HEADER_LENGTH + Icmp.HEADER_LENGTH + quote;
        long l3 = at;
        put8(out, l3 + Ipv4.VERSION_IHL, 0x45);
        put8(out, l3 + Ipv4.TOS, 0xC0); // internetwork control, as Linux sends its ICMP errors
        put16(out, l3 + Ipv4.TOTAL_LENGTH, ipLength);
        put16(out, l3 + Ipv4.IDENTIFICATION, 0);
        put16(out, l3 + Ipv4.FLAGS_FRAGMENT, 0);
        put8(out, l3 + Ipv4.TTL, REPLY_TTL);
        put8(out, l3 + Ipv4.PROTOCOL, Ipv4.PROTO_ICMP);
        put16(out, l3 + Ipv4.CHECKSUM, 0);
        put32(out, l3 + Ipv4.SRC, srcIp);
        put32(out, l3 + Ipv4.DST, u32(in, offending.l3Offset + Ipv4.SRC));
        Checksums.fillIpv4Header(out, l3, Ipv4.MIN_HEADER_LENGTH);
        long icmp = l3 + Ipv4.MIN_HEADER_LENGTH;
        put8(out, icmp + Icmp.TYPE, Icmp.V4_DEST_UNREACH);
        put8(out, icmp + Icmp.CODE, Icmp.V4_CODE_FRAG_NEEDED);
        put16(out, icmp + Icmp.CHECKSUM, 0);
        put16(out, icmp + Icmp.IDENTIFIER, 0);
        put16(out, icmp + Icmp.NEXT_HOP_MTU, mtu);
        MemorySegment.copy(in, offending.l3Offset, out, icmp + Icmp.HEADER_LENGTH, quote);
        put16(out, icmp + Icmp.CHECKSUM,
                Checksums.transportIpv4(out, l3, icmp, Icmp.HEADER_LENGTH + quote, Ipv4.PROTO_ICMP));
        return (int) (icmp - off) + Icmp.HEADER_LENGTH + quote;
    }
}
