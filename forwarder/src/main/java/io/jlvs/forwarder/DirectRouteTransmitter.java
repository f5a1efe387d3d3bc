package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.NatRewrite;

import java.lang.foreign.MemorySegment;

/**
 * Direct routing (ipvsadm -g), as ip_vs_dr_xmit does it: the IP packet goes unchanged (but for the TTL, which IPVS
 * decrements on every forwarded packet) to the real server's own MAC on a directly connected segment; the server
 * holds the VIP itself and answers the client directly. One per worker; allocation-free.
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

    /**
     * Sends the frame in place to {@code realV4}. {@code partialChecksum}: the L4 checksum may hold only the
     * pseudo-header sum (a local sender's offload); it is completed, since the server would drop it otherwise.
     */
    void transmit(MemorySegment seg, long offset, int length, FlowDescription flow, int realV4, boolean partialChecksum) {
        NextHop hop = nextHops.lookup(realV4);
        // A server that stopped being directly connected (a route changed after it was added) cannot be reached by
        // MAC: IPVS would send to the gateway, which then routes the VIP packet back to us. Drop instead.
        if (Egress.unresolved(hop) || !hop.directlyConnected()) {
            drops.count(DropReason.NO_ROUTE);
            return;
        }
        PacketPort out = egress.portToward(hop);
        if (out == null || !egress.fits(out, flow.ipTotalLength)) return;
        if (!NatRewrite.decrementTtl(seg, flow)) {
            drops.count(DropReason.TTL_EXPIRED);
            return;
        }
        if (partialChecksum) Checksums.completePartial(seg, flow);
        Egress.writeMacs(seg, offset, hop, out);
        egress.send(out, seg, offset, length);
    }
}
