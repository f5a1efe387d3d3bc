package io.jlvs.forwarder.fastpath;

import io.jlvs.packets.Ethernet;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.bpf.BpfAttr;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast path's XDP program on IPv4 frames, in the kernel with real maps (BPF_PROG_TEST_RUN). A rewritten frame
 * must equal, byte for byte, the frame built directly with the new addresses, TTL and MACs and full checksums; what
 * Java must see (state changes, options, fragments, TTL 1, other protocols, packets too long for the egress link or
 * the tunnel, unknown flows) goes to the kernel unchanged and uncounted.
 */
class XdpForwardProgramTest extends XdpForwardProgramFixture {
    private static final int CLIENT = ip("10.0.0.7"), VIP = ip("10.0.0.100"), REAL = ip("192.168.10.2");
    private static final int MTU = 1500;

    @Test
    void natRewritesAnEstablishedTcpSegmentToTheRealServer() throws Exception {
        putNat(TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, MTU);
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100").ttl(64)
                .tcp(40000, 80).flags(0x18).seq(1000).ack(2000).payload(100).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.7", "192.168.10.2").ttl(63)
                .tcp(40000, 8080).flags(0x18).seq(1000).ack(2000).payload(100).build();
        assertRedirectedAs(expected, in);
        assertCounted(FastPathMaps.INBOUND, 1, in.length);
    }

    @Test
    void natRewritesTheServersReplyToTheClient() throws Exception {
        putNat(TCP, REAL, 8080, CLIENT, 40000, VIP, 80, CLIENT, 40000, FastPathMaps.OUTBOUND, MTU);
        byte[] in = PacketBuilder.ethernet(SERVER_MAC, DIRECTOR_OUT_MAC).ipv4("192.168.10.2", "10.0.0.7").ttl(64)
                .tcp(8080, 40000).flags(0x10).seq(5).ack(6).payload(1400).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.100", "10.0.0.7").ttl(63)
                .tcp(80, 40000).flags(0x10).seq(5).ack(6).payload(1400).build();
        assertRedirectedAs(expected, in);
        assertCounted(FastPathMaps.OUTBOUND, 1, in.length);
    }

    @Test
    void natRewritesUdpAndKeepsAMissingChecksumMissing() throws Exception {
        putNat(UDP, CLIENT, 5353, VIP, 53, CLIENT, 5353, REAL, 5300, FastPathMaps.INBOUND, MTU);
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .udp(5353, 53).payload(33).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.7", "192.168.10.2").ttl(63)
                .udp(5353, 5300).payload(33).build();
        assertRedirectedAs(expected, in);

        byte[] unchecked = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .udp(5353, 53).l4Checksum(0).payload(33).build();
        byte[] uncheckedExpected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC)
                .ipv4("10.0.0.7", "192.168.10.2").ttl(63).udp(5353, 5300).l4Checksum(0).payload(33).build();
        assertRedirectedAs(uncheckedExpected, unchecked);
    }

    @Test
    void directRoutingChangesOnlyMacsAndTtl() throws Exception {
        putDirect(MTU);
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100").ttl(20)
                .tcp(40000, 80).flags(0x10).payload(10).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.7", "10.0.0.100").ttl(19)
                .tcp(40000, 80).flags(0x10).payload(10).build();
        assertRedirectedAs(expected, in);
    }

    @Test
    void natPacketsTooLongForTheEgressLinkGoToTheKernelUncounted() throws Exception {
        // the two directions leave through links of different MTUs: each entry carries its own
        putNat(TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, 400);
        putNat(TCP, REAL, 8080, CLIENT, 40000, VIP, 80, CLIENT, 40000, FastPathMaps.OUTBOUND, 600);
        assertLongestForwarded(XdpForwardProgramTest::fromClient, 400, FastPathMaps.INBOUND);
        assertLongestForwarded(length -> PacketBuilder.ethernet(SERVER_MAC, DIRECTOR_OUT_MAC)
                .ipv4("192.168.10.2", "10.0.0.7").tcp(8080, 40000).flags(0x10).payload(length - 40).build(),
                600, FastPathMaps.OUTBOUND);
    }

    @Test
    void directRoutedPacketsTooLongForTheEgressLinkGoToTheKernelUncounted() throws Exception {
        putDirect(400);
        assertLongestForwarded(XdpForwardProgramTest::fromClient, 400, FastPathMaps.INBOUND);
    }

    @Test
    void tunnelEncapsulatesAsTheJavaPathDoes() throws Exception {
        int outerSource = ip("172.16.0.1");
        putTunnel(1480);
        long bytes = 0;
        for (int tos : new int[] {0x00, 0x03, 0xb8}) {   // ECN CE goes out as ECT(0)
            for (boolean dontFragment : new boolean[] {true, false}) {
                byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100").ttl(64)
                        .tos(tos).dontFragment(dontFragment).tcp(40000, 80).flags(0x10).payload(300).build();
                byte[] inner = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                        .ttl(63).tos(tos).dontFragment(dontFragment).tcp(40000, 80).flags(0x10).payload(300).build();
                byte[] expected = new byte[inner.length + 20];
                MemorySegment out = MemorySegment.ofArray(expected);
                IpInIp.encapsulateIpv4(out, 14, MemorySegment.ofArray(inner), 14, inner.length - 14, outerSource, REAL, 0);
                Layouts.putMac(out, Ethernet.DST_MAC, SERVER_MAC);
                Layouts.putMac(out, Ethernet.SRC_MAC, DIRECTOR_OUT_MAC);
                Layouts.put16(out, Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV4);

                assertRedirectedAs(expected, in);
                bytes += in.length;
            }
        }
        assertCounted(FastPathMaps.INBOUND, 6, bytes);
    }

    @Test
    void aPacketTooLongForTheTunnelGoesToTheKernelUncounted() throws Exception {
        putTunnel(400);
        assertLongestForwarded(XdpForwardProgramTest::fromClient, 400, FastPathMaps.INBOUND);
    }

    private void putTunnel(int maxInner) {
        assertEquals(0, maps.putTunnel(TCP, CLIENT, 40000, VIP, 80, ip("172.16.0.1"), REAL, maxInner, SERVER_MAC,
                DIRECTOR_OUT_MAC, EGRESS, SLOT * 2));
    }

    @Test
    void stateChangesUnknownFlowsAndOtherPacketsGoToTheKernel() throws Exception {
        putNat(TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, MTU);
        PacketBuilder established = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC)
                .ipv4("10.0.0.7", "10.0.0.100").tcp(40000, 80).flags(0x10).payload(10);
        assertEquals(BpfAttr.XDP_REDIRECT, run(established.build()).returnValue());
        for (int flags : new int[] {0x02, 0x11, 0x14, 0x04}) {   // SYN, FIN+ACK, RST+ACK, RST
            byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                    .tcp(40000, 80).flags(flags).payload(10).build();
            assertPassedUnchanged(frame);
        }
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .tcp(40001, 80).flags(0x10).payload(10).build());                                   // unknown flow
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .ttl(1).tcp(40000, 80).flags(0x10).payload(10).build());                            // TTL expires
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .fragment(0, true).tcp(40000, 80).flags(0x10).payload(10).build());                 // fragment
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .ipv4Options(new byte[] {1, 1, 1, 0}).tcp(40000, 80).flags(0x10).payload(10).build()); // options
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .icmpEcho(true, 1, 1).payload(20).build());                                         // ICMP
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC)
                .arpRequest("02:00:00:00:00:01", "10.0.0.7", "10.0.0.100").build());                // ARP
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6("fd00::7", "fd00::100")
                .tcp(40000, 80).flags(0x10).payload(10).build());                                   // IPv6
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).vlan(5)
                .ipv4("10.0.0.7", "10.0.0.100").tcp(40000, 80).flags(0x10).payload(10).build());    // 802.1Q
        byte[] shortFrame = new byte[20];
        assertPassedUnchanged(shortFrame);
        assertCounted(FastPathMaps.INBOUND, 1, established.build().length);   // only the established segment
    }

    @Test
    void removedFlowsGoBackToTheKernel() throws Exception {
        putNat(TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, MTU);
        byte[] frame = fromClient(20 + 20 + 10);
        assertEquals(BpfAttr.XDP_REDIRECT, run(frame).returnValue());
        assertEquals(1, maps.flowEntries());
        assertEquals(0, maps.remove(6, CLIENT, 40000, VIP, 80));
        assertEquals(0, maps.flowEntries());
        assertPassedUnchanged(frame);
    }

    /** A client's TCP segment to the VIP whose IP packet is {@code ipLength} bytes long. */
    private static byte[] fromClient(int ipLength) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100").tcp(40000, 80)
                .flags(0x10).payload(ipLength - 40).build();
    }

    private void putNat(int protocol, int saddr, int sport, int daddr, int dport, int newSaddr, int newSport,
                        int newDaddr, int newDport, int direction, int mtu) {
        assertEquals(0, maps.putRewrite(FastPathEntry.KIND_NAT, protocol, saddr, sport, daddr, dport, newSaddr,
                newSport, newDaddr, newDport, mtu, SERVER_MAC, DIRECTOR_OUT_MAC, EGRESS, SLOT * 2 + direction));
    }

    private void putDirect(int mtu) {
        assertEquals(0, maps.putRewrite(FastPathEntry.KIND_DR, TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, VIP, 80,
                mtu, SERVER_MAC, DIRECTOR_OUT_MAC, EGRESS, SLOT * 2 + FastPathMaps.INBOUND));
    }

    private static int ip(String dotted) {
        String[] parts = dotted.split("\\.");
        int value = 0;
        for (String part : parts) value = value << 8 | Integer.parseInt(part);
        return value;
    }
}
