package io.jlvs.forwarder;

import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Replies;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.MemorySegment;

/**
 * Echo requests to a VIP, ICMP or ICMPv6, answered in place of the director's kernel for {@link VipResponder} and
 * {@link NeighbourResponder}: the reply, from the VIP, leaves on the port the request came in on, to the MAC it came
 * from; anything else sent to a VIP that is neither TCP, UDP nor an error is dropped and counted as not handled.
 */
final class EchoResponder {
    private EchoResponder() {}

    /** Answers the parsed ICMP or ICMPv6 message to a VIP, building the reply in the caller's {@code scratch}. */
    static void onIcmpToVip(MemorySegment scratch, MemorySegment seg, FlowDescription flow, PacketPort port,
                            DropCounters drops) {
        int echoRequest = flow.ipVersion == 6 ? Icmp.V6_ECHO_REQUEST : Icmp.V4_ECHO_REQUEST;
        if (flow.icmpType != echoRequest || flow.fragment) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        long srcMac = Layouts.mac(seg, flow.frameOffset + Ethernet.SRC_MAC);
        int len = Replies.writeIcmpEchoReply(scratch, 0, seg, flow, port.mac(), srcMac);
        Egress.sendBuilt(port, scratch, len, drops, null);
    }
}
