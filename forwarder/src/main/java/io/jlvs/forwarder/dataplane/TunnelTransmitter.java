package io.jlvs.forwarder.dataplane;

import io.jlvs.forwarder.io.PacketPort;
import io.jlvs.forwarder.net.NextHop;
import io.jlvs.forwarder.net.NextHopLookup;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.NatRewrite;
import io.jlvs.packets.Replies;

import java.lang.foreign.MemorySegment;

/**
 * IP tunnelling (ipvsadm -i, --tun-type ipip), as ip_vs_tunnel_xmit does it: the client's IPv4 packet, TTL
 * decremented, is wrapped in an outer IPv4 header (protocol 4) to the real address and routed by the kernel's
 * tables; the outer source is the director's address on the egress interface, TOS copied with ECN encapsulated,
 * TTL and DF copied from the inner packet ({@link IpInIp#encapsulateIpv4}).
 *
 * <p>Path MTU: the tunnel MTU is the egress MTU less 20. A DF packet that no longer fits is answered with ICMP
 * fragmentation needed (next-hop MTU = tunnel MTU) to the client, from the VIP, and counted as
 * {@link DropReason#FRAG_NEEDED_SENT}; the client's TCP then sends smaller segments.
 *
 * <p>The frame needs 20 more bytes than it has, so the outer frame is built in a worker-private scratch buffer
 * and copied once more into the transmit ring by {@link PacketPort#send}. One per worker; allocation-free.
 */
final class TunnelTransmitter {
    private static final int ETH = Ethernet.HEADER_LENGTH;
    /** IPv4 minimum MTU (RFC 791): a smaller path MTU is not announced to clients. */
    private static final int MIN_MTU = 68;

    private final MemorySegment scratch = MemorySegment.ofArray(new byte[ETH + IpInIp.IPV4_OVERHEAD + 65536]);
    private final NextHopLookup nextHops;
    private final WorkerPorts ports;
    private final DropCounters drops;
    private int identification;

    TunnelTransmitter(NextHopLookup nextHops, WorkerPorts ports, DropCounters drops) {
        this.nextHops = nextHops;
        this.ports = ports;
        this.drops = drops;
        this.identification = System.identityHashCode(this); // workers start apart, so their ids rarely collide
    }

    /**
     * Encapsulates the parsed IPv4 packet of the frame to {@code realV4}. {@code rxPort} is the port the frame
     * came in on: an ICMP error for the client leaves there, to the MAC it came from.
     */
    void transmit(MemorySegment seg, long offset, FlowDescription flow, int realV4, boolean partialChecksum,
                  PacketPort rxPort) {
        NextHop hop = nextHops.lookup(realV4);
        if (hop == null || hop.dstMac() == 0) {
            drops.count(DropReason.NO_ROUTE);
            return;
        }
        PacketPort out = ports.byIfIndex(hop.ifIndex());
        if (out == null) {
            drops.count(DropReason.NO_ROUTE);
            return;
        }
        int innerLength = flow.ipTotalLength;
        int tunnelMtu = Math.min(hop.mtu() > 0 ? hop.mtu() : out.mtu(), out.mtu()) - IpInIp.IPV4_OVERHEAD;
        if (innerLength > tunnelMtu) {
            if (flow.dontFragment) {
                sendFragmentationNeeded(seg, offset, flow, Math.max(tunnelMtu, MIN_MTU), rxPort);
            } else {
                // IPVS lets the kernel fragment the outer packet; jlvs does not fragment yet.
                drops.count(DropReason.OVERSIZE);
            }
            return;
        }
        if (!NatRewrite.decrementTtl(seg, flow)) {
            drops.count(DropReason.TTL_EXPIRED);
            return;
        }
        if (partialChecksum) Checksums.completePartial(seg, flow);
        int ipLength = IpInIp.encapsulateIpv4(scratch, ETH, seg, flow.l3Offset, innerLength, hop.sourceV4(), realV4,
                (identification++) & 0xFFFF);
        Layouts.putMac(scratch, Ethernet.DST_MAC, hop.dstMac());
        Layouts.putMac(scratch, Ethernet.SRC_MAC, out.mac());
        Layouts.put16(scratch, Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV4);
        if (!out.send(scratch, 0, ETH + ipLength)) drops.count(DropReason.TX_FULL);
    }

    private void sendFragmentationNeeded(MemorySegment seg, long offset, FlowDescription flow, int mtu, PacketPort rxPort) {
        long clientMac = Layouts.mac(seg, offset + Ethernet.SRC_MAC);
        // From the VIP, as the kernel answers for packets addressed to one of its own addresses.
        int length = Replies.writeIcmpFragmentationNeeded(scratch, 0, rxPort.mac(), clientMac, flow.dstV4(), seg, flow, mtu);
        drops.count(DropReason.FRAG_NEEDED_SENT);
        if (!rxPort.send(scratch, 0, length)) drops.count(DropReason.TX_FULL);
    }
}
