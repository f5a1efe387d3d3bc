package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Replies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * nat_icmp_send, as ip_vs_out does it: a TCP or UDP packet from a NAT real server's address and port that matches
 * no connection (its connection expired on the director, or never existed) is answered with ICMP port unreachable
 * to that real server - except a TCP RST, which needs no answer - and dropped, so the server's stack gives up on
 * the flow at once instead of retransmitting into the void. The error leaves on the port the packet came in on,
 * to the MAC it came from, with the director's own address on that path as source. One per worker.
 */
final class NatIcmpSender {
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[Ethernet.VLAN_HEADER_LENGTH + 600]);
    private final NextHopLookup nextHops;
    private final DropCounters drops;

    NatIcmpSender(NextHopLookup nextHops, DropCounters drops) {
        this.nextHops = nextHops;
        this.drops = drops;
    }

    /** Answers the stray packet described by flow; the caller drops it. */
    void sendPortUnreachable(MemorySegment seg, long offset, FlowDescription flow, PacketPort rxPort) {
        NextHop back = nextHops.lookup(flow.srcV4());
        if (back == null || back.sourceV4() == 0) return;
        long serverMac = Layouts.mac(seg, offset + Ethernet.SRC_MAC);
        int length = Replies.writeIcmpFragmentationNeeded(scratch, 0, rxPort.mac(), serverMac, back.sourceV4(), seg, flow, 0);
        if (length <= 0) return;
        // Same layout as fragmentation needed with a zero next-hop MTU: only the code differs.
        long icmp = (flow.vlanId >= 0 ? Ethernet.VLAN_HEADER_LENGTH : Ethernet.HEADER_LENGTH) + 20;
        int oldTypeCode = Layouts.u16(scratch, icmp + Icmp.TYPE);
        scratch.set(ValueLayout.JAVA_BYTE, icmp + Icmp.CODE, (byte) Icmp.V4_CODE_PORT_UNREACHABLE);
        int newTypeCode = Layouts.u16(scratch, icmp + Icmp.TYPE);
        Layouts.put16(scratch, icmp + Icmp.CHECKSUM,
                Checksums.update16(Layouts.u16(scratch, icmp + Icmp.CHECKSUM), oldTypeCode, newTypeCode));
        drops.count(DropReason.NAT_ICMP_SENT);
        if (!rxPort.send(scratch, 0, length)) drops.count(DropReason.TX_FULL);
    }
}
