package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.NatRewrite;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;

import java.lang.foreign.MemorySegment;

/**
 * NAT (masquerading), the transmit function of MASQ connections: IPVS's ip_vs_nat_xmit for packets to a real server,
 * and the rewrite of the server's replies on their way back to the client (ip_vs_out), with the ICMP errors that quote
 * either. The destination (to the server) or the source (of its replies) is rewritten in place, checksums updated
 * incrementally, or recomputed in full where the kernel left them partial; then the frame is routed: TTL, next hop
 * (parked while the neighbour resolves), egress. Reads the worker's {@link FlowDescription} of the current frame.
 * One per worker; allocation-free.
 */
final class NatTransmitter {
    private final FlowDescription flow;
    private final NextHopLookup nextHops;
    private final Egress egress;
    private final PendingFrames pending;
    private final DropCounters drops;

    NatTransmitter(FlowDescription flow, NextHopLookup nextHops, Egress egress, PendingFrames pending,
                   DropCounters drops) {
        this.flow = flow;
        this.nextHops = nextHops;
        this.egress = egress;
        this.pending = pending;
        this.drops = drops;
    }

    /** Client to real server: the destination becomes the real server's address and port. */
    void toRealServer(MemorySegment seg, long offset, int length, int real, int realPort, boolean partial, long now) {
        NatRewrite.setIpv4Destination(seg, flow, real, realPort, partial);
        route(seg, offset, length, real, now);
    }

    /**
     * An ICMP error from the client's side about a packet the director sent it (VIP:vport to the client): it goes to
     * the real server, with the quoted packet's source turned back into the server's address and port.
     */
    void icmpErrorToRealServer(MemorySegment seg, long offset, int length, int real, int realPort, boolean partial,
                               long now) {
        NatRewrite.setIcmpInnerIpv4Source(seg, flow, real, realPort);
        NatRewrite.setIpv4Destination(seg, flow, real, 0, partial);
        route(seg, offset, length, real, now);
    }

    /** Real server to client: the source becomes the virtual address and port. */
    void replyToClient(MemorySegment seg, long offset, int length, int vip, int vport, boolean partial, long now) {
        NatRewrite.setIpv4Source(seg, flow, vip, vport, partial);
        route(seg, offset, length, flow.dstV4(), now);
    }

    /**
     * An ICMP error about a packet the director sent to a real server (client to real:rport): the quoted packet's
     * destination becomes the VIP and port the client knows, and so does the error's own source when the real server
     * itself sent it.
     */
    void icmpErrorToClient(MemorySegment seg, long offset, int length, int real, int vip, int vport, boolean partial,
                           long now) {
        NatRewrite.setIcmpInnerIpv4Destination(seg, flow, vip, vport);
        if (flow.srcV4() == real) NatRewrite.setIpv4Source(seg, flow, vip, 0, partial);
        route(seg, offset, length, flow.dstV4(), now);
    }

    /** Routes the rewritten frame to dstV4: TTL, next-hop MACs, egress port. */
    void route(MemorySegment seg, long offset, int length, int dstV4, long now) {
        if (!NatRewrite.decrementTtl(seg, flow)) {
            drops.count(DropReason.TTL_EXPIRED);
            return;
        }
        send(seg, offset, length, dstV4, now);
    }

    /**
     * Sends a frame whose TTL is already decremented to dstV4: next-hop MACs, egress port. The frame may be a copy
     * of the current one (at another offset, its headers at the same distances from it).
     */
    void send(MemorySegment seg, long offset, int length, int dstV4, long now) {
        int ipLength = length - (int) (flow.l3Offset - offset);
        NextHop hop = nextHops.lookup(dstV4);
        if (Egress.unresolved(hop)) {
            if (!pending.park(seg, offset, length, ipLength, dstV4, now)) drops.count(DropReason.NO_ROUTE);
            return;
        }
        egress.forward(seg, offset, length, ipLength, hop);
    }
}
