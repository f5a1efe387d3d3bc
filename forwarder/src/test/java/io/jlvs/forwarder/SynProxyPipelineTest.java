package io.jlvs.forwarder;

import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import io.jlvs.packets.TcpOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SYN proxy on the per-frame path: the director's SYN-ACK with a cookie, the server's handshake made in the
 * client's name with its options, the two sequence and timestamp spaces joined, and a flood that leaves nothing.
 */
class SynProxyPipelineTest {
    static final int SYN = Tcp.SYN, ACK = Tcp.ACK, PSH = Tcp.PSH;
    static final int CLIENT_ISN = 1_000_000, SERVER_ISN = 5_000_000, CPORT = 43210;
    final PipelineTest h = new PipelineTest();

    @BeforeEach
    void setUp() {
        h.setUp();
        h.natService("rr");
        h.plane.ensureSynProxyStates();
        for (RuntimeService s : h.ipvs.runningServices()) s.synproxy = true;
    }

    @AfterEach
    void tearDown() { h.tearDown(); }

    static byte[] options(int mss, boolean sack, boolean ts, int tsVal, int tsEcr, int scale) {
        MemorySegment o = MemorySegment.ofArray(new byte[20]);
        int n = TcpOptions.writeSyn(o, 0, mss, sack, ts, tsVal, tsEcr, scale);
        return o.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    byte[] fromClient(int sport, int seq, int ack, int flags, byte[] opts, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).tcp(sport, 80)
                .seq(seq & 0xFFFF_FFFFL).ack(ack & 0xFFFF_FFFFL).flags(flags).window(502).tcpOptions(opts)
                .payload(new byte[payload]).build();
    }

    byte[] fromServer(String rs, long rsMac, int seq, int ack, int flags, int window, byte[] opts, int payload) {
        return PacketBuilder.ethernet(rsMac, DIR_SERVER_MAC).ipv4(rs, CLIENT).ttl(64).tcp(8080, CPORT)
                .seq(seq & 0xFFFF_FFFFL).ack(ack & 0xFFFF_FFFFL).flags(flags).window(window).tcpOptions(opts)
                .payload(new byte[payload]).build();
    }

    record Segment(FlowDescription flow, MemorySegment seg, TcpOptions options) {
        int seq() { return Layouts.u32(seg, flow.l4Offset + Tcp.SEQ); }
        int ack() { return Layouts.u32(seg, flow.l4Offset + Tcp.ACK_NUMBER); }
        int window() { return Layouts.u16(seg, flow.l4Offset + Tcp.WINDOW); }
    }

    static Segment only(FakePort port) {
        return segment(port.takeOnly());
    }

    static Segment segment(byte[] bytes) {
        FlowDescription f = PipelineTest.parseValid(bytes);
        MemorySegment seg = MemorySegment.ofArray(bytes);
        assertTrue(Checksums.verify(seg, f), "checksums");
        TcpOptions o = new TcpOptions();
        assertTrue(o.parse(seg, f.l4Offset, (int) (f.payloadOffset - f.l4Offset)));
        return new Segment(f, seg, o);
    }

    /** The handshake with the director and the server: the cookie, the director's timestamp, the server chosen. */
    record Opened(int cookie, int directorTs, String rs, long rsMac) {}

    /** Steps 1 and 2 of {@link #theWholeConnectionThroughTheProxy}, the client at scale 7: the server's SYN sent. */
    Opened openWithDirector() {
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN, 0, SYN, options(1460, true, true, 1000, 0, 7), 0), 0);
        Segment synAck = only(h.clientSide);
        int cookie = synAck.seq(), directorTs = synAck.options().tsVal;
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK,
                options(-1, false, true, 1001, directorTs, -1), 0), 0);
        Segment serverSyn = only(h.serverSide);
        assertEquals(SYN, serverSyn.flow().tcpFlags);
        String rs = serverSyn.flow().dstV4() == v4(PipelineTest.RS1) ? PipelineTest.RS1 : PipelineTest.RS2;
        long rsMac = rs.equals(PipelineTest.RS1) ? PipelineTest.RS1_MAC : PipelineTest.RS2_MAC;
        return new Opened(cookie, directorTs, rs, rsMac);
    }

    /** Then step 3: the server answers at scale 2, and the connection is spliced. */
    Opened openAndSplice() {
        Opened o = openWithDirector();
        h.receive(h.serverSide, fromServer(o.rs(), o.rsMac(), SERVER_ISN, CLIENT_ISN + 1, SYN | ACK, 29200,
                options(1460, true, true, 90_000, 1001, 2), 0), 0);
        assertEquals(ACK, only(h.serverSide).flow().tcpFlags, "the director's ACK to the server");
        return o;
    }

    /** A client's segment with {@code payload} bytes of a pattern, in an IPv4 datagram of the identification given. */
    static byte[] clientData(int identification, int seq, int ack, int directorTs, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).dontFragment(false)
                .identification(identification).tcp(CPORT, 80).seq(seq & 0xFFFF_FFFFL).ack(ack & 0xFFFF_FFFFL)
                .flags(ACK | PSH).window(502).tcpOptions(options(-1, false, true, 1002, directorTs, -1))
                .payload(FragmentPipelineTest.pattern(payload)).build();
    }

    @Test
    void aFragmentedSegmentIsSplicedInItsFirstFragmentBothWays() {
        Opened o = openAndSplice();
        byte[] request = clientData(0x2345, CLIENT_ISN + 1, o.cookie() + 1, o.directorTs(), 1000);
        byte[] toServer = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(h.pipeline, h.clientSide,
                h.serverSide, request, 1, 0, 2);
        Segment s = segment(toServer);
        assertEquals(CLIENT_ISN + 1, s.seq());
        assertEquals(SERVER_ISN + 1, s.ack(), "the acknowledgement moved into the server's space");
        assertEquals(90_000, s.options().tsEcr, "and the echoed timestamp into the server's clock");
        assertEquals(v4(o.rs()), s.flow().dstV4());

        byte[] answer = PacketBuilder.ethernet(o.rsMac(), DIR_SERVER_MAC).ipv4(o.rs(), CLIENT).ttl(64)
                .dontFragment(false).identification(0x3456).tcp(8080, CPORT).seq(SERVER_ISN + 1).ack(CLIENT_ISN + 1001)
                .flags(ACK | PSH).window(1000).tcpOptions(options(-1, false, true, 90_001, 1002, -1))
                .payload(FragmentPipelineTest.pattern(600)).build();
        byte[] toClient = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(h.pipeline, h.serverSide,
                h.clientSide, answer, 0, 1);
        Segment c = segment(toClient);
        assertEquals(v4(VIP), c.flow().srcV4());
        assertEquals(80, c.flow().srcPort);
        assertEquals(o.cookie() + 1, c.seq(), "the sequence number moved into the client's space");
        assertEquals(o.directorTs() + 1, c.options().tsVal);
        assertEquals(1000 >> 5, c.window(), "1000 at scale 2 is 31 at scale 7");
        assertEquals(0, h.pipeline.fragments().datagrams());
    }

    @Test
    void aFragmentedRequestBeforeTheServersAnswerGoesNoFurtherNorDoItsLaterFragments() {
        Opened o = openWithDirector();
        java.util.List<byte[]> fragments = IpFragmenting.split(
                clientData(0x4567, CLIENT_ISN + 1, o.cookie() + 1, o.directorTs(), 3000), FragmentPipelineTest.CHUNK,
                0x4567);
        FragmentPipelineTest.receiveInOrder(h.pipeline, h.clientSide, fragments, 1, 0, 2);
        assertEquals(SYN, only(h.serverSide).flow().tcpFlags, "the server's SYN again, and nothing of the request");
        assertEquals(1, h.drops.get(DropReason.SYNPROXY_OPENING), "the first fragment: not held");
        assertEquals(2, h.drops.get(DropReason.FRAGMENT), "the later ones, held or not, with it");
        assertEquals(0, h.pipeline.fragments().datagrams());
        assertEquals(0, h.pipeline.fragments().heldFrames());
    }

    @Test
    void theSynAcksMssFollowsTheMtuThePortOfTheSynHasNow() {
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN, 0, SYN, options(1460, true, true, 1000, 0, 7), 0), 0);
        assertEquals(1460, only(h.clientSide).options().mss, "a 1500-byte link");

        h.clientSide.followMtu(1400);
        h.receive(h.clientSide, fromClient(CPORT + 1, CLIENT_ISN, 0, SYN, options(1460, true, true, 1000, 0, 7), 0),
                0);
        assertEquals(1400 - 40, only(h.clientSide).options().mss, "the link lowered to 1400 while running");
    }

    @Test
    void theWholeConnectionThroughTheProxy() {
        // 1. The client's SYN: the director answers, nothing reaches a server, nothing is in the table.
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN, 0, SYN, options(1460, true, true, 1000, 0, 7), 0), 0);
        Segment synAck = only(h.clientSide);
        assertEquals(0, h.serverSide.sent.size());
        assertEquals(0, h.plane.connections().size());
        assertEquals(SYN | ACK, synAck.flow().tcpFlags);
        assertEquals(v4(VIP), synAck.flow().srcV4());
        assertEquals(CLIENT_ISN + 1, synAck.ack());
        assertEquals(1000, synAck.options().tsEcr);
        assertEquals(7, synAck.options().windowScale);
        assertTrue(synAck.options().sackPermitted);
        int cookie = synAck.seq(), directorTs = synAck.options().tsVal;

        // 2. The client's ACK returns the cookie: the server gets a SYN with the client's ISN and options.
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK,
                options(-1, false, true, 1001, directorTs, -1), 0), 0);
        Segment serverSyn = only(h.serverSide);
        assertEquals(0, h.clientSide.sent.size());
        assertEquals(1, h.plane.connections().size());
        assertEquals(SYN, serverSyn.flow().tcpFlags);
        assertEquals(v4(CLIENT), serverSyn.flow().srcV4());
        assertEquals(CPORT, serverSyn.flow().srcPort);
        assertEquals(8080, serverSyn.flow().dstPort);
        assertEquals(CLIENT_ISN, serverSyn.seq());
        assertEquals(1460, serverSyn.options().mss);
        assertEquals(7, serverSyn.options().windowScale);
        assertTrue(serverSyn.options().sackPermitted);
        assertEquals(1001, serverSyn.options().tsVal);
        String rs = serverSyn.flow().dstV4() == v4(PipelineTest.RS1) ? PipelineTest.RS1 : PipelineTest.RS2;
        long rsMac = rs.equals(PipelineTest.RS1) ? PipelineTest.RS1_MAC : PipelineTest.RS2_MAC;

        // 3. The server's SYN-ACK: the director completes the server's handshake; the client sees nothing.
        h.receive(h.serverSide, fromServer(rs, rsMac, SERVER_ISN, CLIENT_ISN + 1, SYN | ACK, 29200,
                options(1460, true, true, 90_000, 1001, 2), 0), 0);
        Segment serverAck = only(h.serverSide);
        assertEquals(0, h.clientSide.sent.size());
        assertEquals(ACK, serverAck.flow().tcpFlags);
        assertEquals(CLIENT_ISN + 1, serverAck.seq());
        assertEquals(SERVER_ISN + 1, serverAck.ack());
        assertEquals(90_000, serverAck.options().tsEcr);
        assertTrue(h.adm("-L", "-n", "-c").contains("ESTABLISHED"), h.adm("-L", "-n", "-c"));

        // 4. Client data: its acknowledgement and echoed timestamp move into the server's spaces.
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK | PSH,
                options(-1, false, true, 1002, directorTs, -1), 5), 0);
        Segment toServer = only(h.serverSide);
        assertEquals(CLIENT_ISN + 1, toServer.seq());
        assertEquals(SERVER_ISN + 1, toServer.ack());
        assertEquals(90_000, toServer.options().tsEcr);
        assertEquals(1002, toServer.options().tsVal);

        // 5. Server data: its sequence number and clock move into the client's, its window to scale 7.
        h.receive(h.serverSide, fromServer(rs, rsMac, SERVER_ISN + 1, CLIENT_ISN + 6, ACK | PSH, 1000,
                options(-1, false, true, 90_001, 1002, -1), 7), 0);
        Segment toClient = only(h.clientSide);
        assertEquals(v4(VIP), toClient.flow().srcV4());
        assertEquals(80, toClient.flow().srcPort);
        assertEquals(cookie + 1, toClient.seq());
        assertEquals(CLIENT_ISN + 6, toClient.ack());
        assertEquals(directorTs + 1, toClient.options().tsVal);
        assertEquals(1000 >> 5, toClient.window(), "1000 at scale 2 is 31 at scale 7");
    }

    @Test
    void aSpoofedFloodGetsCookiesAndLeavesNothingBehind() {
        for (int i = 0; i < 200; i++) {
            String source = "198.51." + (i / 250) + "." + (1 + i % 250);
            h.receive(h.clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(source, VIP).ttl(64)
                    .tcp(1024 + i, 80).seq(i).flags(SYN).build(), 0);
        }
        assertEquals(200, h.clientSide.sent.size(), "every SYN answered");
        assertEquals(0, h.serverSide.sent.size(), "no server saw anything");
        assertEquals(0, h.plane.connections().size(), "the table stays empty");
        assertEquals(200, h.drops.get(DropReason.SYNPROXY_SYN));
    }

    @Test
    void anAckWithoutAValidCookieIsDroppedAndCounted() {
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN + 1, 0x1234_5678, ACK, new byte[0], 0), 0);
        assertEquals(0, h.clientSide.sent.size());
        assertEquals(0, h.serverSide.sent.size());
        assertEquals(0, h.plane.connections().size());
        assertEquals(1, h.drops.get(DropReason.SYNPROXY_BAD_ACK));
        // The same flow's real handshake still works: the check costs nothing that a good ACK needs.
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN, 0, SYN, new byte[0], 0), 0);
        int cookie = only(h.clientSide).seq();
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK, new byte[0], 0), 0);
        Segment serverSyn = only(h.serverSide);
        assertEquals(536, serverSyn.options().mss, "no MSS offered: the smallest of the table");
        assertEquals(-1, serverSyn.options().timestampAt, "no timestamps, so no window scale or SACK either");
    }

    @Test
    void aSplicedConnectionWhoseRecordThisDaemonLacksIsDroppedAndCounted() {
        // As after a restart: the entry says the proxy opened it, but the splice's deltas were in the old memory.
        RuntimeService service = h.ipvs.runningServices().getFirst();
        RuntimeDest dest = service.dests().getFirst();
        io.jlvs.connections.ConnectionParam p = new io.jlvs.connections.ConnectionParam()
                .protocol(6).client(0, io.jlvs.control.model.Addresses.mappedLo(v4(CLIENT)), CPORT)
                .virtual(0, io.jlvs.control.model.Addresses.mappedLo(v4(VIP)), 80)
                .real(0, io.jlvs.control.model.Addresses.mappedLo(dest.addressV4()), 8080)
                .binding(service.id, dest.server.id(), ConnFlags.MASQ | ConnFlags.SPLICED);
        assertTrue(h.plane.connections().restore(p, io.jlvs.connections.TcpState.ESTABLISHED,
                System.nanoTime() + 60_000_000_000L) >= 0);
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN + 1, 77, ACK | PSH, new byte[0], 5), 0);
        assertEquals(0, h.serverSide.sent.size(), "not forwarded with deltas it does not have");
        assertEquals(1, h.drops.get(DropReason.SYNPROXY_LOST));
    }

    @Test
    void aRequestThatBeatsTheServersAnswerIsHeldAndDeliveredOnceSpliced() {
        Opened o = openWithDirector();
        int cookie = o.cookie(), directorTs = o.directorTs();
        String rs = o.rs();
        long rsMac = o.rsMac();

        // The request, before the server has answered: held, nothing sent, nothing dropped.
        h.receive(h.clientSide, fromClient(CPORT, CLIENT_ISN + 1, cookie + 1, ACK | PSH,
                options(-1, false, true, 1002, directorTs, -1), 40), 0);
        assertEquals(0, h.serverSide.sent.size());
        assertEquals(0, h.drops.get(DropReason.SYNPROXY_OPENING));
        assertTrue(h.pipeline.hasPending(), "the worker keeps polling while it holds a segment");

        // The server answers: the director's ACK, then on the next round the held request, spliced.
        h.receive(h.serverSide, fromServer(rs, rsMac, SERVER_ISN, CLIENT_ISN + 1, SYN | ACK, 29200,
                options(1460, true, true, 90_000, 1001, 7), 0), 0);
        assertEquals(ACK, only(h.serverSide).flow().tcpFlags);
        h.pipeline.retryPending(System.nanoTime());
        Segment request = only(h.serverSide);
        assertEquals(CLIENT_ISN + 1, request.seq());
        assertEquals(SERVER_ISN + 1, request.ack());
        assertEquals(90_000, request.options().tsEcr);
        assertEquals(40, request.flow().l4Length - (int) (request.flow().payloadOffset - request.flow().l4Offset));
        assertTrue(!h.pipeline.hasPending());
        assertEquals(0, h.drops.get(DropReason.SYNPROXY_OPENING));
    }
}
