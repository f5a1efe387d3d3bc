package io.jlvs.forwarder.fastpath;

import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import io.jlvs.platform.bpf.BpfAttr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path's XDP program on IPv6 frames, in the kernel with real maps (BPF_PROG_TEST_RUN): NAT66 both ways for
 * TCP and UDP and IPv6 direct routing must give, byte for byte, the frame built directly with the new addresses, hop
 * limit and MACs and full checksums (which the parser then verifies); what Java must see (extension headers,
 * fragments, SYN, FIN, RST, hop limit 1, UDP without checksum, packets too long for the egress link, unknown flows)
 * goes to the kernel unchanged and uncounted.
 */
class XdpForwardProgram6Test extends XdpForwardProgramFixture {
    private static final String CLIENT = "2001:db8:1::7", VIP = "2001:db8:1::100", REAL = "fd00:10::2";
    private static final int MTU = 1500;

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {TCP, UDP})
    void nat66RewritesBothWays(int protocol) throws Exception {
        putNat(protocol, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, MTU);
        putNat(protocol, REAL, 8080, CLIENT, 40000, VIP, 80, CLIENT, 40000, FastPathMaps.OUTBOUND, MTU);
        byte[] in = transport(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP).ttl(64), protocol,
                40000, 80).payload(100).build();
        assertRedirectedWithValidChecksums(transport(PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv6(CLIENT, REAL).ttl(63),
                protocol, 40000, 8080).payload(100).build(), in);
        byte[] reply = transport(PacketBuilder.ethernet(SERVER_MAC, DIRECTOR_OUT_MAC).ipv6(REAL, CLIENT).ttl(64),
                protocol, 8080, 40000).payload(1400).build();
        assertRedirectedWithValidChecksums(transport(PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv6(VIP, CLIENT).ttl(63),
                protocol, 80, 40000).payload(1400).build(), reply);
        assertCounted(FastPathMaps.INBOUND, 1, in.length);
        assertCounted(FastPathMaps.OUTBOUND, 1, reply.length);
    }

    /** An established TCP segment (ACK and PSH, sequence numbers) or a UDP datagram between the ports. */
    private static PacketBuilder transport(PacketBuilder ip, int protocol, int sport, int dport) {
        return protocol == TCP ? ip.tcp(sport, dport).flags(0x18).seq(1000).ack(2000) : ip.udp(sport, dport);
    }

    @Test
    void aUdpChecksumThatComesToZeroIsSentAsAllOnes() throws Exception {
        putNat(UDP, CLIENT, 5353, VIP, 53, CLIENT, 5353, REAL, 5300, FastPathMaps.INBOUND, MTU);
        // The payload word that brings the rewritten datagram's sum to 0xffff: its checksum computes as 0.
        byte[] zeroPayload = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv6(CLIENT, REAL).ttl(63)
                .udp(5353, 5300).payload(new byte[2]).build();
        int checksum = (zeroPayload[14 + 40 + 6] & 0xff) << 8 | zeroPayload[14 + 40 + 7] & 0xff;
        byte[] payload = {(byte) (checksum >>> 8), (byte) checksum};
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP).udp(5353, 53)
                .payload(payload).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv6(CLIENT, REAL).ttl(63)
                .udp(5353, 5300).payload(payload).build();
        assertEquals(0xff, expected[14 + 40 + 6] & 0xff, "the datagram's checksum is sent as 0xffff");
        assertEquals(0xff, expected[14 + 40 + 7] & 0xff);
        assertRedirectedWithValidChecksums(expected, in);
    }

    @Test
    void ipv6DirectRoutingChangesOnlyMacsAndHopLimit() throws Exception {
        long[] client = address(CLIENT), vip = address(VIP);
        assertEquals(0, maps.putRewrite6(FastPathEntry.KIND_DR, TCP, client[0], client[1], 40000, vip[0], vip[1], 80,
                client[0], client[1], 40000, vip[0], vip[1], 80, MTU, SERVER_MAC, DIRECTOR_OUT_MAC, EGRESS,
                SLOT * 2 + FastPathMaps.INBOUND));
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP).ttl(20)
                .tcp(40000, 80).flags(0x10).payload(10).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv6(CLIENT, VIP).ttl(19)
                .tcp(40000, 80).flags(0x10).payload(10).build();
        assertRedirectedWithValidChecksums(expected, in);
        assertCounted(FastPathMaps.INBOUND, 1, in.length);
    }

    @Test
    void aPacketTooLongForTheEgressLinkGoesToTheKernelUncounted() throws Exception {
        putNat(TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, 400);
        assertLongestForwarded(length -> client().payload(length - 60).build(), 400, FastPathMaps.INBOUND);
    }

    @Test
    void whatJavaMustSeeGoesToTheKernel() throws Exception {
        putNat(TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, MTU);
        putNat(UDP, CLIENT, 5353, VIP, 53, CLIENT, 5353, REAL, 5300, FastPathMaps.INBOUND, MTU);
        assertEquals(BpfAttr.XDP_REDIRECT, run(client().build()).returnValue(),
                "the established segment itself is forwarded");
        for (int flags : new int[] {0x02, 0x12, 0x11, 0x14, 0x04}) {   // SYN, SYN+ACK, FIN+ACK, RST+ACK, RST
            assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP)
                    .tcp(40000, 80).flags(flags).payload(10).build());
        }
        assertPassedUnchanged(client().hopByHop().build());                                       // extension header
        assertPassedUnchanged(client().destinationOptions().build());
        assertPassedUnchanged(client().fragment(0, true).build());                                // fragment
        assertPassedUnchanged(client().ttl(1).build());                                           // hop limit expires
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP)
                .tcp(40001, 80).flags(0x10).payload(10).build());                                   // unknown flow
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP)
                .udp(5353, 53).l4Checksum(0).payload(20).build());                                  // no UDP checksum
        assertPassedUnchanged(PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP)
                .icmpEcho(true, 1, 1).payload(20).build());                                        // ICMPv6
        assertPassedUnchanged(client().truncate(14 + 40 + 10).build());                            // short TCP header
        assertCounted(FastPathMaps.INBOUND, 1, client().build().length);
    }

    @Test
    void removedFlowsGoBackToTheKernel() throws Exception {
        putNat(TCP, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND, MTU);
        byte[] frame = client().build();
        assertEquals(BpfAttr.XDP_REDIRECT, run(frame).returnValue());
        assertEquals(1, maps.flow6Entries());
        assertEquals(0, maps.flowEntries(), "the IPv4 map holds nothing of it");
        long[] client = address(CLIENT), vip = address(VIP);
        assertEquals(0, maps.remove6(TCP, client[0], client[1], 40000, vip[0], vip[1], 80));
        assertEquals(0, maps.flow6Entries());
        assertPassedUnchanged(frame);
    }

    private static PacketBuilder client() {
        return PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv6(CLIENT, VIP).tcp(40000, 80).flags(0x10)
                .payload(10);
    }

    private void putNat(int protocol, String saddr, int sport, String daddr, int dport, String newSaddr, int newSport,
                        String newDaddr, int newDport, int direction, int mtu) {
        long[] s = address(saddr), d = address(daddr), ns = address(newSaddr), nd = address(newDaddr);
        assertEquals(0, maps.putRewrite6(FastPathEntry.KIND_NAT, protocol, s[0], s[1], sport, d[0], d[1], dport,
                ns[0], ns[1], newSport, nd[0], nd[1], newDport, mtu, SERVER_MAC, DIRECTOR_OUT_MAC, EGRESS,
                SLOT * 2 + direction));
    }

    /** The program redirects {@code in} as {@code expected}, whose checksums the parser verifies. */
    private void assertRedirectedWithValidChecksums(byte[] expected, byte[] in) throws Exception {
        assertRedirectedAs(expected, in);
        FlowDescription flow = new FlowDescription();
        MemorySegment seg = MemorySegment.ofArray(expected);
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, 0, expected.length, flow));
        assertTrue(Checksums.verify(seg, flow), "the rewritten frame's checksum verifies");
    }

    private static long[] address(String text) {
        try {
            ByteBuffer b = ByteBuffer.wrap(InetAddress.getByName(text).getAddress());
            return new long[] {b.getLong(), b.getLong()};
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
