package io.jlvs.forwarder;

import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static io.jlvs.forwarder.Fullnat6PipelineTest.ACK;
import static io.jlvs.forwarder.Fullnat6PipelineTest.LADDR;
import static io.jlvs.forwarder.Fullnat6PipelineTest.SYN;
import static io.jlvs.forwarder.Fullnat6PipelineTest.assertAddress;
import static io.jlvs.forwarder.Fullnat6ProxyHeaderTest.fromClient;
import static io.jlvs.forwarder.Fullnat6ProxyHeaderTest.fromServer;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.VIP;
import static io.jlvs.forwarder.Ipv6PipelineTest.parseValid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ICMPv6 errors of IPv6 FullNAT connections, both ways: a router's Packet Too Big about a segment sent to the server
 * reaches the client from the VIP quoting the client's own segment (below the PROXY header), its MTU kept but never
 * below 1280; the server's port unreachable reaches the client; the client's error reaches the server from the local
 * address quoting the server's own datagram; an error about a port no connection holds is counted. Every emitted
 * frame is parsed again, the ICMPv6 checksum (over the pseudo-header) and the quoted transport checksum verified.
 */
class Fullnat6IcmpErrorsTest {
    static final String ROUTER = "fd00:2::1";
    static final int CPORT = Fullnat6ProxyHeaderTest.CPORT, HEADER = ProxyHeaderInsertion.IPV6_HEADER_BYTES;
    final Fullnat6PipelineTest h = new Fullnat6PipelineTest();

    @BeforeEach
    void setUp() { h.setUp(); }

    @AfterEach
    void tearDown() { h.tearDown(); }

    /** The IPv6 packet of an Ethernet frame: what an error quotes. */
    static byte[] ipPacket(byte[] frame) {
        return Arrays.copyOfRange(frame, 14, frame.length);
    }

    /** The quoted transport checksum, when the whole quoted datagram is in the error. */
    static void assertQuotedChecksum(byte[] frame, FlowDescription f, int protocol) {
        MemorySegment seg = MemorySegment.ofArray(frame);
        int quotedL4 = (int) (f.innerL3Offset + f.icmpQuoteLength - f.innerL4Offset);
        assertTrue(Checksums.verifyTransportIpv6(seg, f.innerL3Offset, f.innerL4Offset, quotedL4, protocol),
                "quoted transport checksum");
    }

    /** A proxied TCP connection through its header and a second, full-size segment; that segment as sent. */
    byte[] proxiedConnectionsSecondSegment() {
        h.admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr", "--laddr", LADDR);
        h.admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080", "--fullnat", "--proxy-protocol");
        int lport = h.send(h.clientSide, fromClient(SYN, 1000, 0, new byte[0]), h.serverSide).srcPort;
        h.send(h.serverSide, fromServer(lport, SYN | ACK, 5000, 1001).build(), h.clientSide);
        h.send(h.clientSide, fromClient(ACK, 1001, 5001, new byte[] {1, 2, 3}), h.serverSide);
        return h.sendRaw(h.clientSide, fromClient(ACK, 1004, 5001, new byte[1300]), h.serverSide);
    }

    @Test
    void aRoutersPacketTooBigReachesTheClientFromTheVipAboutItsOwnSegment() {
        byte[] second = proxiedConnectionsSecondSegment();
        assertEquals(1004 + HEADER, Integer.toUnsignedLong(Layouts.u32(MemorySegment.ofArray(second),
                parseValid(second).l4Offset + Tcp.SEQ)), "sent to the server past the header");
        // A router between the director and the server cannot pass it over its 1300-byte link.
        byte[] error = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(ROUTER, LADDR).ttl(64)
                .icmpPacketTooBig(1300, ipPacket(second)).build();
        byte[] out = h.sendRaw(h.serverSide, error, h.clientSide);
        FlowDescription f = parseValid(out); // the ICMPv6 checksum over the new pseudo-header
        assertEquals(Icmp.V6_PACKET_TOO_BIG, f.icmpType);
        assertAddress(VIP, f.srcHi, f.srcLo);
        assertAddress(CLIENT, f.dstHi, f.dstLo);
        assertEquals(63, f.ttl, "routed: the hop limit decremented");
        assertAddress(CLIENT, f.innerSrcHi, f.innerSrcLo);
        assertEquals(CPORT, f.innerSrcPort);
        assertAddress(VIP, f.innerDstHi, f.innerDstLo);
        assertEquals(80, f.innerDstPort);
        MemorySegment seg = MemorySegment.ofArray(out);
        assertEquals(1300, Layouts.u32(seg, f.l4Offset + Icmp.V6_MTU), "the router's MTU: FullNAT adds nothing");
        assertEquals(1004, Integer.toUnsignedLong(Layouts.u32(seg, f.innerL4Offset + Tcp.SEQ)),
                "the client's own sequence number, below the PROXY header");
        assertQuotedChecksum(out, f, Ipv4.PROTO_TCP);
        assertEquals(DIR_CLIENT_MAC, Ipv6PipelineTest.mac(out, 6));
        assertEquals(CLIENT_MAC, Ipv6PipelineTest.mac(out, 0));

        // A figure below IPv6's minimum is relayed as the minimum.
        byte[] broken = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(ROUTER, LADDR).ttl(64)
                .icmpPacketTooBig(1000, ipPacket(second)).build();
        byte[] clamped = h.sendRaw(h.serverSide, broken, h.clientSide);
        assertEquals(1280, Layouts.u32(MemorySegment.ofArray(clamped), parseValid(clamped).l4Offset + Icmp.V6_MTU));
    }

    @Test
    void theServersPortUnreachableReachesTheClientAndTheClientsErrorReachesTheServer() {
        h.admOk("-A", "-u", "[" + VIP + "]:53", "-s", "rr", "--laddr", LADDR);
        h.admOk("-a", "-u", "[" + VIP + "]:53", "-r", "[" + RS1 + "]:5353", "--fullnat");
        byte[] query = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).udp(50000, 53)
                .payload(new byte[8]).build();
        byte[] forwarded = h.sendRaw(h.clientSide, query, h.serverSide);
        int lport = parseValid(forwarded).srcPort;
        byte[] unreachable = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, LADDR).ttl(64)
                .icmpError(Icmp.V6_DEST_UNREACH, Icmp.V6_CODE_PORT_UNREACHABLE, ipPacket(forwarded)).build();
        byte[] toClient = h.sendRaw(h.serverSide, unreachable, h.clientSide);
        FlowDescription c = parseValid(toClient);
        assertEquals(Icmp.V6_DEST_UNREACH, c.icmpType);
        assertEquals(Icmp.V6_CODE_PORT_UNREACHABLE, c.icmpCode);
        assertAddress(VIP, c.srcHi, c.srcLo);
        assertAddress(CLIENT, c.dstHi, c.dstLo);
        assertAddress(CLIENT, c.innerSrcHi, c.innerSrcLo);
        assertEquals(50000, c.innerSrcPort);
        assertAddress(VIP, c.innerDstHi, c.innerDstLo);
        assertEquals(53, c.innerDstPort);
        assertQuotedChecksum(toClient, c, Ipv4.PROTO_UDP);

        // The client's side cannot take a reply (VIP:53 -> client:50000): its error goes to the server.
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, LADDR).ttl(64).udp(5353, lport)
                .payload(new byte[8]).build();
        byte[] replied = h.sendRaw(h.serverSide, reply, h.clientSide);
        byte[] clientError = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64)
                .icmpError(Icmp.V6_DEST_UNREACH, Icmp.V6_CODE_PORT_UNREACHABLE, ipPacket(replied)).build();
        byte[] toServer = h.sendRaw(h.clientSide, clientError, h.serverSide);
        FlowDescription s = parseValid(toServer);
        assertAddress(LADDR, s.srcHi, s.srcLo);
        assertAddress(RS1, s.dstHi, s.dstLo);
        assertAddress(RS1, s.innerSrcHi, s.innerSrcLo);
        assertEquals(5353, s.innerSrcPort);
        assertAddress(LADDR, s.innerDstHi, s.innerDstLo);
        assertEquals(lport, s.innerDstPort);
        assertQuotedChecksum(toServer, s, Ipv4.PROTO_UDP);

        // A client's Packet Too Big below the minimum reaches the server as the minimum.
        byte[] clientTooBig = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64)
                .icmpPacketTooBig(1200, ipPacket(replied)).build();
        byte[] tooBig = h.sendRaw(h.clientSide, clientTooBig, h.serverSide);
        assertEquals(1280, Layouts.u32(MemorySegment.ofArray(tooBig), parseValid(tooBig).l4Offset + Icmp.V6_MTU));

        // An error about a port no connection holds is counted, not forwarded.
        byte[] strayQuote = PacketBuilder.ipOnly().ipv6(LADDR, RS1).ttl(64)
                .udp(lport == 65535 ? 1024 : lport + 1, 5353).payload(new byte[8]).build();
        byte[] stray = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, LADDR).ttl(64)
                .icmpError(Icmp.V6_DEST_UNREACH, Icmp.V6_CODE_PORT_UNREACHABLE, strayQuote).build();
        long before = h.drops.get(DropReason.ICMP_UNRELATED);
        h.pipeline.beginBatch(h.serverSide, System.nanoTime());
        h.pipeline.onFrame(MemorySegment.ofArray(stray), 0, stray.length, 0);
        assertEquals(before + 1, h.drops.get(DropReason.ICMP_UNRELATED));
        assertTrue(h.clientSide.sent.isEmpty());
    }
}
