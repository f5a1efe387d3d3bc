package io.jlvs.forwarder;

import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmpv6Errors;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Layouts;
import io.jlvs.platform.net.Ipv6NextHopLookup;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 tunnelling (ipvsadm -i to an IPv6 real server), as ip_vs_tunnel_xmit_v6 does it: the client's IPv6 packet,
 * hop limit decremented, is wrapped in an outer IPv6 header (next header 41) to the real address; the outer source
 * is the director's address toward it, traffic class copied with ECN encapsulated, hop limit and flow label copied
 * ({@link IpInIp#encapsulateIpv6}).
 *
 * <p>Path MTU: the tunnel MTU is the path MTU less 40. IPv6 is never fragmented in transit: a packet that no longer
 * fits is answered with ICMPv6 Packet Too Big (MTU = tunnel MTU) to the client, from the VIP, and counted as
 * {@link DropReason#PACKET_TOO_BIG_SENT}; the client then sends smaller packets. A tunnel MTU below the IPv6
 * minimum (1280) cannot be announced: such packets are dropped as {@link DropReason#OVERSIZE}, as IPVS drops them.
 *
 * <p>The frame needs 40 more bytes than it has, so the outer frame is built in a worker-private scratch buffer.
 * One per worker; allocation-free.
 */
final class Ipv6TunnelTransmitter {
    private static final int ETH = Ethernet.HEADER_LENGTH;

    private final MemorySegment scratch = MemorySegment.ofArray(new byte[ETH + IpInIp.IPV6_OVERHEAD + 65536]);
    private final Ipv6NextHopLookup nextHops;
    private final Egress egress;
    private final DropCounters drops;

    Ipv6TunnelTransmitter(Ipv6NextHopLookup nextHops, Egress egress, DropCounters drops) {
        this.nextHops = nextHops;
        this.egress = egress;
        this.drops = drops;
    }

    /**
     * Encapsulates the parsed IPv6 packet of the frame to the real server [realHi realLo]. {@code rxPort}: where the
     * frame came in; a Packet Too Big for the client leaves there, to the MAC the frame came from.
     */
    void transmit(MemorySegment seg, long offset, FlowDescription flow, long realHi, long realLo,
                  boolean partialChecksum, PacketPort rxPort, int learntPathMtu) {
        NextHop hop = nextHops.lookup(realHi, realLo);
        PacketPort out = egress.portTowardResolved(hop);
        if (out == null) return;
        int innerLength = flow.ipTotalLength;
        int tunnelMtu = Egress.pathMtu(hop, out, learntPathMtu) - IpInIp.IPV6_OVERHEAD;
        if (innerLength > tunnelMtu) {
            if (tunnelMtu < Icmpv6Errors.MIN_MTU) drops.count(DropReason.OVERSIZE);
            else sendPacketTooBig(seg, offset, flow, tunnelMtu, rxPort);
            return;
        }
        if (!egress.passesOn(seg, flow, partialChecksum)) return;
        int ipLength = IpInIp.encapsulateIpv6(scratch, ETH, seg, flow.l3Offset, innerLength, hop.sourceHi(),
                hop.sourceLo(), realHi, realLo);
        Egress.writeMacs(scratch, 0, hop, out);
        Layouts.put16(scratch, Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV6);
        egress.send(out, scratch, 0, ETH + ipLength);
    }

    private void sendPacketTooBig(MemorySegment seg, long offset, FlowDescription flow, int mtu, PacketPort rxPort) {
        long clientMac = Layouts.mac(seg, offset + Ethernet.SRC_MAC);
        // From the VIP, as the kernel answers for packets addressed to one of its own addresses.
        int length = Icmpv6Errors.writePacketTooBig(scratch, 0, rxPort.mac(), clientMac, flow.dstHi, flow.dstLo, seg,
                flow, mtu);
        Egress.sendBuilt(rxPort, scratch, length, drops, DropReason.PACKET_TOO_BIG_SENT);
    }
}
