package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmpv6Errors;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Nat66Rewrite;

import java.lang.foreign.MemorySegment;

/**
 * ICMPv6 errors of IPv6 FullNAT connections, both ways, the IPv6 twin of {@link FullNatIcmpErrors} with NAT66's
 * rewrites of the quoted packet ({@link Nat66Rewrite}). From the servers' side (sent to a local address, quoting
 * local:lport to server:rport, e.g. Packet Too Big from a router of a smaller-MTU path, or the server's port
 * unreachable; the connection found as on IPv4, {@link QuotedConnection#findFullNat}): the quoted packet becomes
 * the one the client sent (client:cport to VIP:vport, its sequence number moved back below the PROXY header), and
 * the error goes to the client from the VIP, as IPVS's NAT sends its clients' errors (the client knows no other
 * address of the service; the router's may not even be routable from it). From the client's side (sent to the VIP,
 * quoting VIP:vport to client:cport): the quoted packet becomes the server's (server:rport to local:lport) and the
 * error goes to the server from the local address, its only peer. A Packet Too Big keeps its MTU, as FullNAT adds
 * nothing to a packet's size (the PROXY header's first segment included: the server's MSS was lowered for it), but
 * never below IPv6's minimum. The ICMPv6 checksum, which covers the outer addresses, is computed afresh. The caller
 * routes the error. One per worker; allocation-free.
 */
final class Fullnat6IcmpErrors {
    /** What FullNAT adds to each packet toward either peer: nothing (both addresses are replaced, none added). */
    static final int PATH_OVERHEAD = 0;

    private final DataPlane plane;
    private final FlowDescription flow;
    private final ConnectionView entry;
    private final QuotedConnection quoted;
    private final DropCounters drops;

    Fullnat6IcmpErrors(DataPlane plane, FlowDescription flow, ConnectionView entry, QuotedConnection quoted,
                       DropCounters drops) {
        this.plane = plane;
        this.flow = flow;
        this.entry = entry;
        this.quoted = quoted;
        this.drops = drops;
    }

    /**
     * An ICMPv6 error sent to the IPv6 local address {@code ports}, about a packet the director sent a server for a
     * client: rewritten for the client, whose address is then in the entry. True when it is to be routed to the
     * client; false when unrelated (counted).
     */
    boolean fromServerSide(MemorySegment seg, LocalAddressPorts ports, long now) {
        FullNatStates states = plane.fullNatStates();
        long conn = quoted.findFullNat(ports, states, now);
        if (conn < 0) return false;
        int slot = (int) conn;
        if (flow.innerProtocol == Ipv4.PROTO_TCP && states.proxyHeader(slot)) {
            ProxyHeaderInsertion.unshiftQuotedSequence(seg, flow, states.clientIsn(slot));
        }
        long vipHi = entry.virtualHi(), vipLo = entry.virtualLo();
        Nat66Rewrite.setQuotedSource(seg, flow, entry.clientHi(), entry.clientLo(), entry.clientPort());
        Nat66Rewrite.setQuotedDestination(seg, flow, vipHi, vipLo, entry.virtualPort());
        relay(seg, vipHi, vipLo, entry.clientHi(), entry.clientLo());
        return true;
    }

    /**
     * An ICMPv6 error from the client's side about the FullNAT connection {@code conn} (found by the quoted VIP:vport
     * to client:cport, its entry read): rewritten for the server, whose address is in the entry. True when it is to
     * be routed to the server; false, counted as FULLNAT_LOST, when this daemon holds no record of the connection's
     * local address.
     */
    boolean fromClientSide(MemorySegment seg, long conn) {
        FullNatStates states = plane.fullNatStates();
        int slot = (int) conn;
        LocalAddressPorts local = states == null ? null : plane.localAddresses().ipv6ByNumber(states.localAddress(slot));
        if (local == null) {
            drops.count(DropReason.FULLNAT_LOST);
            return false;
        }
        Nat66Rewrite.setQuotedSource(seg, flow, entry.realHi(), entry.realLo(), entry.realPort());
        Nat66Rewrite.setQuotedDestination(seg, flow, local.hi, local.lo, states.localPort(slot));
        relay(seg, local.hi, local.lo, entry.realHi(), entry.realLo());
        return true;
    }

    /** The error's own addresses, a Packet Too Big's MTU, and its checksum over them. */
    private void relay(MemorySegment seg, long srcHi, long srcLo, long dstHi, long dstLo) {
        Nat66Rewrite.setSource(seg, flow, srcHi, srcLo, 0, false);
        Nat66Rewrite.setDestination(seg, flow, dstHi, dstLo, 0, false);
        Icmpv6Errors.relayPacketTooBig(seg, flow, PATH_OVERHEAD);
        Nat66Rewrite.refreshIcmpChecksum(seg, flow);
    }
}
