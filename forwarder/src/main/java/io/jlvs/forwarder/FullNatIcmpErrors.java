package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.NatRewrite;
import io.jlvs.packets.Tcp;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;

/**
 * ICMP errors of FullNAT connections, both ways, as IPVS's NAT translates its own. From the servers' side (sent to
 * a local address, quoting local:lport to server:rport, e.g. fragmentation needed from a router of a smaller-MTU
 * path, or the server's port unreachable): the quoted packet becomes the one the client sent (client:cport to
 * VIP:vport, its sequence number moved back below the PROXY header), the error goes to the client, from the VIP
 * when the server itself sent it; the MTU a router reports is kept, as the client's segments cross that path at the
 * same size (the header's first segment included: the server's MSS was lowered for it). From the client's side
 * (sent to the VIP, quoting VIP:vport to client:cport): the quoted packet becomes the server's (server:rport to
 * local:lport) and the error goes to the server from the local address, as the server knows only that peer.
 * Unrelated errors are counted and dropped. One per worker; allocation-free.
 */
final class FullNatIcmpErrors {
    private final DataPlane plane;
    private final FlowDescription flow;
    private final ConnectionView entry;
    private final NatTransmitter nat;
    private final DropCounters drops;

    FullNatIcmpErrors(DataPlane plane, FlowDescription flow, ConnectionView entry, NatTransmitter nat,
                      DropCounters drops) {
        this.plane = plane;
        this.flow = flow;
        this.entry = entry;
        this.nat = nat;
        this.drops = drops;
    }

    /** An ICMP error sent to a local address: about a packet the director sent a server for a client. */
    void fromServerSide(MemorySegment seg, long offset, int length, ServiceIndex services, boolean partial, long now) {
        int proto = flow.innerProtocol;
        LocalAddressPorts ports = services.localAddressPorts(flow.dstV4());
        if (ports == null || (proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP) || flow.innerIpVersion != 4
                || (int) flow.innerSrcLo != flow.dstV4()) {
            drops.count(DropReason.ICMP_UNRELATED);
            return;
        }
        long conn = ports.connection(proto, flow.innerSrcPort, flow.innerDstHi, flow.innerDstLo, flow.innerDstPort,
                plane.connections());
        FullNatStates states = plane.fullNatStates();
        if (conn < 0 || !plane.connections().read(conn, entry, now) || entry.protocol() != proto
                || entry.realLo() != flow.innerDstLo || entry.realPort() != flow.innerDstPort
                || ConnFlags.method(entry) != ConnFlags.FULLNAT || states == null
                || states.localAddress((int) conn) != flow.dstV4() || states.localPort((int) conn) != flow.innerSrcPort) {
            drops.count(DropReason.ICMP_UNRELATED);
            return;
        }
        int vip = (int) entry.virtualLo();
        if (services.isStandby(vip)) {
            drops.count(DropReason.STANDBY);
            return;
        }
        if (proto == Ipv4.PROTO_TCP && states.proxyHeader((int) conn)) unshiftQuotedSequence(seg, states.clientIsn((int) conn));
        int client = (int) entry.clientLo();
        NatRewrite.setIcmpInnerIpv4Source(seg, flow, client, entry.clientPort());
        NatRewrite.setIcmpInnerIpv4Destination(seg, flow, vip, entry.virtualPort());
        if (flow.srcLo == entry.realLo()) NatRewrite.setIpv4Source(seg, flow, vip, 0, partial);
        NatRewrite.setIpv4Destination(seg, flow, client, 0, partial);
        nat.route(seg, offset, length, client, now);
    }

    /**
     * An ICMP error from the client's side about the FullNAT connection in {@code entry} (found by the quoted
     * VIP:vport to client:cport): on to the server, as from the local address.
     */
    void fromClientSide(MemorySegment seg, long offset, int length, long conn, boolean partial, long now) {
        FullNatStates states = plane.fullNatStates();
        int local = states == null ? 0 : states.localAddress((int) conn);
        if (local == 0) {
            drops.count(DropReason.FULLNAT_LOST);
            return;
        }
        int real = (int) entry.realLo();
        NatRewrite.setIcmpInnerIpv4Source(seg, flow, real, entry.realPort());
        NatRewrite.setIcmpInnerIpv4Destination(seg, flow, local, states.localPort((int) conn));
        NatRewrite.setIpv4Source(seg, flow, local, 0, partial);
        NatRewrite.setIpv4Destination(seg, flow, real, 0, partial);
        nat.route(seg, offset, length, real, now);
    }

    /**
     * The quoted segment went out after the PROXY header: its sequence number moves back by the header's length
     * (the segment that carried the header kept the client's), the quoted TCP checksum with it when quoted; the
     * ICMP checksum is recomputed by the rewrites that follow.
     */
    private void unshiftQuotedSequence(MemorySegment seg, int clientIsn) {
        long ql4 = flow.innerL4Offset;
        long quoteEnd = flow.innerL3Offset + flow.icmpQuoteLength;
        if (ql4 < 0 || ql4 + Tcp.SEQ + 4 > quoteEnd) return;
        int seq = u32(seg, ql4 + Tcp.SEQ);
        if (seq - (clientIsn + 1) < ProxyHeaderInsertion.HEADER_BYTES) return;
        int original = seq - ProxyHeaderInsertion.HEADER_BYTES;
        put32(seg, ql4 + Tcp.SEQ, original);
        if (ql4 + Tcp.CHECKSUM + 2 <= quoteEnd) {
            put16(seg, ql4 + Tcp.CHECKSUM, Checksums.update32(u16(seg, ql4 + Tcp.CHECKSUM), seq, original));
        }
    }
}
