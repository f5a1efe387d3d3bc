package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Replies;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u8;

/**
 * ICMP errors about our IP-in-IP packets, mapped back to the client's connection as IPVS does (ip_vs_in_icmp):
 * the error quotes the outer header (director -> real server, protocol 4) and the start of the client's packet.
 * Only "fragmentation needed" matters: the path MTU to that real server is learnt ({@link TunnelPathMtu}), and
 * when the client's packet had DF, the client gets fragmentation needed with that MTU less 20, from the VIP,
 * counted as {@link DropReason#FRAG_NEEDED_SENT}. Other errors are counted as unrelated and dropped. The steps both
 * families share are {@link TunnelErrorRelay}'s. One per worker; allocation-free.
 */
final class TunnelIcmpErrors {
    static final int IPIP = Ipv4.PROTO_IPIP;
    /** Below this the tunnel could not carry a minimal IPv4 packet (68) any more; IPVS ignores such errors too. */
    private static final int MIN_PATH_MTU = 68 + IpInIp.IPV4_OVERHEAD;

    private final NextHopLookup nextHops;
    private final DropCounters drops;
    private final TunnelErrorRelay relay;

    TunnelIcmpErrors(DataPlane plane, Egress egress, DropCounters drops) {
        this.nextHops = plane.nextHops();
        this.drops = drops;
        this.relay = new TunnelErrorRelay(plane, egress, drops);
    }

    void onError(MemorySegment seg, long offset, FlowDescription flow, long now) {
        long outer = flow.innerL3Offset;
        long inner = outer + flow.innerIpHeaderLength;
        int available = flow.icmpQuoteLength - flow.innerIpHeaderLength;
        if (flow.icmpType != Icmp.V4_DEST_UNREACH || flow.icmpCode != Icmp.V4_CODE_FRAG_NEEDED || available < Ipv4.MIN_HEADER_LENGTH
                || u8(seg, inner) >>> 4 != 4) {
            drops.count(DropReason.ICMP_UNRELATED);
            return;
        }
        int innerHeader = (u8(seg, inner) & 0x0F) << 2;
        int proto = u8(seg, inner + Ipv4.PROTOCOL);
        if (available < innerHeader + 4 || (proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP)) {
            drops.count(DropReason.ICMP_UNRELATED);
            return;
        }
        int client = u32(seg, inner + Ipv4.SRC), vip = u32(seg, inner + Ipv4.DST);
        int clientPort = u16(seg, inner + innerHeader), vport = u16(seg, inner + innerHeader + 2);
        relay.key.protocol(proto).client(0, FlowDescription.mappedLo(client), clientPort)
                .virtual(0, FlowDescription.mappedLo(vip), vport);
        int pathMtu = u16(seg, flow.l4Offset + Icmp.NEXT_HOP_MTU);
        int real = u32(seg, outer + Ipv4.DST);
        if (!relay.learn(0, FlowDescription.mappedLo(real), pathMtu, MIN_PATH_MTU, now)) return;
        if ((u16(seg, inner + Ipv4.FLAGS_FRAGMENT) & Ipv4.FLAG_DF) == 0) return; // no DF: nothing to tell the client now; later big packets meet the learnt MTU
        tellClient(seg, inner, Math.min(available, u16(seg, inner + Ipv4.TOTAL_LENGTH)), client, vip,
                pathMtu - IpInIp.IPV4_OVERHEAD);
    }

    private void tellClient(MemorySegment seg, long inner, int quoteLength, int client, int vip, int mtu) {
        NextHop hop = nextHops.lookup(client);
        PacketPort out = relay.portToward(hop);
        if (out == null) return;
        int length = Replies.writeIcmpFragmentationNeeded(relay.scratch(), 0, out.mac(), hop.dstMac(), vip, seg,
                relay.quote(inner, quoteLength, 4), mtu);
        relay.send(out, length, DropReason.FRAG_NEEDED_SENT);
    }
}
