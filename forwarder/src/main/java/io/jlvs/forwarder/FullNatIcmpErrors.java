package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.NatRewrite;

import java.lang.foreign.MemorySegment;

/**
 * ICMP errors of FullNAT connections, both ways, as IPVS's NAT translates its own. From the servers' side (sent to
 * a local address, quoting local:lport to server:rport, e.g. fragmentation needed from a router of a smaller-MTU
 * path, or the server's port unreachable): the quoted packet becomes the one the client sent (client:cport to
 * VIP:vport, its sequence number moved back below the PROXY header), the error goes to the client, from the VIP
 * when the server itself sent it; the MTU a router reports is kept, as the client's segments cross that path at the
 * same size (the header's first segment included: the server's MSS was lowered for it). From the client's side
 * (sent to the VIP, quoting VIP:vport to client:cport): the quoted packet becomes the server's (server:rport to
 * local:lport) and the error goes to the server from the local address, as the server knows only that peer.
 * Unrelated errors are counted and dropped. The IPv6 twin is {@link Fullnat6IcmpErrors}. One per worker;
 * allocation-free.
 */
final class FullNatIcmpErrors {
    private final DataPlane plane;
    private final FlowDescription flow;
    private final ConnectionView entry;
    private final QuotedConnection quoted;
    private final NatTransmitter nat;
    private final DropCounters drops;

    FullNatIcmpErrors(DataPlane plane, FlowDescription flow, ConnectionView entry, QuotedConnection quoted,
                      NatTransmitter nat, DropCounters drops) {
        this.plane = plane;
        this.flow = flow;
        this.entry = entry;
        this.quoted = quoted;
        this.nat = nat;
        this.drops = drops;
    }

    /** An ICMP error sent to a local address: about a packet the director sent a server for a client. */
    void fromServerSide(MemorySegment seg, long offset, int length, ServiceIndex services, boolean partial, long now) {
        LocalAddressPorts ports = services.localAddressPorts(flow.dstV4());
        if (ports == null) {
            drops.count(DropReason.ICMP_UNRELATED);
            return;
        }
        FullNatStates states = plane.fullNatStates();
        long conn = quoted.findFullNat(ports, states, now);
        if (conn < 0) return;
        int vip = (int) entry.virtualLo();
        if (services.isStandby(vip)) {
            drops.count(DropReason.STANDBY);
            return;
        }
        if (flow.innerProtocol == Ipv4.PROTO_TCP && states.proxyHeader((int) conn)) {
            ProxyHeaderInsertion.unshiftQuotedSequence(seg, flow, states.clientIsn((int) conn));
        }
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
}
