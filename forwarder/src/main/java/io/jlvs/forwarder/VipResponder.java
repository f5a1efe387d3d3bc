package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.packets.Arp;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Replies;

import java.lang.foreign.MemorySegment;

/**
 * Owns the VIPs on the wire in place of the director's kernel: answers ARP requests for them and ICMP echo
 * requests to them. One per worker; replies are built in a worker-private buffer.
 */
final class VipResponder {
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[65536 + 64]);
    private final DropCounters drops;

    VipResponder(DropCounters drops) {
        this.drops = drops;
    }

    void onArp(MemorySegment seg, FlowDescription flow, PacketPort port, ServiceIndex services) {
        if (flow.arpOperation != Arp.OP_REQUEST || !services.owns(flow.arpTargetIp)
                || flow.arpSenderIp == flow.arpTargetIp) {
            return; // not ours (or a gratuitous ARP): the kernel sees it too and handles its own addresses
        }
        long requesterMac = Layouts.mac(seg, flow.l3Offset + Arp.SENDER_MAC);
        int len = Replies.writeArpReply(scratch, 0, port.mac(), flow.arpTargetIp, requesterMac, flow.arpSenderIp);
        Egress.sendBuilt(port, scratch, len, drops, null);
    }

    /** ICMP to a VIP that is not an error: echo requests answered ({@link EchoResponder}), the rest counted. */
    void onIcmpToVip(MemorySegment seg, FlowDescription flow, PacketPort port) {
        EchoResponder.onIcmpToVip(scratch, seg, flow, port, drops);
    }

    /** Announces a VIP on a port (gratuitous ARP), so neighbours update their caches at once. */
    void announce(PacketPort port, int vip) {
        int len = Replies.writeGratuitousArp(scratch, 0, port.mac(), vip);
        Egress.sendBuilt(port, scratch, len, drops, null);
    }
}
