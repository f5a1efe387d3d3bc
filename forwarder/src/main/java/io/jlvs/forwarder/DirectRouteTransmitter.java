package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.packets.FlowDescription;

import java.lang.foreign.MemorySegment;

/**
 * Direct routing (ipvsadm -g), IPv4 and IPv6, as ip_vs_dr_xmit and ip_vs_dr_xmit_v6 do it: the IP packet goes
 * unchanged (but for the TTL or hop limit, which IPVS decrements on every forwarded packet) to the real server's own
 * MAC on a directly connected segment; the server holds the VIP itself and answers the client directly. One per
 * worker; allocation-free.
 */
final class DirectRouteTransmitter {
    private final NextHopLookup nextHops;
    private final Egress egress;
    private final DropCounters drops;

    DirectRouteTransmitter(NextHopLookup nextHops, Egress egress, DropCounters drops) {
        this.nextHops = nextHops;
        this.egress = egress;
        this.drops = drops;
    }

    /** Sends the frame in place to the IPv4 real server {@code realV4}. */
    void transmit(MemorySegment seg, long offset, int length, FlowDescription flow, int realV4, boolean partialChecksum) {
        transmit(seg, offset, length, flow, nextHops.lookup(realV4), partialChecksum);
    }

    /**
     * Sends the frame, IPv4 or IPv6, in place to the real server whose next hop is {@code hop} (the caller's lookup
     * in its family's table). {@code partialChecksum}: the L4 checksum may hold only the pseudo-header sum (a local
     * sender's offload); it is completed, since the server would drop it otherwise.
     */
    void transmit(MemorySegment seg, long offset, int length, FlowDescription flow, NextHop hop,
                  boolean partialChecksum) {
        // A server that stopped being directly connected (a route changed after it was added) cannot be reached by
        // MAC: IPVS would send to the gateway, which then routes the VIP packet back to us. Drop instead.
        if (Egress.unresolved(hop) || !hop.directlyConnected()) {
            drops.count(DropReason.NO_ROUTE);
            return;
        }
        PacketPort out = egress.portToward(hop);
        if (out == null || !egress.fits(out, flow.ipTotalLength) || !egress.passesOn(seg, flow, partialChecksum)) return;
        Egress.writeMacs(seg, offset, hop, out);
        egress.send(out, seg, offset, length);
    }
}
