package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;

/**
 * jlvs against an independent decoder (pcap4j) on random valid frames: every field jlvs exposes agrees, every
 * checksum jlvs computes is the one pcap4j accepts, and after a NAT rewrite pcap4j sees the new addresses and
 * ports with valid checksums. Frames come from a seed so a failure names a replayable case.
 */
class Pcap4jDifferentialProperties {

    @Property(tries = 1500)
    void everyFieldAgreesWithPcap4j(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.any(r);
        MemorySegment seg = FrameSegments.inRing(frame);
        FlowDescription f = new FlowDescription();
        PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, f);
        List<String> differences = Pcap4jComparison.differences(frame, seg, f);
        assertTrue(differences.isEmpty(), () -> "seed " + seed + "\n" + String.join("\n", differences) + "\n"
                + PacketBuilder.hex(frame));
    }

    @Property(tries = 500)
    void checksumsJlvsComputesAreTheOnesPcap4jAccepts(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.any(r);
        MemorySegment seg = FrameSegments.inRing(frame);
        FlowDescription f = new FlowDescription();
        PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, f);
        if (f.ipVersion == 0) return; // ARP has no checksum
        // Wipe every checksum jlvs knows, recompute with jlvs, and hand the result to pcap4j.
        if (f.ipVersion == 4) {
            Layouts.put16(seg, f.l3Offset + Ipv4.CHECKSUM, 0x5A5A);
            Checksums.fillIpv4Header(seg, f.l3Offset, f.ipHeaderLength);
        }
        int field = Checksums.checksumFieldOffset(f.protocol);
        boolean udpWithoutChecksum = f.protocol == Ipv4.PROTO_UDP && f.ipVersion == 4
                && Layouts.u16(seg, f.l4Offset + Udp.CHECKSUM) == 0;
        if (f.l4Offset >= 0 && !f.fragment && field >= 0 && !udpWithoutChecksum) {
            Layouts.put16(seg, f.l4Offset + field, 0xA5A5);
            Checksums.completePartial(seg, f);
        }
        byte[] rewritten = FrameSegments.frameBytes(seg, f.frameOffset, f.frameLength);
        assertEquals(PacketBuilder.hex(frame), PacketBuilder.hex(rewritten), "seed " + seed);
        List<String> differences = Pcap4jComparison.differences(rewritten, seg, f);
        assertTrue(differences.isEmpty(), () -> "seed " + seed + "\n" + String.join("\n", differences));
    }

    @Property(tries = 500)
    void afterNatRewritesPcap4jSeesNewAddressesAndValidChecksums(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.ipv4TcpOrUdp(r);
        MemorySegment seg = FrameSegments.inRing(frame);
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, f));
        int newDst = r.nextInt(), newDstPort = RandomFrames.port(r), newSrc = r.nextInt(), newSrcPort = RandomFrames.port(r);
        NatRewrite.setIpv4Destination(seg, f, newDst, newDstPort, false);
        NatRewrite.setIpv4Source(seg, f, newSrc, newSrcPort, false);
        assertTrue(NatRewrite.decrementTtl(seg, f) || f.ttl <= 1);
        byte[] out = FrameSegments.frameBytes(seg, f.frameOffset, f.frameLength);
        IpV4Packet ip = EthernetPacket.newPacket(out, 0, out.length).get(IpV4Packet.class);
        assertEquals(newDst, Pcap4jComparison.v4(ip.getHeader().getDstAddr()));
        assertEquals(newSrc, Pcap4jComparison.v4(ip.getHeader().getSrcAddr()));
        assertTrue(ip.getHeader().hasValidChecksum(false), "IPv4 header checksum, seed " + seed);
        if (ip.getPayload() instanceof TcpPacket tcp) {
            assertEquals(newDstPort, tcp.getHeader().getDstPort().valueAsInt());
            assertEquals(newSrcPort, tcp.getHeader().getSrcPort().valueAsInt());
            assertTrue(tcp.hasValidChecksum(ip.getHeader().getSrcAddr(), ip.getHeader().getDstAddr(), false), "seed " + seed);
        } else {
            UdpPacket udp = (UdpPacket) ip.getPayload();
            assertEquals(newDstPort, udp.getHeader().getDstPort().valueAsInt());
            assertTrue(udp.hasValidChecksum(ip.getHeader().getSrcAddr(), ip.getHeader().getDstAddr(), true), "seed " + seed);
            assertEquals(Layouts.u16(MemorySegment.ofArray(frame), f.l4Offset - f.frameOffset + Udp.CHECKSUM) == 0,
                    udp.getHeader().getChecksum() == 0, "UDP checksum 0 stays 0 and only 0 does, seed " + seed);
        }
        List<String> differences = Pcap4jComparison.differences(out, seg, f);
        assertTrue(differences.isEmpty(), () -> "seed " + seed + "\n" + String.join("\n", differences));
    }
}
