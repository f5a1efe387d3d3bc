package io.jlvs.packets;

import static io.jlvs.packets.FrameSegments.FRAME_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * NAT66 rewrites against frames built independently by {@link PacketBuilder} (its own checksum code): the bytes
 * after the rewrite equal the frame built with the new addresses, checksums included.
 */
class Nat66RewriteTest {
    static final String MAC_A = "02:00:00:00:00:0a", MAC_B = "02:00:00:00:00:0b";
    static final String CLIENT = "fd00:1::2", VIP = "fd00:1::100", RIP = "fd00:2::2";

    static PacketBuilder eth() { return PacketBuilder.ethernet(MAC_A, MAC_B); }

    static long[] address(String text) throws UnknownHostException {
        ByteBuffer b = ByteBuffer.wrap(InetAddress.getByName(text).getAddress());
        return new long[] {b.getLong(), b.getLong()};
    }

    static byte[] after(byte[] input, java.util.function.BiConsumer<MemorySegment, FlowDescription> rewrite) {
        MemorySegment seg = FrameSegments.inRing(input);
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, FRAME_OFFSET, input.length, f));
        rewrite.accept(seg, f);
        return FrameSegments.frameBytes(seg, FRAME_OFFSET, input.length);
    }

    @Test
    void destinationOfATcpSegmentBecomesTheRealServerWithItsChecksumUpdated() throws Exception {
        long[] rip = address(RIP);
        byte[] out = after(eth().ipv6(CLIENT, VIP).tcp(40000, 80).flags(Tcp.SYN).payload(333).build(),
                (seg, f) -> Nat66Rewrite.setDestination(seg, f, rip[0], rip[1], 8080, false));
        assertArrayEquals(eth().ipv6(CLIENT, RIP).tcp(40000, 8080).flags(Tcp.SYN).payload(333).build(), out);
    }

    @Test
    void sourceOfAUdpReplyBecomesTheVip() throws Exception {
        long[] vip = address(VIP);
        byte[] out = after(eth().ipv6(RIP, CLIENT).udp(53, 5353).payload(21).build(),
                (seg, f) -> Nat66Rewrite.setSource(seg, f, vip[0], vip[1], 53, false));
        assertArrayEquals(eth().ipv6(VIP, CLIENT).udp(53, 5353).payload(21).build(), out);
    }

    @Test
    void aUdpDatagramThatArrivesWithoutAChecksumLeavesWithAFullOne() throws Exception {
        long[] rip = address(RIP);
        byte[] out = after(eth().ipv6(CLIENT, VIP).udp(5353, 53).l4Checksum(0).payload(21).build(),
                (seg, f) -> Nat66Rewrite.setDestination(seg, f, rip[0], rip[1], 53, false));
        assertArrayEquals(eth().ipv6(CLIENT, RIP).udp(5353, 53).payload(21).build(), out);
    }

    @Test
    void aPartialChecksumIsCompletedInFull() throws Exception {
        long[] rip = address(RIP);
        byte[] out = after(eth().ipv6(CLIENT, VIP).tcp(40000, 80).payload(100).partialChecksum().build(),
                (seg, f) -> Nat66Rewrite.setDestination(seg, f, rip[0], rip[1], 80, true));
        assertArrayEquals(eth().ipv6(CLIENT, RIP).tcp(40000, 80).payload(100).build(), out);
    }

    @Test
    void anIcmpv6ErrorFromTheServerQuotesTheVipAndComesFromIt() throws Exception {
        long[] vip = address(VIP);
        byte[] quotedSent = PacketBuilder.ipOnly().ipv6(CLIENT, RIP).tcp(40000, 8080).payload(40).build();
        byte[] quotedSeen = PacketBuilder.ipOnly().ipv6(CLIENT, VIP).tcp(40000, 80).payload(40).build();
        byte[] out = after(eth().ipv6(RIP, CLIENT).icmpPacketTooBig(1280, quotedSent).build(), (seg, f) -> {
            Nat66Rewrite.setQuotedDestination(seg, f, vip[0], vip[1], 80);
            Nat66Rewrite.setSource(seg, f, vip[0], vip[1], 0, false);
            Nat66Rewrite.refreshIcmpChecksum(seg, f);
        });
        assertArrayEquals(eth().ipv6(VIP, CLIENT).icmpPacketTooBig(1280, quotedSeen).build(), out);
        MemorySegment seg = FrameSegments.inRing(out);
        FlowDescription f = new FlowDescription();
        PacketParser.parse(seg, FRAME_OFFSET, out.length, f);
        assertTrue(Checksums.verify(seg, f));
    }
}
