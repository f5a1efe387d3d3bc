package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.EnumSet;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FullNAT on the per-frame path: both endpoints rewritten, replies found by the local port, the PROXY v2 header. */
class FullNatPipelineTest {
    static final String LADDR = "172.16.0.50";
    static final int SYN = Tcp.SYN, ACK = Tcp.ACK;

    FakePort clientSide = new FakePort("cli0", 1, DIR_CLIENT_MAC);
    FakePort serverSide = new FakePort("srv0", 2, DIR_SERVER_MAC);
    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;
    DropCounters drops = new DropCounters();

    @BeforeEach
    void setUp() {
        PipelineTest.FixedNextHops hops = new PipelineTest.FixedNextHops();
        hops.table.put(v4(CLIENT), new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
        hops.table.put(v4(RS1), new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, v4("172.16.0.1"), 0));
        hops.freeze();
        plane = new DataPlane(4096, hops);
        ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ, ForwardMethod.FULLNAT), null);
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @AfterEach
    void tearDown() { plane.connections().close(); }

    void adm(String... argv) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        assertEquals(0, new AdmExecutor(ipvs).execute(argv, out, err), () -> String.join(" ", argv) + ": " + err);
    }

    void fullNatService(boolean proxyProtocol) {
        adm("-A", "-t", VIP + ":80", "-s", "rr", "--laddr", LADDR);
        if (proxyProtocol) adm("-a", "-t", VIP + ":80", "-r", RS1 + ":8080", "--fullnat", "--proxy-protocol");
        else adm("-a", "-t", VIP + ":80", "-r", RS1 + ":8080", "--fullnat");
    }

    byte[] fromClient(int sport, int flags, long seq, long ack, byte[] payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).tcp(sport, 80)
                .flags(flags).seq(seq).ack(ack).payload(payload).build();
    }

    byte[] fromServer(int lport, int flags, long seq, long ack, byte[] payload) {
        return PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64).tcp(8080, lport)
                .flags(flags).seq(seq).ack(ack).payload(payload).build();
    }

    FlowDescription send(FakePort on, byte[] frame, FakePort out, byte[][] emitted) {
        MemorySegment seg = MemorySegment.ofArray(frame.clone());
        pipeline.beginBatch(on, System.nanoTime());
        pipeline.onFrame(seg, 0, frame.length, 0);
        if (out.sent.size() != 1) {
            StringBuilder why = new StringBuilder();
            for (DropReason r : DropReason.values()) if (drops.get(r) > 0) why.append(r).append('=').append(drops.get(r)).append(' ');
            throw new AssertionError("nothing sent; drops: " + why);
        }
        byte[] sent = out.takeOnly();
        if (emitted != null) emitted[0] = sent;
        return parseValid(sent);
    }

    @Test
    void bothEndpointsAreRewrittenAndTheReplyFindsItsConnectionByTheLocalPort() {
        fullNatService(false);
        FlowDescription out = send(clientSide, fromClient(40000, SYN, 1000, 0, new byte[0]), serverSide, null);
        assertEquals(v4(LADDR), out.srcV4(), "source is the local address");
        assertEquals(v4(RS1), out.dstV4());
        assertEquals(8080, out.dstPort);
        int lport = out.srcPort;
        assertTrue(lport >= LocalAddressPorts.FIRST_PORT, "port " + lport);
        FlowDescription back = send(serverSide, fromServer(lport, SYN | ACK, 5000, 1001, new byte[0]), clientSide, null);
        assertEquals(v4(VIP), back.srcV4());
        assertEquals(80, back.srcPort);
        assertEquals(v4(CLIENT), back.dstV4());
        assertEquals(40000, back.dstPort);
        // A second client connection takes another port.
        FlowDescription other = send(clientSide, fromClient(40001, SYN, 7000, 0, new byte[0]), serverSide, null);
        assertTrue(other.srcPort != lport);
        // A packet to the local address on a port no connection holds is counted, not forwarded.
        long before = drops.get(DropReason.NOT_HANDLED);
        pipeline.beginBatch(serverSide, System.nanoTime());
        byte[] stray = fromServer(lport == 65535 ? 1024 : 65535, ACK, 1, 1, new byte[0]);
        pipeline.onFrame(MemorySegment.ofArray(stray), 0, stray.length, 0);
        assertEquals(before + 1, drops.get(DropReason.NOT_HANDLED));
        assertEquals(0, clientSide.sent.size());
    }

    @Test
    void theProxyHeaderOpensTheStreamAndShiftsSequenceAndAcknowledgementNumbers() {
        fullNatService(true);
        byte[] mssOption = {2, 4, 0x05, (byte) 0xB4, 1, 1, 4, 2};
        FlowDescription syn = send(clientSide, fromClient(40000, SYN, 1000, 0, new byte[0]), serverSide, null);
        int lport = syn.srcPort;
        byte[][] frame = new byte[1][];
        byte[] synAck = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64).tcp(8080, lport)
                .flags(SYN | ACK).seq(5000).ack(1001).tcpOptions(mssOption).build();
        FlowDescription toClient = send(serverSide, synAck, clientSide, frame);
        assertEquals(1460 - ProxyHeaderInsertion.IPV4_HEADER_BYTES,
                Layouts.u16(MemorySegment.ofArray(frame[0]), toClient.l4Offset + Tcp.MIN_HEADER_LENGTH + 2),
                "the server's MSS lowered by the header");
        FlowDescription ack = send(clientSide, fromClient(40000, ACK, 1001, 5001, new byte[0]), serverSide, frame);
        assertEquals(1001, seq(frame[0], ack), "the handshake's ACK is unchanged");
        byte[] hello = {'h', 'e', 'l', 'l', 'o'};
        for (int round = 0; round < 2; round++) { // the first segment, then its retransmission
            FlowDescription first = send(clientSide, fromClient(40000, ACK, 1001, 5001, hello), serverSide, frame);
            assertEquals(1001, seq(frame[0], first));
            byte[] payload = Arrays.copyOfRange(frame[0], (int) first.payloadOffset, frame[0].length);
            assertEquals(ProxyHeaderInsertion.IPV4_HEADER_BYTES + hello.length, payload.length);
            byte[] expected = new byte[ProxyHeaderInsertion.IPV4_HEADER_BYTES];
            ProxyHeaderInsertion.write(MemorySegment.ofArray(expected), 0, v4(CLIENT), 40000, v4(VIP), 80);
            assertArrayEquals(expected, Arrays.copyOf(payload, expected.length), "round " + round);
            assertArrayEquals(hello, Arrays.copyOfRange(payload, expected.length, payload.length));
        }
        FlowDescription second = send(clientSide, fromClient(40000, ACK, 1006, 5001, hello), serverSide, frame);
        assertEquals(1006 + ProxyHeaderInsertion.IPV4_HEADER_BYTES, seq(frame[0], second), "later data moved past the header");
        // The server acknowledges both segments and SACKs a later block.
        byte[] sack = {1, 1, 5, 10, 0, 0, 0x04, 0x00, 0, 0, 0x05, 0x00};
        int acked = 1011 + ProxyHeaderInsertion.IPV4_HEADER_BYTES;
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64).tcp(8080, lport)
                .flags(ACK).seq(5001).ack(acked).tcpOptions(sack).build();
        FlowDescription back = send(serverSide, reply, clientSide, frame);
        MemorySegment out = MemorySegment.ofArray(frame[0]);
        assertEquals(1011, Layouts.u32(out, back.l4Offset + Tcp.ACK_NUMBER), "the client sees its own numbers");
        long edges = back.l4Offset + Tcp.MIN_HEADER_LENGTH + 4;
        assertEquals(0x400 - ProxyHeaderInsertion.IPV4_HEADER_BYTES, Layouts.u32(out, edges));
        assertEquals(0x500 - ProxyHeaderInsertion.IPV4_HEADER_BYTES, Layouts.u32(out, edges + 4));
    }

    @Test
    void aFragmentedFirstSegmentFollowsTheHeaderInASegmentOfItsOwnAndLaterOnesAreShiftedInTheirFirstFragment() {
        fullNatService(true);
        int header = ProxyHeaderInsertion.IPV4_HEADER_BYTES;
        int lport = send(clientSide, fromClient(40000, SYN, 1000, 0, new byte[0]), serverSide, null).srcPort;
        send(serverSide, fromServer(lport, SYN | ACK, 5000, 1001, new byte[0]), clientSide, null);
        send(clientSide, fromClient(40000, ACK, 1001, 5001, new byte[0]), serverSide, null);
        // The first data segment, fragmented: the header cannot go into it without moving every later fragment.
        byte[] opening = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64)
                .dontFragment(false).identification(7)
                .tcp(40000, 80).flags(ACK).seq(1001).ack(5001).payload(FragmentPipelineTest.pattern(3000)).build();
        FragmentPipelineTest.receiveInOrder(pipeline, clientSide,
                IpFragmenting.split(opening, FragmentPipelineTest.CHUNK, 7), 2, 0, 1);
        assertEquals(4, serverSide.sent.size(), "the header's own segment, then the three fragments");
        byte[] ahead = serverSide.sent.removeFirst();
        FlowDescription a = parseValid(ahead);
        assertTrue(!a.fragment && a.ttl == 63);
        assertEquals(v4(LADDR), a.srcV4());
        assertEquals(lport, a.srcPort);
        assertEquals(v4(RS1), a.dstV4());
        assertEquals(8080, a.dstPort);
        assertEquals(1001, seq(ahead, a), "the header at the client's first sequence number");
        byte[] expected = new byte[header];
        ProxyHeaderInsertion.write(MemorySegment.ofArray(expected), 0, v4(CLIENT), 40000, v4(VIP), 80);
        assertArrayEquals(expected, FragmentPipelineTest.payloadOf(ahead, a));
        byte[][] datagram = new byte[1][];
        FlowDescription data = FragmentPipelineTest.whole(serverSide.sent, datagram);
        serverSide.sent.clear();
        assertEquals(1001 + header, seq(datagram[0], data), "the data right after the header");
        assertArrayEquals(FragmentPipelineTest.pattern(3000), FragmentPipelineTest.payloadOf(datagram[0], data));
        // The server acknowledges it all in a fragmented segment: moved back below the header.
        byte[] answer = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64)
                .dontFragment(false).identification(9)
                .tcp(8080, lport).flags(ACK).seq(5001).ack(4001 + header).payload(FragmentPipelineTest.pattern(600))
                .build();
        byte[] toClient = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(pipeline, serverSide, clientSide,
                answer, 1, 0);
        FlowDescription back = parseValid(toClient);
        assertEquals(v4(VIP), back.srcV4());
        assertEquals(4001, Layouts.u32(MemorySegment.ofArray(toClient), back.l4Offset + Tcp.ACK_NUMBER));
        // A later fragmented segment: shifted past the header in its first fragment.
        byte[] later = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64)
                .dontFragment(false).identification(8)
                .tcp(40000, 80).flags(ACK).seq(4001).ack(5601).payload(FragmentPipelineTest.pattern(1000)).build();
        byte[] toServer = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(pipeline, clientSide, serverSide,
                later, 1, 2, 0);
        assertEquals(4001 + header, seq(toServer, parseValid(toServer)), "moved past the header");
        assertEquals(0, drops.get(DropReason.FRAGMENT));
    }

    @Test
    void aSegmentWhoseChecksumTheSenderLeftPartialIsShiftedPastTheHeaderWithAValidChecksum() {
        fullNatService(true);
        int lport = send(clientSide, fromClient(40000, SYN, 1000, 0, new byte[0]), serverSide, null).srcPort;
        send(serverSide, fromServer(lport, SYN | ACK, 5000, 1001, new byte[0]), clientSide, null);
        send(clientSide, fromClient(40000, ACK, 1001, 5001, new byte[] {1, 2, 3}), serverSide, null);
        byte[] partial = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).tcp(40000, 80)
                .flags(ACK).seq(1004).ack(5001).payload(new byte[] {4, 5, 6}).partialChecksum().build();
        pipeline.beginBatch(clientSide, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(partial), 0, partial.length, PacketPort.CSUM_PARTIAL);
        byte[] sent = serverSide.takeOnly();
        FlowDescription f = parseValid(sent); // the checksum completed, then updated for the shift
        assertEquals(1004 + ProxyHeaderInsertion.IPV4_HEADER_BYTES, seq(sent, f));
    }

    @Test
    void pingToTheLocalAddressIsAnsweredAsForAVip() {
        fullNatService(false);
        byte[] ping = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64).icmpEcho(true, 7, 1)
                .build();
        FlowDescription answer = send(serverSide, ping, serverSide, null);
        assertEquals(v4(LADDR), answer.srcV4());
        assertEquals(v4(RS1), answer.dstV4());
    }

    @Test
    void forwardingAnEstablishedFullNatConnectionAllocatesNothing() {
        fullNatService(true);
        FakePort.Counting clientIn = new FakePort.Counting("cli0", 1, DIR_CLIENT_MAC);
        FakePort.Counting serverOut = new FakePort.Counting("srv0", 2, DIR_SERVER_MAC);
        PacketPipeline quiet = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientIn, serverOut}), drops);
        byte[] syn = fromClient(45000, SYN, 1000, 0, new byte[0]);
        byte[] first = fromClient(45000, ACK, 1001, 1, new byte[] {1, 2, 3});
        byte[] later = fromClient(45000, ACK, 1004, 1, new byte[] {4, 5, 6});
        quiet.beginBatch(clientIn, System.nanoTime());
        quiet.onFrame(MemorySegment.ofArray(syn), 0, syn.length, 0);
        LocalAddressPorts ports = plane.services().localAddressPorts(v4(LADDR));
        int lport = LocalAddressPorts.FIRST_PORT;
        long rs1 = io.jlvs.control.model.Addresses.mappedLo(v4(RS1));
        while (ports.connection(io.jlvs.packets.Ipv4.PROTO_TCP, lport, 0, rs1, 8080, plane.connections()) < 0) lport++;
        byte[] reply = fromServer(lport, ACK, 1, 1010, new byte[] {7, 8, 9});
        byte[][] frames = {first, later, reply};
        FakePort.Counting[] from = {clientIn, clientIn, serverOut};
        MemorySegment seg = MemorySegment.ofArray(new byte[reply.length + first.length]);
        long allocated = Allocations.steadyStateBytes(100_000, i -> {
            byte[] data = frames[i % 3];
            MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_BYTE, 0, data.length);
            quiet.beginBatch(from[i % 3], System.nanoTime());
            quiet.onFrame(seg, 0, data.length, 0);
        });
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 100k packets");
        long dropped = 0;
        for (DropReason r : DropReason.values()) dropped += drops.get(r);
        assertEquals(0, dropped, "no drop");
        // Warm-up rounds included: 3 x 100,000 frames and the SYN, a third of them the server's replies.
        assertEquals(300_001, serverOut.count + clientIn.count, "every frame forwarded");
        assertEquals(99_999, clientIn.count, "every reply forwarded to the client");
    }

    @Test
    void aRoutersFragmentationNeededReachesTheClientFromTheVipAboutItsOwnSegment() {
        fullNatService(true);
        int lport = send(clientSide, fromClient(40000, SYN, 1000, 0, new byte[0]), serverSide, null).srcPort;
        send(serverSide, fromServer(lport, SYN | ACK, 5000, 1001, new byte[0]), clientSide, null);
        send(clientSide, fromClient(40000, ACK, 1001, 5001, new byte[] {1, 2, 3}), serverSide, null);
        byte[][] frame = new byte[1][];
        send(clientSide, fromClient(40000, ACK, 1004, 5001, new byte[1200]), serverSide, frame);
        // A router between the director and the server cannot pass the second segment (DF) over its 1000-byte link.
        byte[] quoted = Arrays.copyOfRange(frame[0], 14, frame[0].length);
        byte[] error = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4("172.16.0.1", LADDR).ttl(64)
                .icmpPacketTooBig(1000, quoted).build();
        byte[][] out = new byte[1][];
        FlowDescription f = send(serverSide, error, clientSide, out);
        assertTrue(f.icmpError);
        assertEquals(v4(VIP), f.srcV4(), "from the VIP, as IPVS's NAT sends errors to its clients");
        assertEquals(v4(CLIENT), f.dstV4());
        assertEquals(v4(CLIENT), (int) f.innerSrcLo);
        assertEquals(40000, f.innerSrcPort);
        assertEquals(v4(VIP), (int) f.innerDstLo);
        assertEquals(80, f.innerDstPort);
        MemorySegment seg = MemorySegment.ofArray(out[0]);
        assertEquals(1000, Layouts.u16(seg, f.l4Offset + 6), "the router's MTU");
        assertEquals(1004, Integer.toUnsignedLong(Layouts.u32(seg, f.innerL4Offset + Tcp.SEQ)),
                "the client's own sequence number, below the PROXY header");
        assertTrue(Checksums.verifyIpv4Header(seg, f.innerL3Offset, f.innerIpHeaderLength), "quoted IP checksum");
        int quotedL4 = (int) (f.innerL3Offset + f.icmpQuoteLength - f.innerL4Offset);
        assertTrue(Checksums.verifyTransportIpv4(seg, f.innerL3Offset, f.innerL4Offset, quotedL4, Ipv4.PROTO_TCP),
                "quoted TCP checksum");
    }

    @Test
    void theServersPortUnreachableComesFromTheVipAndTheClientsErrorsReachTheServer() {
        adm("-A", "-u", VIP + ":53", "-s", "rr", "--laddr", LADDR);
        adm("-a", "-u", VIP + ":53", "-r", RS1 + ":5353", "--fullnat");
        byte[] query = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).udp(50000, 53)
                .payload(new byte[8]).build();
        byte[][] frame = new byte[1][];
        FlowDescription forwarded = send(clientSide, query, serverSide, frame);
        int lport = forwarded.srcPort;
        byte[] error = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64)
                .icmpError(3, 3, Arrays.copyOfRange(frame[0], 14, frame[0].length)).build();
        FlowDescription toClient = send(serverSide, error, clientSide, null);
        assertEquals(v4(VIP), toClient.srcV4(), "the server's own error comes from the VIP");
        assertEquals(v4(CLIENT), (int) toClient.innerSrcLo);
        assertEquals(50000, toClient.innerSrcPort);
        assertEquals(v4(VIP), (int) toClient.innerDstLo);
        assertEquals(53, toClient.innerDstPort);
        // The client's side cannot take a reply (VIP:53 -> client:50000): its error goes to the server.
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64).udp(5353, lport)
                .payload(new byte[8]).build();
        send(serverSide, reply, clientSide, frame);
        byte[] clientError = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64)
                .icmpError(3, 3, Arrays.copyOfRange(frame[0], 14, frame[0].length)).build();
        FlowDescription toServer = send(clientSide, clientError, serverSide, null);
        assertEquals(v4(LADDR), toServer.srcV4(), "from the local address, the server's only peer");
        assertEquals(v4(RS1), toServer.dstV4());
        assertEquals(v4(RS1), (int) toServer.innerSrcLo);
        assertEquals(5353, toServer.innerSrcPort);
        assertEquals(v4(LADDR), (int) toServer.innerDstLo);
        assertEquals(lport, toServer.innerDstPort);
        // An error about a port no connection holds is counted, not forwarded.
        byte[] strayQuote = PacketBuilder.ipOnly().ipv4(LADDR, RS1).ttl(64).udp(lport == 65535 ? 1024 : lport + 1, 5353)
                .payload(new byte[8]).build();
        byte[] stray = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, LADDR).ttl(64)
                .icmpError(3, 3, strayQuote).build();
        long before = drops.get(DropReason.ICMP_UNRELATED);
        pipeline.beginBatch(serverSide, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(stray), 0, stray.length, 0);
        assertEquals(before + 1, drops.get(DropReason.ICMP_UNRELATED));
        assertEquals(0, clientSide.sent.size());
    }

    private static long seq(byte[] frame, FlowDescription f) {
        return Integer.toUnsignedLong(Layouts.u32(MemorySegment.ofArray(frame), f.l4Offset + Tcp.SEQ));
    }
}
