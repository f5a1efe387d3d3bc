package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Icmpv6Errors;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Ipv6;
import io.jlvs.platform.net.Ipv6NextHopLookup;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u64;
import static io.jlvs.packets.Layouts.u8;

/**
 * ICMPv6 Packet Too Big about our IPv6-in-IPv6 packets, as {@link TunnelIcmpErrors} does for IP-in-IP: the error
 * quotes the outer header (director to real server, next header 41) and the start of the client's packet. The path
 * MTU to that real server is learnt ({@link TunnelPathMtu}) and the client gets Packet Too Big with that MTU less 40,
 * from the VIP, counted as {@link DropReason#PACKET_TOO_BIG_SENT}. Other errors are counted as unrelated. The steps
 * both families share are {@link TunnelErrorRelay}'s. One per worker; allocation-free.
 */
final class Ipv6TunnelIcmpErrors {
    static final int IPV6_IN_IPV6 = Ipv4.PROTO_IPV6;

    private final Ipv6NextHopLookup nextHops;
    private final DropCounters drops;
    private final TunnelErrorRelay relay;

    Ipv6TunnelIcmpErrors(DataPlane plane, Egress egress, DropCounters drops) {
        this.nextHops = (hi, lo) -> plane.ipv6NextHops().lookup(hi, lo);
        this.drops = drops;
        this.relay = new TunnelErrorRelay(plane, egress, drops);
    }

    void onError(MemorySegment seg, FlowDescription flow, long now) {
        long outer = flow.innerL3Offset;
        long inner = outer + flow.innerIpHeaderLength;
        int available = flow.icmpQuoteLength - flow.innerIpHeaderLength;
        if (flow.icmpType != Icmp.V6_PACKET_TOO_BIG || available < Ipv6.HEADER_LENGTH + 4
                || u8(seg, inner) >>> 4 != 6) {
            drops.count(DropReason.ICMP_UNRELATED);
            return;
        }
        int proto = u8(seg, inner + Ipv6.NEXT_HEADER);
        if (proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP) {
            drops.count(DropReason.ICMP_UNRELATED);
            return;
        }
        long clientHi = u64(seg, inner + Ipv6.SRC), clientLo = u64(seg, inner + Ipv6.SRC + 8);
        long vipHi = u64(seg, inner + Ipv6.DST), vipLo = u64(seg, inner + Ipv6.DST + 8);
        long l4 = inner + Ipv6.HEADER_LENGTH;
        relay.key.protocol(proto).client(clientHi, clientLo, u16(seg, l4)).virtual(vipHi, vipLo, u16(seg, l4 + 2));
        int pathMtu = u32(seg, flow.l4Offset + Icmp.V6_MTU);
        // No IPv6 link is smaller than the minimum MTU: a smaller one is a forged or broken error.
        if (!relay.learn(u64(seg, outer + Ipv6.DST), u64(seg, outer + Ipv6.DST + 8), pathMtu, Icmpv6Errors.MIN_MTU,
                now)) {
            return;
        }
        int tunnelMtu = pathMtu - IpInIp.IPV6_OVERHEAD;
        if (tunnelMtu < Icmpv6Errors.MIN_MTU) return; // cannot be announced: the transmitter drops what exceeds it
        tellClient(seg, inner, Math.min(available, Ipv6.HEADER_LENGTH + u16(seg, inner + Ipv6.PAYLOAD_LENGTH)),
                clientHi, clientLo, vipHi, vipLo, tunnelMtu);
    }

    private void tellClient(MemorySegment seg, long inner, int quoteLength, long clientHi, long clientLo, long vipHi,
                            long vipLo, int mtu) {
        NextHop hop = nextHops.lookup(clientHi, clientLo);
        PacketPort out = relay.portToward(hop);
        if (out == null) return;
        int length = Icmpv6Errors.writePacketTooBig(relay.scratch(), 0, out.mac(), hop.dstMac(), vipHi, vipLo, seg,
                relay.quote(inner, quoteLength, 6), mtu);
        relay.send(out, length, DropReason.PACKET_TOO_BIG_SENT);
    }
}
