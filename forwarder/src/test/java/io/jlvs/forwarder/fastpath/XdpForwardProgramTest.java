package io.jlvs.forwarder.fastpath;

import io.jlvs.packets.Ethernet;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path's XDP program in the kernel: loaded with real maps (the verifier accepts it, or the test fails with
 * its log), run on crafted frames with BPF_PROG_TEST_RUN. A rewritten frame must equal, byte for byte, the frame
 * built directly with the new addresses, TTL and MACs and full checksums.
 */
class XdpForwardProgramTest {
    private static final long CLIENT_MAC = 0x02_00_00_00_00_01L, DIRECTOR_IN_MAC = 0x02_00_00_00_00_02L,
            DIRECTOR_OUT_MAC = 0x02_00_00_00_00_03L, SERVER_MAC = 0x02_00_00_00_00_04L;
    private static final int CLIENT = ip("10.0.0.7"), VIP = ip("10.0.0.100"), REAL = ip("192.168.10.2");
    private static final int EGRESS = 1;   // lo: present in every namespace
    private static final int SLOT = 5;

    private FastPathMaps maps;

    @BeforeEach
    void load() throws Exception {
        maps = FastPathMaps.create(16);
        maps.addEgress(EGRESS);
    }

    @AfterEach
    void close() {
        maps.close();
    }

    @Test
    void natRewritesAnEstablishedTcpSegmentToTheRealServer() throws Exception {
        putNat(6, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND);
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100").ttl(64)
                .tcp(40000, 80).flags(0x18).seq(1000).ack(2000).payload(100).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.7", "192.168.10.2").ttl(63)
                .tcp(40000, 8080).flags(0x18).seq(1000).ack(2000).payload(100).build();
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), in);
        assertEquals(BpfAttr.XDP_REDIRECT, out.returnValue());
        assertFrame(expected, out.frame());
        long[] counted = new long[2];
        assertTrue(maps.readCounters(SLOT, FastPathMaps.INBOUND, counted));
        assertEquals(1, counted[0]);
        assertEquals(in.length, counted[1]);
    }

    @Test
    void natRewritesTheServersReplyToTheClient() throws Exception {
        putNat(6, REAL, 8080, CLIENT, 40000, VIP, 80, CLIENT, 40000, FastPathMaps.OUTBOUND);
        byte[] in = PacketBuilder.ethernet(SERVER_MAC, DIRECTOR_OUT_MAC).ipv4("192.168.10.2", "10.0.0.7").ttl(64)
                .tcp(8080, 40000).flags(0x10).seq(5).ack(6).payload(1400).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.100", "10.0.0.7").ttl(63)
                .tcp(80, 40000).flags(0x10).seq(5).ack(6).payload(1400).build();
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), in);
        assertEquals(BpfAttr.XDP_REDIRECT, out.returnValue());
        assertFrame(expected, out.frame());
        long[] counted = new long[2];
        assertTrue(maps.readCounters(SLOT, FastPathMaps.OUTBOUND, counted));
        assertEquals(1, counted[0]);
    }

    @Test
    void natRewritesUdpAndKeepsAMissingChecksumMissing() throws Exception {
        putNat(17, CLIENT, 5353, VIP, 53, CLIENT, 5353, REAL, 5300, FastPathMaps.INBOUND);
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .udp(5353, 53).payload(33).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.7", "192.168.10.2").ttl(63)
                .udp(5353, 5300).payload(33).build();
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), in);
        assertEquals(BpfAttr.XDP_REDIRECT, out.returnValue());
        assertFrame(expected, out.frame());

        byte[] unchecked = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .udp(5353, 53).l4Checksum(0).payload(33).build();
        byte[] uncheckedExpected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC)
                .ipv4("10.0.0.7", "192.168.10.2").ttl(63).udp(5353, 5300).l4Checksum(0).payload(33).build();
        BpfTestRun.Result none = BpfTestRun.run(maps.programFd(), unchecked);
        assertEquals(BpfAttr.XDP_REDIRECT, none.returnValue());
        assertFrame(uncheckedExpected, none.frame());
    }

    @Test
    void directRoutingChangesOnlyMacsAndTtl() throws Exception {
        assertEquals(0, maps.putRewrite(FastPathEntry.KIND_DR, 6, CLIENT, 40000, VIP, 80, CLIENT, 40000, VIP, 80,
                SERVER_MAC, DIRECTOR_OUT_MAC, EGRESS, SLOT * 2));
        byte[] in = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100").ttl(20)
                .tcp(40000, 80).flags(0x10).payload(10).build();
        byte[] expected = PacketBuilder.ethernet(DIRECTOR_OUT_MAC, SERVER_MAC).ipv4("10.0.0.7", "10.0.0.100").ttl(19)
                .tcp(40000, 80).flags(0x10).payload(10).build();
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), in);
        assertEquals(BpfAttr.XDP_REDIRECT, out.returnValue());
        assertFrame(expected, out.frame());
    }

    @Test
    void tunnelEncapsulatesAsTheJavaPathDoes() throws Exception {
        int outerSource = ip("172.16.0.1");
        putTunnel(6, 1480);
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

                BpfTestRun.Result result = BpfTestRun.run(maps.programFd(), in);

                assertEquals(BpfAttr.XDP_REDIRECT, result.returnValue(), "TOS " + tos + ", DF " + dontFragment);
                assertFrame(expected, result.frame());
            }
        }
        long[] counted = new long[2];
        assertTrue(maps.readCounters(SLOT, FastPathMaps.INBOUND, counted));
        assertEquals(6, counted[0]);
    }

    @Test
    void aPacketTooLongForTheTunnelGoesToTheKernelUncounted() throws Exception {
        putTunnel(6, 400);
        byte[] fits = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .tcp(40000, 80).flags(0x10).payload(400 - 40).build();
        byte[] tooLong = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .tcp(40000, 80).flags(0x10).payload(400 - 40 + 1).build();
        assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), fits).returnValue());
        assertPassedUnchanged(tooLong);
        long[] counted = new long[2];
        assertTrue(maps.readCounters(SLOT, FastPathMaps.INBOUND, counted));
        assertEquals(1, counted[0], "only the packet that fits");
    }

    private void putTunnel(int protocol, int maxInner) {
        assertEquals(0, maps.putTunnel(protocol, CLIENT, 40000, VIP, 80, ip("172.16.0.1"), REAL, maxInner, SERVER_MAC,
                DIRECTOR_OUT_MAC, EGRESS, SLOT * 2));
    }

    @Test
    void stateChangesUnknownFlowsAndOtherPacketsGoToTheKernel() throws Exception {
        putNat(6, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND);
        PacketBuilder established = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC)
                .ipv4("10.0.0.7", "10.0.0.100").tcp(40000, 80).flags(0x10).payload(10);
        assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), established.build()).returnValue());
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
        long[] counted = new long[2];
        assertTrue(maps.readCounters(SLOT, FastPathMaps.INBOUND, counted));
        assertEquals(1, counted[0], "only the established segment was counted");
    }

    @Test
    void removedFlowsGoBackToTheKernel() throws Exception {
        putNat(6, CLIENT, 40000, VIP, 80, CLIENT, 40000, REAL, 8080, FastPathMaps.INBOUND);
        byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, DIRECTOR_IN_MAC).ipv4("10.0.0.7", "10.0.0.100")
                .tcp(40000, 80).flags(0x10).payload(10).build();
        assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), frame).returnValue());
        assertEquals(1, maps.flowEntries());
        assertEquals(0, maps.remove(6, CLIENT, 40000, VIP, 80));
        assertEquals(0, maps.flowEntries());
        assertPassedUnchanged(frame);
    }

    private void putNat(int protocol, int saddr, int sport, int daddr, int dport, int newSaddr, int newSport,
                        int newDaddr, int newDport, int direction) {
        assertEquals(0, maps.putRewrite(FastPathEntry.KIND_NAT, protocol, saddr, sport, daddr, dport, newSaddr,
                newSport, newDaddr, newDport, SERVER_MAC, DIRECTOR_OUT_MAC, EGRESS, SLOT * 2 + direction));
    }

    private void assertPassedUnchanged(byte[] frame) throws Exception {
        BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), frame);
        assertEquals(BpfAttr.XDP_PASS, out.returnValue(), HexFormat.of().formatHex(frame));
        assertArrayEquals(frame, out.frame());
    }

    private static void assertFrame(byte[] expected, byte[] actual) {
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(actual));
    }

    private static int ip(String dotted) {
        String[] parts = dotted.split("\\.");
        int value = 0;
        for (String part : parts) value = value << 8 | Integer.parseInt(part);
        return value;
    }
}
