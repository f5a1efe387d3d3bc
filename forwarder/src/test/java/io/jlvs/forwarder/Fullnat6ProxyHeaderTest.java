package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.jlvs.forwarder.Fullnat6PipelineTest.ACK;
import static io.jlvs.forwarder.Fullnat6PipelineTest.LADDR;
import static io.jlvs.forwarder.Fullnat6PipelineTest.SYN;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.VIP;
import static io.jlvs.forwarder.Ipv6PipelineTest.parseValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PROXY v2 header on an IPv6 FullNAT connection (--proxy-protocol): the AF_INET6 header with the client's and
 * the VIP's addresses and ports opens the stream toward the server, the first segment's retransmission carries it
 * again, later sequence numbers move up by its 52 bytes and the server's acknowledgements and SACK edges move down,
 * its MSS is lowered by the header; every frame is parsed again with its checksums verified.
 */
class Fullnat6ProxyHeaderTest {
    static final int CPORT = 40000, HEADER = ProxyHeaderInsertion.IPV6_HEADER_BYTES;
    final Fullnat6PipelineTest h = new Fullnat6PipelineTest();

    @BeforeEach
    void setUp() {
        h.setUp();
        h.admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr", "--laddr", LADDR);
        h.admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080", "--fullnat", "--proxy-protocol");
    }

    @AfterEach
    void tearDown() { h.tearDown(); }

    static byte[] fromClient(int flags, long seq, long ack, byte[] payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(CPORT, 80)
                .flags(flags).seq(seq).ack(ack).payload(payload).build();
    }

    static PacketBuilder fromServer(int lport, int flags, long seq, long ack) {
        return PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, LADDR).ttl(64).tcp(8080, lport)
                .flags(flags).seq(seq).ack(ack);
    }

    /** The header as the PROXY protocol's specification lays it out, written independently of the code under test. */
    static byte[] expectedHeader(String client, int clientPort, String vip, int vport) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.put((byte) 0x21).put((byte) 0x21).putShort((short) 36); // v2 PROXY, AF_INET6 STREAM, 36 address bytes
        b.put(InetAddress.getByName(client).getAddress()).put(InetAddress.getByName(vip).getAddress());
        b.putShort((short) clientPort).putShort((short) vport);
        return b.array();
    }

    /** Handshake through the director; the local port. */
    int handshake() {
        int lport = h.send(h.clientSide, fromClient(SYN, 1000, 0, new byte[0]), h.serverSide).srcPort;
        byte[] mss = {2, 4, 0x05, (byte) 0xA0, 1, 1, 4, 2}; // MSS 1440, NOP, NOP, SACK permitted
        byte[] synAck = h.sendRaw(h.serverSide, fromServer(lport, SYN | ACK, 5000, 1001).tcpOptions(mss).build(),
                h.clientSide);
        FlowDescription f = parseValid(synAck);
        assertEquals(1440 - HEADER, Layouts.u16(MemorySegment.ofArray(synAck), f.l4Offset + Tcp.MIN_HEADER_LENGTH + 2),
                "the server's MSS lowered by the header");
        byte[] ack = h.sendRaw(h.clientSide, fromClient(ACK, 1001, 5001, new byte[0]), h.serverSide);
        assertEquals(1001, seq(ack), "the handshake's ACK is unchanged");
        return lport;
    }

    @Test
    void theIpv6HeaderOpensTheStreamAndTheFirstSegmentsRetransmissionCarriesItAgain() throws Exception {
        handshake();
        byte[] hello = {'h', 'e', 'l', 'l', 'o'};
        byte[] expected = expectedHeader(CLIENT, CPORT, VIP, 80);
        for (int round = 0; round < 2; round++) { // the first segment, then its retransmission
            byte[] sent = h.sendRaw(h.clientSide, fromClient(ACK, 1001, 5001, hello), h.serverSide);
            FlowDescription f = parseValid(sent);
            Fullnat6PipelineTest.assertAddress(LADDR, f.srcHi, f.srcLo);
            Fullnat6PipelineTest.assertAddress(RS1, f.dstHi, f.dstLo);
            assertEquals(1001, seq(sent), "the header takes the client's first sequence number, round " + round);
            assertEquals(63, f.ttl, "the hop limit decremented once");
            assertEquals(f.ipTotalLength, sent.length - 14, "the payload length counts the header");
            byte[] payload = Arrays.copyOfRange(sent, (int) f.payloadOffset, sent.length);
            assertEquals(HEADER + hello.length, payload.length);
            assertArrayEquals(expected, Arrays.copyOf(payload, HEADER), "round " + round);
            assertArrayEquals(hello, Arrays.copyOfRange(payload, HEADER, payload.length));
        }
    }

    @Test
    void laterSequenceNumbersMoveUpAndTheServersAcknowledgementsAndSackEdgesMoveDown() {
        int lport = handshake();
        byte[] hello = {'h', 'e', 'l', 'l', 'o'};
        h.sendRaw(h.clientSide, fromClient(ACK, 1001, 5001, hello), h.serverSide);
        byte[] second = h.sendRaw(h.clientSide, fromClient(ACK, 1006, 5001, hello), h.serverSide);
        assertEquals(1006 + HEADER, seq(second), "later data moved past the header");
        assertEquals(5 + Tcp.MIN_HEADER_LENGTH, parseValid(second).l4Length, "and not grown");
        // The same with the checksum the sending host left partial: completed, then shifted.
        byte[] partial = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(CPORT, 80)
                .flags(ACK).seq(1011).ack(5001).payload(hello).partialChecksum().build();
        h.pipeline.beginBatch(h.clientSide, System.nanoTime());
        h.pipeline.onFrame(MemorySegment.ofArray(partial), 0, partial.length, PacketPort.CSUM_PARTIAL);
        assertEquals(1011 + HEADER, seq(h.serverSide.takeOnly()), "a partial checksum's segment shifted too");

        // The server acknowledges the segments and SACKs a later block.
        byte[] sack = {1, 1, 5, 10, 0, 0, 0x04, 0x00, 0, 0, 0x05, 0x00};
        byte[] reply = fromServer(lport, ACK, 5001, 1016 + HEADER).tcpOptions(sack).build();
        byte[] back = h.sendRaw(h.serverSide, reply, h.clientSide);
        FlowDescription f = parseValid(back);
        Fullnat6PipelineTest.assertAddress(VIP, f.srcHi, f.srcLo);
        Fullnat6PipelineTest.assertAddress(CLIENT, f.dstHi, f.dstLo);
        MemorySegment out = MemorySegment.ofArray(back);
        assertEquals(1016, Layouts.u32(out, f.l4Offset + Tcp.ACK_NUMBER), "the client sees its own numbers");
        long edges = f.l4Offset + Tcp.MIN_HEADER_LENGTH + 4;
        assertEquals(0x400 - HEADER, Layouts.u32(out, edges));
        assertEquals(0x500 - HEADER, Layouts.u32(out, edges + 4));
        // An acknowledgement of part of the header only is one of the client's first byte.
        byte[] partly = h.sendRaw(h.serverSide, fromServer(lport, ACK, 5001, 1001 + 20).build(), h.clientSide);
        assertEquals(1001, Layouts.u32(MemorySegment.ofArray(partly), parseValid(partly).l4Offset + Tcp.ACK_NUMBER));
    }

    @Test
    void aFragmentedFirstSegmentFollowsTheHeaderInASegmentOfItsOwnAndLaterOnesAreShiftedInTheirFirstFragment()
            throws Exception {
        int lport = handshake();
        // The first data segment, fragmented: the header cannot go into it without moving every later fragment.
        // A hop-by-hop header before the fragment header, destination options after it.
        byte[] opening = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).hopByHop()
                .destinationOptions().tcp(CPORT, 80).flags(ACK).seq(1001).ack(5001).payload(FragmentPipelineTest.pattern(3000)).build();
        FragmentPipelineTest.receiveInOrder(h.pipeline, h.clientSide, IpFragmenting.split(opening, 1232, 7), 1, 0, 2);
        assertEquals(4, h.serverSide.sent.size(), "the header's own segment, then the three fragments");
        byte[] ahead = h.serverSide.sent.removeFirst();
        FlowDescription a = parseValid(ahead);
        assertTrue(!a.fragment && a.ttl == 63);
        Fullnat6PipelineTest.assertAddress(LADDR, a.srcHi, a.srcLo);
        Fullnat6PipelineTest.assertAddress(RS1, a.dstHi, a.dstLo);
        assertEquals(lport, a.srcPort);
        assertEquals(1001, seq(ahead), "the header at the client's first sequence number");
        assertArrayEquals(expectedHeader(CLIENT, CPORT, VIP, 80), FragmentPipelineTest.payloadOf(ahead, a));
        byte[][] datagram = new byte[1][];
        FlowDescription data = FragmentPipelineTest.whole(h.serverSide.sent, datagram);
        h.serverSide.sent.clear();
        assertEquals(1001 + HEADER, seq(datagram[0]), "the data right after the header");
        assertArrayEquals(FragmentPipelineTest.pattern(3000), FragmentPipelineTest.payloadOf(datagram[0], data));
        // The server acknowledges it all in a fragmented segment: moved back below the header.
        byte[] answer = fromServer(lport, ACK, 5001, 4001 + HEADER).payload(FragmentPipelineTest.pattern(600)).build();
        byte[] toClient = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(h.pipeline, h.serverSide,
                h.clientSide, answer, 0, 1);
        FlowDescription back = parseValid(toClient);
        Fullnat6PipelineTest.assertAddress(VIP, back.srcHi, back.srcLo);
        assertEquals(4001, Layouts.u32(MemorySegment.ofArray(toClient), back.l4Offset + Tcp.ACK_NUMBER));
        // A later fragmented segment: shifted past the header in its first fragment.
        byte[] toServer = FragmentPipelineTest.assertFragmentsForwardedAsTheDatagram(h.pipeline, h.clientSide,
                h.serverSide, fromClient(ACK, 4001, 5601, FragmentPipelineTest.pattern(1000)), 2, 1, 0);
        assertEquals(4001 + HEADER, seq(toServer), "moved past the header");
        assertEquals(0, h.drops.get(DropReason.FRAGMENT));
    }

    @Test
    void aConnectionWithoutTheOptionGetsNoHeader() {
        h.admOk("-e", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080", "--fullnat");
        int lport = h.send(h.clientSide, fromClient(SYN, 1000, 0, new byte[0]), h.serverSide).srcPort;
        h.send(h.serverSide, fromServer(lport, SYN | ACK, 5000, 1001).build(), h.clientSide);
        byte[] hello = {'h', 'e', 'l', 'l', 'o'};
        byte[] sent = h.sendRaw(h.clientSide, fromClient(ACK, 1001, 5001, hello), h.serverSide);
        FlowDescription f = parseValid(sent);
        assertArrayEquals(hello, Arrays.copyOfRange(sent, (int) f.payloadOffset, sent.length), "the payload alone");
    }

    @Test
    void forwardingAProxiedIpv6ConnectionAllocatesNothing() {
        FakePort.Counting clientIn = new FakePort.Counting("cli0", 1, DIR_CLIENT_MAC);
        FakePort.Counting serverOut = new FakePort.Counting("srv0", 2, DIR_SERVER_MAC);
        PacketPipeline quiet = new PacketPipeline(h.plane, new WorkerPorts(new PacketPort[] {clientIn, serverOut}),
                h.drops);
        byte[] syn = fromClient(SYN, 1000, 0, new byte[0]);
        quiet.beginBatch(clientIn, System.nanoTime());
        quiet.onFrame(MemorySegment.ofArray(syn), 0, syn.length, 0);
        long[] laddr = Ipv6PipelineTest.address(LADDR);
        LocalAddressPorts ports = h.plane.services().ipv6().localAddressPorts(laddr[0], laddr[1]);
        int lport = LocalAddressPorts.FIRST_PORT;
        long[] rs1 = Ipv6PipelineTest.address(Ipv6PipelineTest.RS1);
        while (ports.connection(io.jlvs.packets.Ipv4.PROTO_TCP, lport, rs1[0], rs1[1], 8080, h.plane.connections()) < 0) {
            lport++;
        }
        byte[] first = fromClient(ACK, 1001, 1, new byte[] {1, 2, 3}); // carries the header, every time
        byte[] later = fromClient(ACK, 1004, 1, new byte[] {4, 5, 6});
        byte[] reply = fromServer(lport, ACK, 1, 1007 + HEADER).payload(new byte[] {7, 8, 9}).build();
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
        for (DropReason r : DropReason.values()) dropped += h.drops.get(r);
        assertEquals(0, dropped, "no drop");
        assertEquals(300_001, serverOut.count + clientIn.count, "every frame forwarded");
    }

    private static long seq(byte[] frame) {
        FlowDescription f = parseValid(frame);
        return Integer.toUnsignedLong(Layouts.u32(MemorySegment.ofArray(frame), f.l4Offset + Tcp.SEQ));
    }
}
