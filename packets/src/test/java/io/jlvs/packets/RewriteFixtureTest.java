package io.jlvs.packets;

import static io.jlvs.packets.FrameSegments.FRAME_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Fixture table for everything that writes packets: NAT rewrites, TTL, ICMP quoted-packet NAT, partial checksum
 * completion, IP-in-IP and the director's replies. Each row: description, input frame, operation, and the
 * expected output frame, built independently by {@link PacketBuilder} with its own checksum code. Failing rows
 * print both frames in hex.
 */
class RewriteFixtureTest {
    static final String MAC_A = "02:00:00:00:00:0a", MAC_B = "02:00:00:00:00:0b", MAC_D = "02:00:00:00:00:0d";
    static final String CLIENT = "10.0.0.2", VIP = "10.0.0.100", RIP = "172.16.0.2", ROUTER = "10.0.0.254";
    static final int RIP_INT = Ipv4.parse(RIP), VIP_INT = Ipv4.parse(VIP);

    /** Applies the rewrite to the parsed frame in {@code seg} and returns the bytes it produced. */
    interface Operation {
        byte[] apply(MemorySegment seg, FlowDescription f);
    }

    record Row(String description, byte[] input, Operation operation, byte[] expected) {}

    static PacketBuilder eth() { return PacketBuilder.ethernet(MAC_A, MAC_B); }

    /** For operations that change the frame in place: the frame's bytes afterwards. */
    static byte[] inPlace(MemorySegment seg, FlowDescription f) {
        return FrameSegments.frameBytes(seg, f.frameOffset, f.frameLength);
    }

    static Operation dnat(boolean partial) {
        return (seg, f) -> {
            NatRewrite.setIpv4Destination(seg, f, RIP_INT, 8080, partial);
            return inPlace(seg, f);
        };
    }

    static Operation snat(boolean partial) {
        return (seg, f) -> {
            NatRewrite.setIpv4Source(seg, f, VIP_INT, 80, partial);
            return inPlace(seg, f);
        };
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("DNAT TCP SYN VIP:80 -> RIP:8080",
                eth().ipv4(CLIENT, VIP).tcp(40000, 80).flags(Tcp.SYN).build(), dnat(false),
                eth().ipv4(CLIENT, RIP).tcp(40000, 8080).flags(Tcp.SYN).build()));
        rows.add(new Row("DNAT tagged TCP with odd-length payload",
                eth().vlan(12).ipv4(CLIENT, VIP).tcp(40000, 80).payload(333).build(), dnat(false),
                eth().vlan(12).ipv4(CLIENT, RIP).tcp(40000, 8080).payload(333).build()));
        rows.add(new Row("SNAT TCP reply RIP:8080 -> VIP:80",
                eth().ipv4(RIP, CLIENT).tcp(8080, 40000).flags(Tcp.SYN | Tcp.ACK).payload(17).build(), snat(false),
                eth().ipv4(VIP, CLIENT).tcp(80, 40000).flags(Tcp.SYN | Tcp.ACK).payload(17).build()));
        rows.add(new Row("DNAT UDP with a checksum",
                eth().ipv4(CLIENT, VIP).udp(5353, 80).payload(21).build(), dnat(false),
                eth().ipv4(CLIENT, RIP).udp(5353, 8080).payload(21).build()));
        rows.add(new Row("DNAT UDP without a checksum keeps 0",
                eth().ipv4(CLIENT, VIP).udp(5353, 80).l4Checksum(0).payload(21).build(), dnat(false),
                eth().ipv4(CLIENT, RIP).udp(5353, 8080).l4Checksum(0).payload(21).build()));
        rows.add(new Row("DNAT TCP with CHECKSUM_PARTIAL input gets a full checksum",
                eth().ipv4(CLIENT, VIP).tcp(40000, 80).payload(100).partialChecksum().build(), dnat(true),
                eth().ipv4(CLIENT, RIP).tcp(40000, 8080).payload(100).build()));
        rows.add(new Row("SNAT UDP with CHECKSUM_PARTIAL input gets a full checksum",
                eth().ipv4(RIP, CLIENT).udp(8080, 5353).payload(7).partialChecksum().build(), snat(true),
                eth().ipv4(VIP, CLIENT).udp(80, 5353).payload(7).build()));
        rows.add(new Row("DNAT of a later fragment changes only the IP header",
                eth().ipv4(CLIENT, VIP).fragment(1480, false).udp(5353, 80).payload(64).build(), dnat(false),
                eth().ipv4(CLIENT, RIP).fragment(1480, false).udp(5353, 80).payload(64).build()));
        rows.add(new Row("DNAT ICMP echo changes the address, not the identifier",
                eth().ipv4(CLIENT, VIP).icmpEcho(true, 99, 1).payload(56).build(), dnat(false),
                eth().ipv4(CLIENT, RIP).icmpEcho(true, 99, 1).payload(56).build()));
        rows.add(new Row("TTL 64 -> 63 with the header checksum",
                eth().ipv4(CLIENT, VIP).ttl(64).tcp(1, 2).build(),
                (seg, f) -> { assertTrue(NatRewrite.decrementTtl(seg, f)); assertEquals(63, f.ttl); return inPlace(seg, f); },
                eth().ipv4(CLIENT, VIP).ttl(63).tcp(1, 2).build()));
        rows.add(new Row("TTL 1 would expire: refused, frame unchanged",
                eth().ipv4(CLIENT, VIP).ttl(1).tcp(1, 2).build(),
                (seg, f) -> { assertFalse(NatRewrite.decrementTtl(seg, f)); return inPlace(seg, f); },
                eth().ipv4(CLIENT, VIP).ttl(1).tcp(1, 2).build()));
        rows.add(new Row("IPv6 hop limit 2 -> 1",
                eth().ipv6("fd00::2", "fd00::100").ttl(2).udp(1, 2).build(),
                (seg, f) -> { assertTrue(NatRewrite.decrementTtl(seg, f)); return inPlace(seg, f); },
                eth().ipv6("fd00::2", "fd00::100").ttl(1).udp(1, 2).build()));

        // ICMP errors of NAT connections: the quoted packet is rewritten as IPVS does
        byte[] quotedFromVip = PacketBuilder.ipOnly().ipv4(VIP, CLIENT).tcp(80, 40000).flags(Tcp.ACK).payload(40).build();
        byte[] quotedFromRip = PacketBuilder.ipOnly().ipv4(RIP, CLIENT).tcp(8080, 40000).flags(Tcp.ACK).payload(40).build();
        Operation inboundIcmp = (seg, f) -> {
            NatRewrite.setIpv4Destination(seg, f, RIP_INT, 0, false);
            NatRewrite.setIcmpInnerIpv4Source(seg, f, RIP_INT, 8080);
            assertEquals(8080, f.innerSrcPort);
            return inPlace(seg, f);
        };
        rows.add(new Row("ICMP unreachable about VIP:80 traffic, to the real server (whole quote)",
                eth().ipv4(ROUTER, VIP).icmpError(3, 1, quotedFromVip).build(), inboundIcmp,
                eth().ipv4(ROUTER, RIP).icmpError(3, 1, quotedFromRip).build()));
        rows.add(new Row("ICMP fragmentation needed, quote cut to IP header + 8 bytes",
                eth().ipv4(ROUTER, VIP).icmpPacketTooBig(1400, Arrays.copyOf(quotedFromVip, 28)).build(), inboundIcmp,
                eth().ipv4(ROUTER, RIP).icmpPacketTooBig(1400, Arrays.copyOf(quotedFromRip, 28)).build()));
        byte[] udpToRip = PacketBuilder.ipOnly().ipv4(CLIENT, RIP).udp(5353, 8080).payload(12).build();
        byte[] udpToVip = PacketBuilder.ipOnly().ipv4(CLIENT, VIP).udp(5353, 80).payload(12).build();
        rows.add(new Row("real server's port unreachable leaves as the VIP's (SNAT outer, inner destination)",
                eth().ipv4(RIP, CLIENT).icmpError(3, 3, udpToRip).build(),
                (seg, f) -> {
                    NatRewrite.setIpv4Source(seg, f, VIP_INT, 0, false);
                    NatRewrite.setIcmpInnerIpv4Destination(seg, f, VIP_INT, 80);
                    return inPlace(seg, f);
                },
                eth().ipv4(VIP, CLIENT).icmpError(3, 3, udpToVip).build()));

        rows.add(new Row("completing CHECKSUM_PARTIAL IPv6 TCP",
                eth().ipv6("fd00::2", "fd00::100").tcp(40000, 80).payload(77).partialChecksum().build(),
                (seg, f) -> { Checksums.completePartial(seg, f); return inPlace(seg, f); },
                eth().ipv6("fd00::2", "fd00::100").tcp(40000, 80).payload(77).build()));
        rows.add(new Row("completing CHECKSUM_PARTIAL IPv4 UDP",
                eth().ipv4(CLIENT, VIP).udp(1000, 53).payload(30).partialChecksum().build(),
                (seg, f) -> { Checksums.completePartial(seg, f); return inPlace(seg, f); },
                eth().ipv4(CLIENT, VIP).udp(1000, 53).payload(30).build()));

        // IP-in-IP
        byte[] innerCe = PacketBuilder.ipOnly().ipv4(CLIENT, VIP).tos(0x2B).ttl(61).tcp(40000, 80).payload(9).build();
        rows.add(new Row("IPIP encapsulation: TTL, DF and DSCP copied, CE sent outside as ECT(0)",
                eth().ipv4(CLIENT, VIP).tos(0x2B).ttl(61).tcp(40000, 80).payload(9).build(),
                (seg, f) -> {
                    MemorySegment out = MemorySegment.ofArray(new byte[14 + 20 + f.ipTotalLength]);
                    MemorySegment.copy(seg, f.frameOffset, out, 0, 14);
                    int n = IpInIp.encapsulateIpv4(out, 14, seg, f.l3Offset, f.ipTotalLength,
                            Ipv4.parse("172.16.0.1"), RIP_INT, 0x1234);
                    assertEquals(20 + f.ipTotalLength, n);
                    return FrameSegments.frameBytes(out, 0, 14 + n);
                },
                eth().ipv4("172.16.0.1", RIP).tos(0x2A).ttl(61).ipip(innerCe).build()));
        rows.add(new Row("IPIP encapsulation in place, using headroom before the packet",
                eth().ipv4(CLIENT, VIP).dontFragment(false).tos(0x01).ttl(9).udp(1, 2).build(),
                (seg, f) -> {
                    long newFrame = f.frameOffset - 20; // the ring leaves headroom in front of the frame
                    MemorySegment.copy(seg, f.frameOffset, seg, newFrame, 14);
                    int n = IpInIp.encapsulateIpv4(seg, newFrame + 14, seg, f.l3Offset, f.ipTotalLength,
                            Ipv4.parse("172.16.0.1"), RIP_INT, 0x1234);
                    return FrameSegments.frameBytes(seg, newFrame, 14 + n);
                },
                eth().ipv4("172.16.0.1", RIP).dontFragment(false).tos(0x01).ttl(9)
                        .ipip(PacketBuilder.ipOnly().ipv4(CLIENT, VIP).dontFragment(false).tos(0x01).ttl(9).udp(1, 2).build()).build()));
        byte[] inner6 = PacketBuilder.ipOnly().ipv6("fd00::2", "fd00::100").tos(0x10).flowLabel(0xABCDE).ttl(50).udp(7, 8).build();
        rows.add(new Row("IPv6-in-IPv6 encapsulation",
                PacketBuilder.ethernet(MAC_A, MAC_B).etherType(0x86DD).payload(inner6).build(),
                (seg, f) -> {
                    MemorySegment out = MemorySegment.ofArray(new byte[14 + 40 + f.ipTotalLength]);
                    MemorySegment.copy(seg, f.frameOffset, out, 0, 14);
                    List<Long> s = ParserFixtureTest.addressWords("fd01::1"), d = ParserFixtureTest.addressWords("fd01::2");
                    int n = IpInIp.encapsulateIpv6(out, 14, seg, f.l3Offset, f.ipTotalLength, s.get(0), s.get(1), d.get(0), d.get(1));
                    return FrameSegments.frameBytes(out, 0, 14 + n);
                },
                eth().ipv6("fd01::1", "fd01::2").tos(0x10).flowLabel(0xABCDE).ttl(50).ipip(inner6).build()));
        byte[] innerEct = PacketBuilder.ipOnly().ipv4(CLIENT, VIP).tos(0x02).udp(1, 2).payload(5).build();
        rows.add(new Row("IPIP decapsulation copies an outer CE mark to an ECT inner packet",
                eth().ipv4("172.16.0.1", RIP).tos(0x03).ipip(innerEct).build(),
                (seg, f) -> {
                    FlowDescription inner = new FlowDescription();
                    assertEquals(ParseStatus.OK, IpInIp.decapsulate(seg, f, inner));
                    assertEquals(IpInIp.innerOffset(f), inner.l3Offset);
                    assertEquals(innerEct.length, IpInIp.innerLength(f));
                    return FrameSegments.frameBytes(seg, inner.l3Offset, inner.ipTotalLength);
                },
                PacketBuilder.ipOnly().ipv4(CLIENT, VIP).tos(0x03).udp(1, 2).payload(5).build()));

        // replies the director originates
        rows.add(new Row("ARP reply for the VIP",
                eth().arpRequest(MAC_A, CLIENT, VIP).build(),
                (seg, f) -> {
                    MemorySegment out = MemorySegment.ofArray(new byte[100]);
                    int n = Replies.writeArpReply(out, 10, PacketBuilder.mac(MAC_D), f.arpTargetIp,
                            Layouts.mac(seg, f.frameOffset + Ethernet.SRC_MAC), f.arpSenderIp);
                    return FrameSegments.frameBytes(out, 10, n);
                },
                PacketBuilder.ethernet(MAC_D, MAC_A).arpReply(MAC_D, VIP, MAC_A, CLIENT).build()));
        rows.add(new Row("gratuitous ARP",
                eth().arpRequest(MAC_A, CLIENT, VIP).build(),
                (seg, f) -> {
                    MemorySegment out = MemorySegment.ofArray(new byte[42]);
                    int n = Replies.writeGratuitousArp(out, 0, PacketBuilder.mac(MAC_D), VIP_INT);
                    return FrameSegments.frameBytes(out, 0, n);
                },
                PacketBuilder.ethernet(MAC_D, "ff:ff:ff:ff:ff:ff").arpRequest(MAC_D, VIP, VIP).build()));
        rows.add(new Row("ICMPv4 echo reply in place, tagged, Ethernet padding dropped",
                eth().vlan(9).ipv4(CLIENT, VIP).ttl(5).icmpEcho(true, 7, 9).payload(4).padToMinimum().build(),
                (seg, f) -> {
                    int n = Replies.writeIcmpEchoReply(seg, f.frameOffset, seg, f, PacketBuilder.mac(MAC_D), PacketBuilder.mac(MAC_A));
                    return FrameSegments.frameBytes(seg, f.frameOffset, n);
                },
                PacketBuilder.ethernet(MAC_D, MAC_A).vlan(9).ipv4(VIP, CLIENT).ttl(64).icmpEcho(false, 7, 9).payload(4).build()));
        rows.add(new Row("ICMPv6 echo reply into another buffer",
                eth().ipv6("fd00::2", "fd00::100").icmpEcho(true, 7, 9).payload(33).build(),
                (seg, f) -> {
                    MemorySegment out = MemorySegment.ofArray(new byte[200]);
                    int n = Replies.writeIcmpEchoReply(out, 0, seg, f, PacketBuilder.mac(MAC_D), PacketBuilder.mac(MAC_A));
                    return FrameSegments.frameBytes(out, 0, n);
                },
                PacketBuilder.ethernet(MAC_D, MAC_A).ipv6("fd00::100", "fd00::2").ttl(64).icmpEcho(false, 7, 9).payload(33).build()));
        byte[] big = eth().ipv4(CLIENT, VIP).tcp(40000, 80).payload(1400).build();
        byte[] bigIp = Arrays.copyOfRange(big, 14, big.length);
        rows.add(new Row("ICMP fragmentation needed for a packet too big for the tunnel",
                big,
                (seg, f) -> {
                    MemorySegment out = MemorySegment.ofArray(new byte[700]);
                    int n = Replies.writeIcmpFragmentationNeeded(out, 0, PacketBuilder.mac(MAC_D), PacketBuilder.mac(MAC_A),
                            VIP_INT, seg, f, 1480);
                    return FrameSegments.frameBytes(out, 0, n);
                },
                PacketBuilder.ethernet(MAC_D, MAC_A).ipv4(VIP, CLIENT).tos(0xC0).identification(0).dontFragment(false)
                        .icmpPacketTooBig(1480, Arrays.copyOf(bigIp, 576 - 28)).build()));
        return rows;
    }

    @Test
    void echoReplyWriterRefusesWhatIsNoEchoRequestOrDoesNotFit() {
        byte[] reply = eth().ipv4(CLIENT, VIP).icmpEcho(false, 1, 1).payload(8).build();
        byte[] request = eth().ipv4(CLIENT, VIP).icmpEcho(true, 1, 1).payload(8).build();
        FlowDescription f = new FlowDescription();
        MemorySegment seg = FrameSegments.inRing(reply);
        PacketParser.parse(seg, FRAME_OFFSET, reply.length, f);
        assertEquals(0, Replies.writeIcmpEchoReply(MemorySegment.ofArray(new byte[200]), 0, seg, f, 1, 2));
        seg = FrameSegments.inRing(request);
        PacketParser.parse(seg, FRAME_OFFSET, request.length, f);
        assertEquals(0, Replies.writeIcmpEchoReply(MemorySegment.ofArray(new byte[request.length - 1]), 0, seg, f, 1, 2));
        assertEquals(request.length, Replies.writeIcmpEchoReply(MemorySegment.ofArray(new byte[request.length]), 0, seg, f, 1, 2));
    }

    @TestFactory
    Stream<DynamicTest> everyRowProducesItsExpectedBytes() {
        return rows().stream().map(r -> DynamicTest.dynamicTest(r.description(), () -> check(r)));
    }

    static void check(Row r) {
        MemorySegment seg = FrameSegments.inRing(r.input());
        FlowDescription f = new FlowDescription();
        int status = PacketParser.parse(seg, FRAME_OFFSET, r.input().length, f);
        if (status != ParseStatus.OK) fail(r.description() + ": input does not parse: " + ParseStatus.name(status)
                + "\n" + PacketBuilder.hex(r.input()));
        byte[] actual = r.operation().apply(seg, f);
        if (!Arrays.equals(r.expected(), actual)) {
            fail(r.description() + "\nfirst difference at byte " + Arrays.mismatch(r.expected(), actual)
                    + "\nexpected:\n" + PacketBuilder.hex(r.expected()) + "actual:\n" + PacketBuilder.hex(actual)
                    + "input:\n" + PacketBuilder.hex(r.input()));
        }
    }
}
