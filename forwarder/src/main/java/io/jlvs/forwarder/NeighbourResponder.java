package io.jlvs.forwarder;

import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.NeighbourDiscovery;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.MemorySegment;

/**
 * Owns the IPv6 VIPs on the wire in place of the director's kernel, as {@link VipResponder} does for IPv4: answers
 * neighbour solicitations for them (to the solicited-node multicast address or unicast), ICMPv6 echo requests to
 * them, and announces a new VIP with an unsolicited neighbour advertisement. One per worker; replies are built in a
 * worker-private buffer.
 */
final class NeighbourResponder {
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[65536 + 64]);
    private final DropCounters drops;

    NeighbourResponder(DropCounters drops) {
        this.drops = drops;
    }

    /**
     * A neighbour solicitation: answered when its target is a VIP not on VRRP standby. Solicitations for other addresses (the
     * director's own: the kernel answers those) are left alone and counted as not handled.
     */
    void onSolicitation(MemorySegment seg, FlowDescription flow, PacketPort port, Ipv6Services services) {
        long targetHi = NeighbourDiscovery.targetHi(seg, flow), targetLo = NeighbourDiscovery.targetLo(seg, flow);
        if (!services.isVip(targetHi, targetLo)) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        if (services.isStandby(targetHi, targetLo)) { // the VRRP master answers for it
            drops.count(DropReason.STANDBY);
            return;
        }
        long solicitorMac = Layouts.mac(seg, flow.frameOffset + Ethernet.SRC_MAC);
        int len = NeighbourDiscovery.writeSolicitedAdvertisement(scratch, 0, port.mac(), targetHi, targetLo,
                solicitorMac, flow.srcHi, flow.srcLo);
        Egress.sendBuilt(port, scratch, len, drops, null);
    }

    /** ICMPv6 to a VIP that is not an error: echo requests answered ({@link EchoResponder}), the rest counted. */
    void onIcmpToVip(MemorySegment seg, FlowDescription flow, PacketPort port) {
        EchoResponder.onIcmpToVip(scratch, seg, flow, port, drops);
    }

    /** Announces an IPv6 VIP on a port (unsolicited neighbour advertisement to all nodes). */
    void announce(PacketPort port, long vipHi, long vipLo) {
        int len = NeighbourDiscovery.writeUnsolicitedAdvertisement(scratch, 0, port.mac(), vipHi, vipLo);
        Egress.sendBuilt(port, scratch, len, drops, null);
    }
}
