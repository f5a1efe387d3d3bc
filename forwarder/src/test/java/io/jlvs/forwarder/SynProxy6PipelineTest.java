package io.jlvs.forwarder;

import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import io.jlvs.packets.TcpOptions;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS2_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.VIP;
import static io.jlvs.forwarder.Ipv6PipelineTest.address;
import static io.jlvs.forwarder.SynProxyPipelineTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SYN proxy on the IPv6 path: the director's SYN-ACK with an IPv6 cookie (the IPv6 MSS table), the server's
 * NAT66 handshake made in the client's name with its options, the two sequence and timestamp spaces joined both
 * ways, forged ACKs and a spoofed flood that leave nothing. Every emitted frame is parsed again and its checksums
 * verified against the IPv6 pseudo-header.
 */
class SynProxy6PipelineTest {
    static final int SYN = Tcp.SYN, ACK = Tcp.ACK, PSH = Tcp.PSH;
    static final int CLIENT_ISN = 1_000_000, SERVER_ISN = 5_000_000, CPORT = 43210;
    final Ipv6PipelineTest h = new Ipv6PipelineTest();

    @BeforeEach
    void setUp() {
        h.setUp();
        h.admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr", "--synproxy");
        h.admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080", "-m");
        h.admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + Ipv6PipelineTest.RS2 + "]:8080", "-m");
    }

    @AfterEach
    void tearDown() { h.tearDown(); }

    static byte[] fromClient(String source, int sport, int seq, int ack, int flags, byte[] opts, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(source, VIP).ttl(64).tcp(sport, 80)
                .seq(seq & 0xFFFF_FFFFL).ack(ack & 0xFFFF_FFFFL).flags(flags).window(502).tcpOptions(opts)
                .payload(new byte[payload]).build();
    }

    static byte[] fromClient(int seq, int ack, int flags, byte[] opts, int payload) {
        return fromClient(CLIENT, CPORT, seq, ack, flags, opts, payload);
    }

    static byte[] fromServer(String rs, long rsMac, int seq, int ack, int flags, int window, byte[] opts,
                             int payload) {
        return PacketBuilder.ethernet(rsMac, DIR_SERVER_MAC).ipv6(rs, CLIENT).ttl(64).tcp(8080, CPORT)
                .seq(seq & 0xFFFF_FFFFL).ack(ack & 0xFFFF_FFFFL).flags(flags).window(window).tcpOptions(opts)
                .payload(new byte[payload]).build();
    }

    String connections() {
        StringBuilder out = new StringBuilder();
        new io.jlvs.control.AdmExecutor(h.ipvs).execute(new String[] {"-L", "-n", "-c"}, out, new StringBuilder());
        return out.toString();
    }

    void receive(FakePort on, byte[] frame, int status) {
        h.pipeline.beginBatch(on, System.nanoTime());
        h.pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, status);
    }

    record Segment(FlowDescription flow, MemorySegment seg, TcpOptions options) {
        int seq() { return Layouts.u32(seg, flow.l4Offset + Tcp.SEQ); }
        int ack() { return Layouts.u32(seg, flow.l4Offset + Tcp.ACK_NUMBER); }
        int window() { return Layouts.u16(seg, flow.l4Offset + Tcp.WINDOW); }
        boolean from(String address) {
            long[] a = address(address);
            return flow.srcHi == a[0] && flow.srcLo == a[1];
        }
        boolean to(String address) {
            long[] a = address(address);
            return flow.dstHi == a[0] && flow.dstLo == a[1];
        }
    }

    static Segment only(FakePort port) {
        return segment(port.takeOnly());
    }

    static Segment segment(byte[] bytes) {
        FlowDescription f = Ipv6PipelineTest.parseValid(bytes); // checksums over the IPv6 pseudo-header
        assertEquals(6, f.ipVersion);
        MemorySegment seg = MemorySegment.ofArray(bytes);
        TcpOptions o = new TcpOptions();
        assertTrue(o.parse(seg, f.l4Offset, (int) (f.payloadOffset - f.l4Offset)));
        return new Segment(f, seg, o);
    }

    /** The handshake with the director and the server: the cookie, the director's timestamp, the server chosen. */
    record Opened(int cookie, int directorTs, String rs, long rsMac) {}

    Opened openAndSplice(int serverScale) {
        receive(h.clientSide, fromClient(CLIENT_ISN, 0, SYN, options(1440, true, true, 1000, 0, 7), 0), 0);
        Segment synAck = only(h.clientSide);
        int cookie = synAck.seq(), directorTs = synAck.options().tsVal;
        receive(h.clientSide, fromClient(CLIENT_ISN + 1, cookie + 1, ACK,
                options(-1, false, true, 1001, directorTs, -1), 0), 0);
        Segment serverSyn = only(h.serverSide);
        String rs = serverSyn.to(RS1) ? RS1 : Ipv6PipelineTest.RS2;
        long rsMac = rs.equals(RS1) ? RS1_MAC : RS2_MAC;
        receive(h.serverSide, fromServer(rs, rsMac, SERVER_ISN, CLIENT_ISN + 1, SYN | ACK, 29200,
                options(1440, true, true, 90_000, 1001, serverScale), 0), 0);
        Segment serverAck = only(h.serverSide);
        assertEquals(ACK, serverAck.flow().tcpFlags);
        return new Opened(cookie, directorTs, rs, rsMac);
    }

    @Test
    void aSynIsAnsweredWithACookieSynAckFromTheVipAndCreatesNothing() {
        receive(h.clientSide, fromClient(CLIENT_ISN, 0, SYN, options(1440, true, true, 1000, 0, 7), 0), 0);

        Segment synAck = only(h.clientSide);
        assertEquals(0, h.serverSide.sent.size(), "no server saw the SYN");
        assertEquals(0, h.plane.connections().size(), "nothing in the table");
        assertEquals(SYN | ACK, synAck.flow().tcpFlags);
        assertTrue(synAck.from(VIP) && synAck.to(CLIENT), "from the VIP to the client");
        assertEquals(80, synAck.flow().srcPort);
        assertEquals(CPORT, synAck.flow().dstPort);
        assertEquals(CLIENT_MAC, Layouts.mac(synAck.seg(), 0), "back to the client's MAC");
        assertEquals(CLIENT_ISN + 1, synAck.ack());
        assertEquals(SynProxy.DIRECTOR_MSS6, synAck.options().mss, "a 1500-byte link's IPv6 MSS");
        assertEquals(SynProxy.DIRECTOR_WINDOW_SCALE, synAck.options().windowScale);
        assertTrue(synAck.options().sackPermitted);
        assertEquals(1000, synAck.options().tsEcr);
        int ts = synAck.options().tsVal;
        assertEquals(7, SynCookies.windowScale(ts), "the client's window scale rides in the timestamp");
        assertTrue(SynCookies.sackPermitted(ts));
        long[] client = address(CLIENT), vip = address(VIP);
        int index = h.plane.synCookies().check6(synAck.seq(), client[0], client[1], vip[0], vip[1], CPORT, 80,
                CLIENT_ISN, SynCookies.minute(System.currentTimeMillis()));
        assertEquals(2, index, "the cookie carries 1440, the IPv6 table's third MSS");
        assertEquals(1, h.drops.get(DropReason.SYNPROXY_SYN));
    }

    @Test
    void aValidAckOpensTheConnectionToTheServerWithTheClientsOptions() {
        receive(h.clientSide, fromClient(CLIENT_ISN, 0, SYN, options(9000, true, true, 1000, 0, 9), 0), 0);
        Segment synAck = only(h.clientSide);
        int cookie = synAck.seq(), directorTs = synAck.options().tsVal;

        receive(h.clientSide, fromClient(CLIENT_ISN + 1, cookie + 1, ACK,
                options(-1, false, true, 1001, directorTs, -1), 0), 0);

        Segment serverSyn = only(h.serverSide);
        assertEquals(0, h.clientSide.sent.size());
        assertEquals(1, h.plane.connections().size());
        assertEquals(SYN, serverSyn.flow().tcpFlags);
        assertTrue(serverSyn.from(CLIENT), "in the client's name");
        assertTrue(serverSyn.to(RS1) || serverSyn.to(Ipv6PipelineTest.RS2));
        assertEquals(CPORT, serverSyn.flow().srcPort);
        assertEquals(8080, serverSyn.flow().dstPort);
        assertEquals(CLIENT_ISN, serverSyn.seq(), "the client's own ISN");
        assertEquals(8940, serverSyn.options().mss, "9000 offered: the IPv6 table's largest, 9000 less 60");
        assertEquals(9, serverSyn.options().windowScale);
        assertTrue(serverSyn.options().sackPermitted);
        assertEquals(1001, serverSyn.options().tsVal);
        long toMac = Layouts.mac(serverSyn.seg(), 0);
        assertTrue(toMac == RS1_MAC || toMac == RS2_MAC, "to a real server's MAC");
        assertEquals(DIR_SERVER_MAC, Layouts.mac(serverSyn.seg(), 6), "from the director's server side");
        assertTrue(connections().contains("SYN_RECV"), connections());
    }

    @Test
    void aForgedAckIsCountedAndDroppedAndTheRealHandshakeStillWorks() {
        receive(h.clientSide, fromClient(CLIENT_ISN + 1, 0x1234_5678, ACK, new byte[0], 0), 0);
        assertEquals(0, h.clientSide.sent.size());
        assertEquals(0, h.serverSide.sent.size());
        assertEquals(0, h.plane.connections().size());
        assertEquals(1, h.drops.get(DropReason.SYNPROXY_BAD_ACK));

        // An IPv4 cookie for the same ports and the addresses' low words is no IPv6 cookie.
        receive(h.clientSide, fromClient(CLIENT_ISN, 0, SYN, new byte[0], 0), 0);
        int cookie = only(h.clientSide).seq();
        receive(h.clientSide, fromClient("fd00:1::3", CPORT, CLIENT_ISN + 1, cookie + 1, ACK, new byte[0], 0), 0);
        assertEquals(2, h.drops.get(DropReason.SYNPROXY_BAD_ACK), "another client's address");
        assertEquals(0, h.serverSide.sent.size());

        receive(h.clientSide, fromClient(CLIENT_ISN + 1, cookie + 1, ACK, new byte[0], 0), 0);
        Segment serverSyn = only(h.serverSide);
        assertEquals(1220, serverSyn.options().mss, "no MSS offered: the IPv6 table's smallest");
        assertEquals(-1, serverSyn.options().timestampAt, "no timestamps, so no window scale or SACK either");
        assertEquals(2, h.drops.get(DropReason.SYNPROXY_BAD_ACK));
    }

    @Test
    void aSpoofedFloodGetsCookiesAndLeavesTheTableEmpty() {
        for (int i = 0; i < 200; i++) {
            receive(h.clientSide, fromClient("fd00:9::" + Integer.toHexString(i + 1), 1024 + i, i, 0, SYN,
                    new byte[0], 0), 0);
        }
        assertEquals(200, h.clientSide.sent.size(), "every SYN answered");
        for (byte[] answer : h.clientSide.sent) {
            FlowDescription f = Ipv6PipelineTest.parseValid(answer);
            assertEquals(SYN | ACK, f.tcpFlags);
        }
        assertEquals(0, h.serverSide.sent.size(), "no server saw anything");
        assertEquals(0, h.plane.connections().size(), "the table stays empty");
        assertEquals(200, h.drops.get(DropReason.SYNPROXY_SYN));
    }

    @Test
    void sequenceNumbersTimestampsAndWindowsAreShiftedBothWays() {
        Opened o = openAndSplice(2);
        assertTrue(connections().contains("ESTABLISHED"), connections());

        // Client data: its acknowledgement and echoed timestamp move into the server's spaces; NAT66 to the server.
        receive(h.clientSide, fromClient(CLIENT_ISN + 1, o.cookie() + 1, ACK | PSH,
                options(-1, false, true, 1002, o.directorTs(), -1), 5), 0);
        Segment toServer = only(h.serverSide);
        assertTrue(toServer.to(o.rs()) && toServer.from(CLIENT));
        assertEquals(8080, toServer.flow().dstPort);
        assertEquals(CLIENT_ISN + 1, toServer.seq());
        assertEquals(SERVER_ISN + 1, toServer.ack());
        assertEquals(90_000, toServer.options().tsEcr);
        assertEquals(1002, toServer.options().tsVal);

        // Server data: its sequence number and clock move into the client's, its window to scale 7; from the VIP.
        receive(h.serverSide, fromServer(o.rs(), o.rsMac(), SERVER_ISN + 1, CLIENT_ISN + 6, ACK | PSH, 1000,
                options(-1, false, true, 90_001, 1002, -1), 7), 0);
        Segment toClient = only(h.clientSide);
        assertTrue(toClient.from(VIP) && toClient.to(CLIENT));
        assertEquals(80, toClient.flow().srcPort);
        assertEquals(o.cookie() + 1, toClient.seq());
        assertEquals(CLIENT_ISN + 6, toClient.ack());
        assertEquals(o.directorTs() + 1, toClient.options().tsVal);
        assertEquals(1000 >> 5, toClient.window(), "1000 at scale 2 is 31 at scale 7");
    }

    @Test
    void aFragmentedSegmentIsSplicedInItsFirstFragmentBothWays() {
        Opened o = openAndSplice(2);
        byte[] request = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(CPORT, 80)
                .seq(CLIENT_ISN + 1).ack((o.cookie() + 1) & 0xFFFF_FFFFL).flags(ACK | PSH).window(502)
                .tcpOptions(options(-1, false, true, 1002, o.directorTs(), -1))
                .payload(FragmentPipelineTest.pattern(1000)).build();
        byte[] toServer = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(h.pipeline, h.clientSide,
                h.serverSide, request, 2, 0, 1);
        Segment s = segment(toServer);
        assertTrue(s.to(o.rs()) && s.from(CLIENT));
        assertEquals(CLIENT_ISN + 1, s.seq());
        assertEquals(SERVER_ISN + 1, s.ack(), "the acknowledgement moved into the server's space");
        assertEquals(90_000, s.options().tsEcr, "and the echoed timestamp into the server's clock");

        byte[] answer = PacketBuilder.ethernet(o.rsMac(), DIR_SERVER_MAC).ipv6(o.rs(), CLIENT).ttl(64).tcp(8080, CPORT)
                .seq(SERVER_ISN + 1).ack(CLIENT_ISN + 1001).flags(ACK | PSH).window(1000)
                .tcpOptions(options(-1, false, true, 90_001, 1002, -1))
                .payload(FragmentPipelineTest.pattern(600)).build();
        byte[] toClient = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(h.pipeline, h.serverSide,
                h.clientSide, answer, 1, 0);
        Segment c = segment(toClient);
        assertTrue(c.from(VIP) && c.to(CLIENT));
        assertEquals(o.cookie() + 1, c.seq(), "the sequence number moved into the client's space");
        assertEquals(o.directorTs() + 1, c.options().tsVal);
        assertEquals(1000 >> 5, c.window(), "1000 at scale 2 is 31 at scale 7");
        assertEquals(0, h.pipeline.fragments().datagrams());
    }

    @Test
    void aPartialChecksumIsCompletedOverTheShiftedSegment() {
        Opened o = openAndSplice(7);
        byte[] partial = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(CPORT, 80)
                .seq(CLIENT_ISN + 1).ack((o.cookie() + 1) & 0xFFFF_FFFFL).flags(ACK | PSH).window(502)
                .tcpOptions(options(-1, false, true, 1003, o.directorTs(), -1)).payload(new byte[9])
                .partialChecksum().build();
        receive(h.clientSide, partial, PacketPort.CSUM_PARTIAL);
        Segment toServer = only(h.serverSide); // verified in full by parseValid
        assertEquals(SERVER_ISN + 1, toServer.ack());
        assertTrue(Checksums.verify(toServer.seg(), toServer.flow()));
    }

    @Test
    void aRequestThatBeatsTheServersAnswerIsHeldAndDeliveredOnceSpliced() {
        receive(h.clientSide, fromClient(CLIENT_ISN, 0, SYN, options(1440, true, true, 1000, 0, 7), 0), 0);
        Segment synAck = only(h.clientSide);
        int cookie = synAck.seq(), directorTs = synAck.options().tsVal;
        receive(h.clientSide, fromClient(CLIENT_ISN + 1, cookie + 1, ACK,
                options(-1, false, true, 1001, directorTs, -1), 0), 0);
        Segment serverSyn = only(h.serverSide);
        String rs = serverSyn.to(RS1) ? RS1 : Ipv6PipelineTest.RS2;
        long rsMac = rs.equals(RS1) ? RS1_MAC : RS2_MAC;

        receive(h.clientSide, fromClient(CLIENT_ISN + 1, cookie + 1, ACK | PSH,
                options(-1, false, true, 1002, directorTs, -1), 40), 0);
        assertEquals(0, h.serverSide.sent.size(), "held");
        assertTrue(h.pipeline.hasPending());

        receive(h.serverSide, fromServer(rs, rsMac, SERVER_ISN, CLIENT_ISN + 1, SYN | ACK, 29200,
                options(1440, true, true, 90_000, 1001, 7), 0), 0);
        assertEquals(ACK, only(h.serverSide).flow().tcpFlags);
        h.pipeline.retryPending(System.nanoTime());
        Segment request = only(h.serverSide);
        assertTrue(request.to(rs));
        assertEquals(SERVER_ISN + 1, request.ack());
        assertEquals(90_000, request.options().tsEcr);
        assertFalse(h.pipeline.hasPending());
        assertEquals(0, h.drops.get(DropReason.SYNPROXY_OPENING));
    }

    @Test
    void aConnectionScheduledToADirectRoutingServerIsDroppedAsUnsupported() {
        h.admOk("-A", "-t", "[" + VIP + "]:81", "-s", "rr", "--synproxy");
        h.admOk("-a", "-t", "[" + VIP + "]:81", "-r", "[" + Ipv6PipelineTest.DR1 + "]:81", "-g");
        byte[] syn = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(CPORT, 81)
                .seq(CLIENT_ISN).flags(SYN).build();
        receive(h.clientSide, syn, 0);
        int cookie = only(h.clientSide).seq();
        byte[] ack = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(CPORT, 81)
                .seq(CLIENT_ISN + 1).ack((cookie + 1) & 0xFFFF_FFFFL).flags(ACK).build();
        receive(h.clientSide, ack, 0);
        assertEquals(0, h.clientSide.sent.size());
        assertEquals(0, h.plane.connections().size());
        assertEquals(1, h.drops.get(DropReason.UNSUPPORTED), "the server's replies would not pass the director");
    }

    @Test
    void answeringSynsAndSplicingAllocatesNothing() {
        FakePort.Counting clientIn = new FakePort.Counting("cli0", 1, DIR_CLIENT_MAC);
        FakePort.Counting serverOut = new FakePort.Counting("srv0", 2, DIR_SERVER_MAC);
        PacketPipeline quiet = new PacketPipeline(h.plane, new WorkerPorts(new PacketPort[] {clientIn, serverOut}),
                h.drops);
        byte[] syn = fromClient(CLIENT_ISN, 0, SYN, options(1440, true, true, 1000, 0, 7), 0);
        MemorySegment seg = MemorySegment.ofArray(syn.clone());
        long answering = Allocations.steadyStateBytes(100_000, i -> {
            MemorySegment.copy(syn, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, syn.length);
            quiet.beginBatch(clientIn, System.nanoTime());
            quiet.onFrame(seg, 0, syn.length, 0);
        });
        assertTrue(answering < 4096, "allocated " + answering + " bytes for 100k SYNs answered");
        assertEquals(0, h.plane.connections().size());
        assertTrue(clientIn.count >= 100_000, "every SYN answered");

        Opened o = openAndSplice(7); // through the recording ports: the handshake, then spliced data
        byte[] data = fromClient(CLIENT_ISN + 1, o.cookie() + 1, ACK | PSH,
                options(-1, false, true, 1002, o.directorTs(), -1), 5);
        MemorySegment dseg = MemorySegment.ofArray(data.clone());
        long spliced = Allocations.steadyStateBytes(100_000, i -> {
            MemorySegment.copy(data, 0, dseg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            quiet.beginBatch(clientIn, System.nanoTime());
            quiet.onFrame(dseg, 0, data.length, 0);
        });
        assertTrue(spliced < 4096, "allocated " + spliced + " bytes for 100k spliced segments");
        assertTrue(serverOut.count >= 100_000, "every spliced segment forwarded");
    }
}
