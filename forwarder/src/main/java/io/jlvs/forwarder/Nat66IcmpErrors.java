package io.jlvs.forwarder;

import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Icmpv6Errors;
import io.jlvs.packets.Layouts;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.MemorySegment;

/**
 * The ICMPv6 errors the director sends itself about NAT66 packets, where the IPv4 path has {@link NatIcmpSender} and
 * the tunnel's fragmentation needed: Packet Too Big for a packet that does not fit its egress link (IPv6 is never
 * fragmented in transit: ip_vs_nat_xmit_v6 answers so too), and nat_icmp_send's port unreachable to a NAT real
 * server whose packet matches no connection. Each quotes the packet of the current frame, as its sender sent it,
 * and leaves on the port the frame came in on, to the MAC it came from. One per worker; allocation-free.
 */
final class Nat66IcmpErrors {
    private final MemorySegment scratch =
            MemorySegment.ofArray(new byte[Ethernet.VLAN_HEADER_LENGTH + Icmpv6Errors.MAX_IP_LENGTH]);
    private final FlowDescription flow;
    private final DropCounters drops;

    Nat66IcmpErrors(FlowDescription flow, DropCounters drops) {
        this.flow = flow;
        this.drops = drops;
    }

    /**
     * Packet Too Big with {@code mtu}, from [srcHi srcLo], counted as PACKET_TOO_BIG_SENT; a link below the IPv6
     * minimum MTU cannot be announced, so the packet is only counted as OVERSIZE.
     */
    void packetTooBig(MemorySegment seg, long offset, PacketPort rxPort, long srcHi, long srcLo, int mtu) {
        if (mtu < Icmpv6Errors.MIN_MTU) {
            drops.count(DropReason.OVERSIZE);
            return;
        }
        long senderMac = Layouts.mac(seg, offset + Ethernet.SRC_MAC);
        int length = Icmpv6Errors.writePacketTooBig(scratch, 0, rxPort.mac(), senderMac, srcHi, srcLo, seg, flow, mtu);
        Egress.sendBuilt(rxPort, scratch, length, drops, DropReason.PACKET_TOO_BIG_SENT);
    }

    /** Port unreachable from [srcHi srcLo] (the director's address toward the server), counted as NAT_ICMP_SENT. */
    void portUnreachable(MemorySegment seg, long offset, PacketPort rxPort, long srcHi, long srcLo) {
        long serverMac = Layouts.mac(seg, offset + Ethernet.SRC_MAC);
        int length = Icmpv6Errors.writeDestinationUnreachable(scratch, 0, rxPort.mac(), serverMac, srcHi, srcLo, seg,
                flow, Icmp.V6_CODE_PORT_UNREACHABLE);
        Egress.sendBuilt(rxPort, scratch, length, drops, DropReason.NAT_ICMP_SENT);
    }
}
