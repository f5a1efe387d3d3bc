package io.jlvs.packets;

import static io.jlvs.packets.FrameSegments.FRAME_OFFSET;
import static io.jlvs.packets.FrameSegments.patch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Katran-style fixture table for the parser: each row is a description, a frame made with {@link PacketBuilder},
 * and the fields the parse must produce. Offsets in rows are relative to the frame start; the frame sits at
 * {@link FrameSegments#FRAME_OFFSET} inside a larger segment with garbage around it, so the check also proves
 * that offsets are absolute and that nothing past the frame is read. A failing row prints the frame in hex.
 */
class ParserFixtureTest {
    static final String MAC_A = "02:00:00:00:00:0a";
    static final String MAC_B = "02:00:00:00:00:0b";
    static final String CLIENT = "10.0.0.2", VIP = "10.0.0.100", ROUTER = "10.0.0.254";
    static final String CLIENT6 = "fd00::2", VIP6 = "fd00::100", ROUTER6 = "fd00::fe";
    private static final List<String> OFFSETS =
            List.of("l3Offset", "l4Offset", "payloadOffset", "innerL3Offset", "innerL4Offset", "frameOffset");

    record Row(String description, byte[] frame, Map<String, Object> expected) {}

    static PacketBuilder eth() { return PacketBuilder.ethernet(MAC_A, MAC_B); }

    /** Expected fields: FlowDescription field names; "src"/"dst"/"innerSrc"/"innerDst" take address strings. */
    static Map<String, Object> expect(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    static Row row(String description, byte[] frame, Object... keyValues) {
        return new Row(description, frame, expect(keyValues));
    }

    static byte[] quotedTcp() {
        return PacketBuilder.ipOnly().ipv4(VIP, CLIENT).tcp(80, 40000).flags(Tcp.SYN | Tcp.ACK).payload(16).build();
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        byte[] inner = quotedTcp();
        byte[] innerUdp = PacketBuilder.ipOnly().ipv4(VIP, CLIENT).udp(53, 5353).payload(20).build();
        byte[] inner6 = PacketBuilder.ipOnly().ipv6(VIP6, CLIENT6).tcp(80, 40000).payload(10).build();
        byte[] inner6Udp = PacketBuilder.ipOnly().ipv6(VIP6, CLIENT6).udp(53, 5353).payload(3).build();

        // ---- well-formed: every header type
        rows.add(row("IPv4 TCP SYN, untagged",
                eth().ipv4(CLIENT, VIP).ttl(64).tcp(40000, 80).flags(Tcp.SYN).build(),
                "status", ParseStatus.OK, "etherType", 0x0800, "vlanId", -1, "l3Offset", 14, "ipVersion", 4,
                "ipHeaderLength", 20, "ipTotalLength", 40, "ttl", 64, "protocol", 6, "src", CLIENT, "dst", VIP,
                "srcPort", 40000, "dstPort", 80, "tcpFlags", Tcp.SYN, "l4Offset", 34, "l4Length", 20,
                "payloadOffset", 54, "fragment", false, "firstFragment", true, "dontFragment", true,
                "icmpError", false));
        rows.add(row("802.1Q tagged IPv4 TCP with 5 payload bytes and TOS",
                eth().vlan(10).ipv4(CLIENT, VIP).tos(0xB9).ttl(7).tcp(1234, 443).flags(Tcp.PSH | Tcp.ACK).payload(5).build(),
                "status", ParseStatus.OK, "vlanId", 10, "etherType", 0x0800, "l3Offset", 18, "l4Offset", 38,
                "payloadOffset", 58, "l4Length", 25, "ipTotalLength", 45, "ttl", 7, "tos", 0xB9,
                "tcpFlags", Tcp.PSH | Tcp.ACK, "srcPort", 1234, "dstPort", 443));
        rows.add(row("IPv4 with 8 bytes of options skipped by IHL",
                eth().ipv4(CLIENT, VIP).ipv4Options(new byte[] {1, 1, 1, 1, 1, 1, 1, 0}).udp(5000, 53).payload(4).build(),
                "status", ParseStatus.OK, "ipHeaderLength", 28, "l4Offset", 42, "protocol", 17, "srcPort", 5000,
                "dstPort", 53, "l4Length", 12, "payloadOffset", 50));
        rows.add(row("TCP with options (data offset 8 words)",
                eth().ipv4(CLIENT, VIP).tcp(40000, 80).flags(Tcp.SYN).tcpOptions(new byte[] {2, 4, 5, (byte) 0xB4, 1, 1, 4, 2, 1, 3, 3, 7}).build(),
                "status", ParseStatus.OK, "l4Offset", 34, "payloadOffset", 34 + 32, "l4Length", 32));
        rows.add(row("IPv4 UDP padded to 60 bytes: total length, not the frame, bounds the packet",
                eth().ipv4(CLIENT, VIP).udp(5000, 53).payload(2).padToMinimum().build(),
                "status", ParseStatus.OK, "ipTotalLength", 30, "l4Length", 10, "frameLength", 60));
        rows.add(row("ARP request",
                eth().arpRequest(MAC_A, CLIENT, VIP).build(),
                "status", ParseStatus.OK, "etherType", 0x0806, "arpOperation", 1, "ipVersion", 0,
                "arpSenderIp", Ipv4.parse(CLIENT), "arpTargetIp", Ipv4.parse(VIP)));
        rows.add(row("ARP reply, tagged",
                eth().vlan(7).arpReply(MAC_B, VIP, MAC_A, CLIENT).build(),
                "status", ParseStatus.OK, "vlanId", 7, "etherType", 0x0806, "arpOperation", 2,
                "arpSenderIp", Ipv4.parse(VIP), "arpTargetIp", Ipv4.parse(CLIENT)));
        rows.add(row("ICMPv4 echo request: identifier in both ports",
                eth().ipv4(CLIENT, VIP).icmpEcho(true, 0x4242, 1).payload(56).build(),
                "status", ParseStatus.OK, "protocol", 1, "icmpType", 8, "icmpCode", 0, "srcPort", 0x4242,
                "dstPort", 0x4242, "icmpError", false, "l4Length", 64));
        rows.add(row("ICMPv4 port unreachable quoting a whole TCP segment",
                eth().ipv4(ROUTER, VIP).icmpError(3, 3, inner).build(),
                "status", ParseStatus.OK, "icmpType", 3, "icmpCode", 3, "icmpError", true, "innerIpVersion", 4,
                "innerL3Offset", 42, "innerL4Offset", 62, "innerProtocol", 6, "innerSrc", VIP, "innerDst", CLIENT,
                "innerSrcPort", 80, "innerDstPort", 40000, "innerIpHeaderLength", 20, "icmpQuoteLength", inner.length));
        rows.add(row("ICMPv4 time exceeded quoting UDP, quote cut to IP header + 8",
                eth().ipv4(ROUTER, VIP).icmpError(11, 0, Arrays.copyOf(innerUdp, 28)).build(),
                "status", ParseStatus.OK, "icmpType", 11, "icmpError", true, "innerProtocol", 17,
                "innerSrcPort", 53, "innerDstPort", 5353, "icmpQuoteLength", 28));
        rows.add(row("ICMPv4 fragmentation needed quoting TCP header start",
                eth().ipv4(ROUTER, VIP).icmpPacketTooBig(1400, Arrays.copyOf(inner, 28)).build(),
                "status", ParseStatus.OK, "icmpType", 3, "icmpCode", 4, "icmpError", true, "innerSrcPort", 80));
        rows.add(row("ICMPv4 source quench counts as a connection error",
                eth().ipv4(ROUTER, VIP).icmpError(4, 0, inner).build(),
                "status", ParseStatus.OK, "icmpError", true, "innerDstPort", 40000));
        rows.add(row("ICMPv4 parameter problem is not treated as a connection error",
                eth().ipv4(ROUTER, VIP).icmpError(12, 0, inner).build(),
                "status", ParseStatus.OK, "icmpError", false, "innerL3Offset", -1));
        rows.add(row("IPv4 first fragment (MF, offset 0) keeps its transport header",
                eth().ipv4(CLIENT, VIP).fragment(0, true).udp(5000, 53).payload(100).build(),
                "status", ParseStatus.OK, "fragment", true, "firstFragment", true, "fragmentOffset", 0,
                "srcPort", 5000, "dstPort", 53, "l4Offset", 34));
        rows.add(row("IPv4 later fragment has no transport header",
                eth().ipv4(CLIENT, VIP).fragment(1480, false).udp(5000, 53).payload(100).build(),
                "status", ParseStatus.OK, "fragment", true, "firstFragment", false, "fragmentOffset", 1480,
                "l4Offset", -1, "srcPort", 0, "dstPort", 0, "protocol", 17));
        rows.add(row("IPv6 TCP",
                eth().ipv6(CLIENT6, VIP6).ttl(33).tos(0x2A).tcp(40000, 80).flags(Tcp.SYN).build(),
                "status", ParseStatus.OK, "etherType", 0x86DD, "ipVersion", 6, "ipHeaderLength", 40,
                "ipTotalLength", 60, "ttl", 33, "tos", 0x2A, "protocol", 6, "src", CLIENT6, "dst", VIP6,
                "srcPort", 40000, "dstPort", 80, "tcpFlags", Tcp.SYN, "l4Offset", 54, "payloadOffset", 74,
                "fragment", false, "firstFragment", true));
        rows.add(row("tagged IPv6 UDP behind hop-by-hop, routing and destination options",
                eth().vlan(100).ipv6(CLIENT6, VIP6).hopByHop().routingHeader().destinationOptions().udp(5000, 53).payload(9).build(),
                "status", ParseStatus.OK, "vlanId", 100, "l3Offset", 18, "ipHeaderLength", 64, "protocol", 17,
                "l4Offset", 18 + 64, "l4Length", 17, "srcPort", 5000, "dstPort", 53));
        rows.add(row("IPv6 first fragment (fragment header, offset 0, M)",
                eth().ipv6(CLIENT6, VIP6).fragment(0, true).udp(5000, 53).payload(30).build(),
                "status", ParseStatus.OK, "fragment", true, "firstFragment", true, "ipHeaderLength", 48,
                "protocol", 17, "srcPort", 5000, "l4Offset", 62));
        rows.add(row("IPv6 later fragment has no transport header",
                eth().ipv6(CLIENT6, VIP6).hopByHop().fragment(1232, true).udp(5000, 53).payload(30).build(),
                "status", ParseStatus.OK, "fragment", true, "firstFragment", false, "fragmentOffset", 1232,
                "l4Offset", -1, "protocol", 17, "srcPort", 0));
        rows.add(row("ICMPv6 echo request",
                eth().ipv6(CLIENT6, VIP6).icmpEcho(true, 77, 3).payload(8).build(),
                "status", ParseStatus.OK, "protocol", 58, "icmpType", 128, "srcPort", 77, "dstPort", 77,
                "icmpError", false));
        rows.add(row("ICMPv6 destination unreachable quoting TCP",
                eth().ipv6(ROUTER6, VIP6).icmpError(1, 4, inner6).build(),
                "status", ParseStatus.OK, "icmpType", 1, "icmpCode", 4, "icmpError", true, "innerIpVersion", 6,
                "innerL3Offset", 62, "innerL4Offset", 102, "innerSrc", VIP6, "innerDst", CLIENT6,
                "innerProtocol", 6, "innerSrcPort", 80, "innerDstPort", 40000));
        rows.add(row("ICMPv6 packet too big quoting UDP",
                eth().ipv6(ROUTER6, VIP6).icmpPacketTooBig(1280, inner6Udp).build(),
                "status", ParseStatus.OK, "icmpType", 2, "icmpError", true, "innerProtocol", 17,
                "innerSrcPort", 53, "innerDstPort", 5353));
        rows.add(row("IPv4 in IPv4: the transport is the inner IP packet",
                eth().ipv4("172.16.0.1", "172.16.0.2").ipip(inner).build(),
                "status", ParseStatus.OK, "protocol", 4, "l4Offset", 34, "l4Length", inner.length,
                "payloadOffset", 34, "src", "172.16.0.1", "srcPort", 0));
        rows.add(row("IPv6 in IPv6",
                eth().ipv6("fd01::1", "fd01::2").ipip(inner6).build(),
                "status", ParseStatus.OK, "protocol", 41, "l4Offset", 54, "l4Length", inner6.length));
        rows.add(row("LLDP is not IP", eth().etherType(0x88CC).payload(10).build(),
                "status", ParseStatus.NOT_IP, "etherType", 0x88CC));

        // ---- malformed: every reason code
        byte[] tcp4 = eth().ipv4(CLIENT, VIP).tcp(40000, 80).flags(Tcp.SYN).payload(10).build();
        rows.add(row("frame shorter than an Ethernet header", Arrays.copyOf(tcp4, 13),
                "status", ParseStatus.TRUNCATED_ETHERNET));
        rows.add(row("802.1Q tag cut off", eth().vlan(5).ipv4(CLIENT, VIP).tcp(1, 2).truncate(16).build(),
                "status", ParseStatus.TRUNCATED_VLAN));
        rows.add(row("ARP truncated", eth().arpRequest(MAC_A, CLIENT, VIP).truncate(14 + 27).build(),
                "status", ParseStatus.TRUNCATED_ARP));
        rows.add(row("ARP for a protocol other than IPv4", patch(eth().arpRequest(MAC_A, CLIENT, VIP).build(), 16, 0x86, 0xDD),
                "status", ParseStatus.UNSUPPORTED_ARP));
        rows.add(row("IPv4 header truncated", Arrays.copyOf(tcp4, 14 + 19), "status", ParseStatus.TRUNCATED_IPV4));
        rows.add(row("IHL 4 (below 5)", eth().ipv4(CLIENT, VIP).ihl(4).tcp(1, 2).build(), "status", ParseStatus.BAD_IHL));
        rows.add(row("IHL 0", eth().ipv4(CLIENT, VIP).ihl(0).tcp(1, 2).build(), "status", ParseStatus.BAD_IHL));
        rows.add(row("IHL 15 beyond a short frame", eth().ipv4(CLIENT, VIP).ihl(15).udp(1, 2).build(),
                "status", ParseStatus.TRUNCATED_IPV4));
        rows.add(row("IPv4 total length beyond the frame", eth().ipv4(CLIENT, VIP).totalLength(1500).tcp(1, 2).build(),
                "status", ParseStatus.BAD_IPV4_TOTAL_LENGTH));
        rows.add(row("IPv4 total length below the header length", eth().ipv4(CLIENT, VIP).totalLength(19).tcp(1, 2).build(),
                "status", ParseStatus.BAD_IPV4_TOTAL_LENGTH));
        rows.add(row("frame truncated inside the TCP header", Arrays.copyOf(tcp4, 14 + 20 + 10),
                "status", ParseStatus.BAD_IPV4_TOTAL_LENGTH));
        rows.add(row("IPv6 header in an IPv4 EtherType", eth().etherType(0x0800).ipv6(CLIENT6, VIP6).udp(1, 2).build(),
                "status", ParseStatus.BAD_IP_VERSION));
        rows.add(row("IPv6 header truncated", eth().ipv6(CLIENT6, VIP6).udp(1, 2).truncate(14 + 39).build(),
                "status", ParseStatus.TRUNCATED_IPV6));
        rows.add(row("IPv6 payload length beyond the frame", eth().ipv6(CLIENT6, VIP6).payloadLength(200).udp(1, 2).build(),
                "status", ParseStatus.BAD_IPV6_PAYLOAD_LENGTH));
        rows.add(row("IPv6 extension header runs off the end of the packet",
                eth().ipv6(CLIENT6, VIP6).hopByHop().udp(1, 2).payloadLength(4).build(),
                "status", ParseStatus.TRUNCATED_IPV6_EXTENSION));
        rows.add(row("IPv6 extension header length field beyond the packet",
                patch(eth().ipv6(CLIENT6, VIP6).destinationOptions().udp(1, 2).build(), 14 + 40 + 1, 9),
                "status", ParseStatus.TRUNCATED_IPV6_EXTENSION));
        PacketBuilder manyExtensions = eth().ipv6(CLIENT6, VIP6);
        for (int i = 0; i < 9; i++) manyExtensions.destinationOptions();
        rows.add(row("nine IPv6 extension headers", manyExtensions.udp(1, 2).build(),
                "status", ParseStatus.TOO_MANY_IPV6_EXTENSIONS));
        rows.add(row("TCP header shorter than 20 bytes", eth().ipv4(CLIENT, VIP).totalLength(20 + 12).tcp(1, 2).build(),
                "status", ParseStatus.TRUNCATED_TCP));
        rows.add(row("TCP data offset 4 (below 5)", eth().ipv4(CLIENT, VIP).tcp(1, 2).tcpDataOffset(4).build(),
                "status", ParseStatus.BAD_TCP_DATA_OFFSET));
        rows.add(row("TCP data offset beyond the segment", eth().ipv4(CLIENT, VIP).tcp(1, 2).tcpDataOffset(15).payload(8).build(),
                "status", ParseStatus.BAD_TCP_DATA_OFFSET));
        rows.add(row("UDP header shorter than 8 bytes", eth().ipv6(CLIENT6, VIP6).payloadLength(6).udp(1, 2).build(),
                "status", ParseStatus.TRUNCATED_UDP));
        rows.add(row("ICMP header shorter than 8 bytes", eth().ipv4(CLIENT, VIP).totalLength(20 + 7).icmpEcho(true, 1, 1).build(),
                "status", ParseStatus.TRUNCATED_ICMP));
        rows.add(row("ICMPv4 error quoting less than an IP header", eth().ipv4(ROUTER, VIP).icmpError(3, 1, Arrays.copyOf(inner, 12)).build(),
                "status", ParseStatus.TRUNCATED_ICMP_QUOTE, "icmpError", true));
        rows.add(row("ICMPv4 error quoting the IP header but only 4 transport bytes",
                eth().ipv4(ROUTER, VIP).icmpError(3, 1, Arrays.copyOf(inner, 24)).build(),
                "status", ParseStatus.TRUNCATED_ICMP_QUOTE));
        rows.add(row("ICMPv4 error quoting a header with IHL 3", eth().ipv4(ROUTER, VIP).icmpError(3, 1, patch(inner, 0, 0x43)).build(),
                "status", ParseStatus.BAD_ICMP_QUOTE));
        rows.add(row("ICMPv6 error quoting 40 bytes only", eth().ipv6(ROUTER6, VIP6).icmpError(1, 0, Arrays.copyOf(inner6, 40)).build(),
                "status", ParseStatus.TRUNCATED_ICMP_QUOTE));
        rows.add(row("IP-in-IP with a 10-byte inner packet", eth().ipv4("172.16.0.1", "172.16.0.2").ipip(new byte[10]).build(),
                "status", ParseStatus.TRUNCATED_TUNNEL));
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyRowParsesToItsExpectedFields() {
        return rows().stream().map(r -> DynamicTest.dynamicTest(r.description(), () -> check(r)));
    }

    static void check(Row r) {
        MemorySegment seg = FrameSegments.inRing(r.frame());
        FlowDescription f = new FlowDescription();
        int status = PacketParser.parse(seg, FRAME_OFFSET, r.frame().length, f);
        List<String> mismatches = new ArrayList<>();
        if (status != f.status) mismatches.add("returned " + status + " but stored " + f.status);
        for (var e : r.expected().entrySet()) {
            Object actual = actual(f, e.getKey());
            Object expected = expectedValue(e.getKey(), e.getValue());
            if (!expected.equals(actual)) {
                mismatches.add(e.getKey() + ": expected " + show(e.getKey(), expected) + " but was " + show(e.getKey(), actual));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(r.description() + "\n  " + String.join("\n  ", mismatches) + "\n" + PacketBuilder.hex(r.frame()));
        }
    }

    private static String show(String key, Object v) {
        return key.equals("status") ? ParseStatus.name((Integer) v) : String.valueOf(v);
    }

    private static Object expectedValue(String key, Object v) {
        if (OFFSETS.contains(key)) {
            long rel = ((Number) v).longValue();
            return rel < 0 ? rel : rel + FRAME_OFFSET;
        }
        if (v instanceof String s) return addressWords(s);
        return v;
    }

    private static Object actual(FlowDescription f, String key) {
        try {
            return switch (key) {
                case "src" -> List.of(f.srcHi, f.srcLo);
                case "dst" -> List.of(f.dstHi, f.dstLo);
                case "innerSrc" -> List.of(f.innerSrcHi, f.innerSrcLo);
                case "innerDst" -> List.of(f.innerDstHi, f.innerDstLo);
                default -> {
                    Field field = FlowDescription.class.getField(key);
                    Object v = field.get(f);
                    yield v instanceof Long l && !OFFSETS.contains(key) ? l : v;
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no FlowDescription field " + key, e);
        }
    }

    /** An address string as the (hi, lo) pair FlowDescription holds, IPv4 mapped. */
    static List<Long> addressWords(String literal) {
        if (!literal.contains(":")) return List.of(0L, FlowDescription.mappedLo(Ipv4.parse(literal)));
        ByteBuffer b = ByteBuffer.wrap(PacketBuilder.address(literal, 16));
        return List.of(b.getLong(), b.getLong());
    }

    @Test
    void offsetsAreExpectedAsLongsWhereTheFieldIsLong() {
        // Guards the table's own comparisons: long fields are compared with long expectations.
        Row r = row("IPv4 TCP", eth().ipv4(CLIENT, VIP).tcp(1, 2).build(), "l4Offset", 34);
        check(r);
    }

    @Test
    void frameBoundsOutsideTheSegmentAreRefusedWithoutReading() {
        byte[] frame = eth().ipv4(CLIENT, VIP).tcp(1, 2).build();
        MemorySegment seg = MemorySegment.ofArray(frame);
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.BAD_FRAME_BOUNDS, PacketParser.parse(seg, 0, frame.length + 1, f));
        assertEquals(ParseStatus.BAD_FRAME_BOUNDS, PacketParser.parse(seg, -1, 10, f));
        assertEquals(ParseStatus.BAD_FRAME_BOUNDS, PacketParser.parse(seg, 4, frame.length, f));
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, 0, frame.length, f));
    }

    @Test
    void aReusedDescriptionKeepsNothingFromThePreviousFrame() {
        FlowDescription f = new FlowDescription();
        byte[] error = eth().vlan(3).ipv4(ROUTER, VIP).icmpError(3, 3, quotedTcp()).build();
        PacketParser.parse(FrameSegments.inRing(error), FRAME_OFFSET, error.length, f);
        byte[] arp = eth().arpRequest(MAC_A, CLIENT, VIP).build();
        PacketParser.parse(FrameSegments.inRing(arp), FRAME_OFFSET, arp.length, f);
        FlowDescription fresh = new FlowDescription();
        PacketParser.parse(FrameSegments.inRing(arp), FRAME_OFFSET, arp.length, fresh);
        for (Field field : FlowDescription.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) continue;
            try {
                assertEquals(field.get(fresh), field.get(f), field.getName());
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }
}
