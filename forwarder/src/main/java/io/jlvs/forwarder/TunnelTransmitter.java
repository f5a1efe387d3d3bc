package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Layouts;
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
 * {@link DropReason#FRAG_NEEDED_SENT}; the client's TCP then sends smaller segments. A packet without DF is
 * sent as outer fragments (the kernel does that for IPVS).
 *
 * <p>The frame needs 20 more bytes than it has, so the outer frame is built in a worker-private scratch buffer
 * and copied once more into the transmit ring by {@link PacketPort#send}. One per worker; allocation-free.
 */
final class TunnelTransmitter {
    private static final int ETH = Ethernet.HEADER_LENGTH;
    /** IPv4 minimum MTU (RFC 791): a smaller path MTU is not announced to clients. */
    private static final int MIN_MTU = 68;

    private final MemorySegment scratch = MemorySegment.ofArray(new byte[ETH + IpInIp.IPV4_OVERHEAD + 65536]);
    /** The outer Ethernet + IPv4 header, kept while fragments overwrite the scratch buffer. */
    private final MemorySegment header = MemorySegment.ofArray(new byte[ETH + IpInIp.IPV4_OVERHEAD]);
    private final NextHopLookup nextHops;
    private final Knobs knobs;
    private final Egress egress;
    private final DropCounters drops;
    private int identification;

    TunnelTransmitter(NextHopLookup nextHops, Egress egress, DropCounters drops, Knobs knobs) {
        this.knobs = knobs;
        this.nextHops = nextHops;
        this.egress = egress;
        this.drops = drops;
        this.identification = System.identityHashCode(this); // workers start apart, so their ids rarely collide
    }

    /**
     * Encapsulates the parsed IPv4 packet of the frame to {@code realV4}. {@code rxPort} is the port the frame
     * came in on: an ICMP error for the client leaves there, to the MAC it came from.
     */
    void transmit(MemorySegment seg, long offset, FlowDescription flow, int realV4, boolean partialChecksum,
                  PacketPort rxPort, int learntPathMtu) {
        NextHop hop = nextHops.lookup(realV4);
        PacketPort out = egress.portTowardResolved(hop);
        if (out == null) return;
        int innerLength = flow.ipTotalLength;
        int pathMtu = Egress.pathMtu(hop, out, learntPathMtu);
        int tunnelMtu = pathMtu - IpInIp.IPV4_OVERHEAD;
        // pmtu_disc 0: IPVS ignores DF and fragments the outer packet instead of answering.
        if (innerLength > tunnelMtu && knobs.answersFragmentationNeeded(flow.dontFragment)) {
            sendFragmentationNeeded(seg, offset, flow, Math.max(tunnelMtu, MIN_MTU), rxPort);
            return;
        }
        if (!egress.passesOn(seg, flow, partialChecksum)) return;
        int ipLength = IpInIp.encapsulateIpv4(scratch, ETH, seg, flow.l3Offset, innerLength, hop.sourceV4(), realV4,
                (identification++) & 0xFFFF);
        Egress.writeMacs(scratch, 0, hop, out);
        Layouts.put16(scratch, Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV4);
        if (ipLength <= pathMtu) {
            egress.send(out, scratch, 0, ETH + ipLength);
        } else {
            sendFragments(out, ipLength, pathMtu); // no DF: IPVS lets the kernel fragment the outer packet
        }
    }

    /**
     * Sends the outer packet in the scratch buffer as IPv4 fragments of at most {@code mtu} bytes: each fragment's
     * header (a copy of the outer one, 20 bytes) is written just before its slice of the payload, over bytes
     * already sent, so nothing is copied but the headers.
     */
    private void sendFragments(PacketPort out, int ipLength, int mtu) {
        int chunk = (mtu - IpInIp.IPV4_OVERHEAD) & ~7;
        if (chunk <= 0) {
            drops.count(DropReason.OVERSIZE);
            return;
        }
        MemorySegment.copy(scratch, 0, header, 0, ETH + IpInIp.IPV4_OVERHEAD);
        int payload = ipLength - IpInIp.IPV4_OVERHEAD;
        for (int at = 0; at < payload; at += chunk) {
            int size = Math.min(chunk, payload - at);
            long frame = at; // the fragment's Ethernet + IP header ends where its payload starts
            MemorySegment.copy(header, 0, scratch, frame, ETH + IpInIp.IPV4_OVERHEAD);
            long ip = frame + ETH;
            Layouts.put16(scratch, ip + Ipv4.TOTAL_LENGTH, IpInIp.IPV4_OVERHEAD + size);
            Layouts.put16(scratch, ip + Ipv4.FLAGS_FRAGMENT, (at + size < payload ? Ipv4.FLAG_MF : 0) | (at >>> 3));
            Layouts.put16(scratch, ip + Ipv4.CHECKSUM, 0);
            Checksums.fillIpv4Header(scratch, ip, IpInIp.IPV4_OVERHEAD);
            egress.send(out, scratch, frame, ETH + IpInIp.IPV4_OVERHEAD + size);
        }
    }

    private void sendFragmentationNeeded(MemorySegment seg, long offset, FlowDescription flow, int mtu, PacketPort rxPort) {
        long clientMac = Layouts.mac(seg, offset + Ethernet.SRC_MAC);
        // From the VIP, as the kernel answers for packets addressed to one of its own addresses.
        int length = Replies.writeIcmpFragmentationNeeded(scratch, 0, rxPort.mac(), clientMac, flow.dstV4(), seg, flow, mtu);
        Egress.sendBuilt(rxPort, scratch, length, drops, DropReason.FRAG_NEEDED_SENT);
    }
}
