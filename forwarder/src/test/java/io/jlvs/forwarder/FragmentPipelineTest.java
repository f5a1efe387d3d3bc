package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Ipv6;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.macAt;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fragmented TCP and UDP datagrams through the pipeline, IPv4 and IPv6: each fragment forwarded as its datagram's
 * connection sends it, whatever order the fragments come in. The test puts the fragments that leave together again
 * as the receiver would and checks the whole datagram: addresses, ports, transport checksum, payload.
 */
class FragmentPipelineTest {
    static final String CLIENT = PipelineTest.CLIENT, VIP = PipelineTest.VIP, RS1 = PipelineTest.RS1;
    static final String CLIENT6 = Ipv6PipelineTest.CLIENT, VIP6 = Ipv6PipelineTest.VIP, RS6 = Ipv6PipelineTest.RS1;
    static final int CHUNK = 1480;

    final FakePort clientSide = new FakePort("cli0", 1, DIR_CLIENT_MAC);
    final FakePort serverSide = new FakePort("srv0", 2, DIR_SERVER_MAC);
    final DropCounters drops = new DropCounters();
    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;
    long now = 1_000_000_000L;

    @BeforeEach
    void setUp() {
        PipelineTest.FixedNextHops hops = new PipelineTest.FixedNextHops();
        hops.table.put(v4(CLIENT), new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
        hops.table.put(v4(RS1), new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, v4("172.16.0.1"), 0));
        hops.freeze();
        plane = new DataPlane(4096, hops);
        plane.setIpv6NextHops(Ipv6PipelineTest.fixed(
                CLIENT6, new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, 0, 0),
                RS6, new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, 0, 0)));
        ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ,
                EnumSet.of(ForwardMethod.MASQ, ForwardMethod.ROUTE, ForwardMethod.TUNNEL, ForwardMethod.FULLNAT), null);
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @AfterEach
    void tearDown() {
        plane.connections().close();
    }

    void adm(String... argv) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        assertEquals(0, new AdmExecutor(ipvs).execute(argv, out, err), () -> String.join(" ", argv) + ": " + err);
    }

    void udpService(String vip, String real, String method) {
        adm("-A", "-u", vip + ":53", "-s", "rr");
        adm("-a", "-u", vip + ":53", "-r", real + (method.equals("-m") ? ":5353" : ":53"), method);
    }

    void receive(FakePort on, byte[] frame) {
        pipeline.beginBatch(on, now);
        pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, 0);
        pipeline.retryPending(now);
    }

    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }

    static byte[] clientDatagram(int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).udp(40000, 53)
                .payload(pattern(payload)).build();
    }

    /** The whole datagram of the fragments sent, parsed, its checksums verified. */
    static FlowDescription whole(List<byte[]> sent, byte[][] datagram) {
        byte[] frame = IpFragmenting.reassemble(sent);
        datagram[0] = frame;
        FlowDescription f = new FlowDescription();
        MemorySegment seg = MemorySegment.ofArray(frame);
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, 0, frame.length, f), () -> PacketBuilder.hex(frame));
        assertTrue(!f.fragment && Checksums.verify(seg, f), "the reassembled datagram's checksums hold");
        return f;
    }

    /**
     * Receives the fragments of {@code datagram} (cut at 400 data bytes, so that the datagram itself fits the
     * 1500-byte links) in the order given, then the datagram whole; the fragments sent on {@code out}, put together
     * again, must be what the whole datagram became, byte for byte, and their checksums must hold, recomputed in full
     * over the datagram. Returns the datagram sent.
     */
    static byte[] assertFragmentsForwardedAsTheDatagram(PacketPipeline pipeline, FakePort in, FakePort out,
                                                        byte[] datagram, int... order) {
        boolean ipv4 = (datagram[14] & 0xF0) == 0x40;
        assertTrue(!ipv4 || (IpFragmenting.u16(datagram, 14 + 6) & 0x4000) == 0, "a datagram sent in fragments: no DF");
        int identification = ipv4 ? IpFragmenting.u16(datagram, 14 + 4) : 0x5EED;
        List<byte[]> fragments = IpFragmenting.split(datagram, 400, identification);
        assertEquals(fragments.size(), order.length, "one index per fragment");
        receiveInOrder(pipeline, in, fragments, order);
        assertEquals(fragments.size(), out.sent.size(), "every fragment forwarded");
        byte[][] reassembled = new byte[1][];
        whole(out.sent, reassembled);
        out.sent.clear();
        pipeline.beginBatch(in, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(datagram.clone()), 0, datagram.length, 0);
        assertArrayEquals(out.takeOnly(), reassembled[0], "the fragments make the datagram the whole one became");
        return reassembled[0];
    }

    /** Receives the fragments in the order of their indexes given, each in a round of its own (held ones released). */
    static void receiveInOrder(PacketPipeline pipeline, FakePort in, List<byte[]> fragments, int... order) {
        for (int k : order) {
            pipeline.beginBatch(in, System.nanoTime());
            pipeline.onFrame(MemorySegment.ofArray(fragments.get(k).clone()), 0, fragments.get(k).length, 0);
            pipeline.retryPending(System.nanoTime());
        }
    }

    static byte[] payloadOf(byte[] frame, FlowDescription f) {
        return Arrays.copyOfRange(frame, (int) f.payloadOffset, (int) (f.l3Offset + f.ipTotalLength));
    }

    @Test
    void natFragmentsFirstFragmentFirstReachTheServerAsTheDatagramWithItsChecksumUpdated() {
        udpService(VIP, RS1, "-m");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(4000), CHUNK, 0x1234);
        assertEquals(3, fragments.size());
        for (byte[] f : fragments) receive(clientSide, f);
        assertEquals(3, serverSide.sent.size(), "every fragment forwarded");
        byte[][] datagram = new byte[1][];
        FlowDescription f = whole(serverSide.sent, datagram);
        assertEquals(v4(RS1), f.dstV4());
        assertEquals(5353, f.dstPort);
        assertEquals(v4(CLIENT), f.srcV4());
        assertArrayEquals(pattern(4000), payloadOf(datagram[0], f));
        for (byte[] out : serverSide.sent) assertEquals(RS1_MAC, macAt(out, 0));
        assertEquals(0, pipeline.fragments().datagrams(), "the datagram's entry ends with its last byte");
        assertEquals(1, plane.connections().size(), "one connection for the datagram");
    }

    @Test
    void natFragmentsFirstFragmentLastAreHeldThenForwarded() {
        udpService(VIP, RS1, "-m");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(4000), CHUNK, 0x4321);
        receive(clientSide, fragments.get(2));
        receive(clientSide, fragments.get(1));
        assertEquals(0, serverSide.sent.size(), "later fragments wait for the first");
        assertEquals(2, pipeline.fragments().heldFrames());
        receive(clientSide, fragments.get(0));
        assertEquals(3, serverSide.sent.size(), "the held fragments follow the first");
        assertEquals(0, pipeline.fragments().heldFrames());
        byte[][] datagram = new byte[1][];
        FlowDescription f = whole(serverSide.sent, datagram);
        assertEquals(v4(RS1), f.dstV4());
        assertEquals(5353, f.dstPort);
        assertArrayEquals(pattern(4000), payloadOf(datagram[0], f));
        assertEquals(0, pipeline.fragments().datagrams());
    }

    @Test
    void natReplyFragmentsLeaveFromTheVipWithTheReplysChecksumUpdated() {
        udpService(VIP, RS1, "-m");
        receive(clientSide, clientDatagram(100));
        serverSide.sent.clear();
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).ttl(64).udp(5353, 40000)
                .payload(pattern(3000)).build();
        List<byte[]> fragments = IpFragmenting.split(reply, CHUNK, 77);
        receive(serverSide, fragments.get(1));
        receive(serverSide, fragments.get(2));
        receive(serverSide, fragments.get(0));
        assertEquals(3, clientSide.sent.size());
        byte[][] datagram = new byte[1][];
        FlowDescription f = whole(clientSide.sent, datagram);
        assertEquals(v4(VIP), f.srcV4());
        assertEquals(53, f.srcPort);
        assertEquals(v4(CLIENT), f.dstV4());
        assertArrayEquals(pattern(3000), payloadOf(datagram[0], f));
    }

    @Test
    void fullNatFragmentsBothWaysHaveBothEndpointsRewritten() {
        String laddr = "172.16.0.50";
        adm("-A", "-u", VIP + ":53", "-s", "rr", "--laddr", laddr);
        adm("-a", "-u", VIP + ":53", "-r", RS1 + ":5353", "--fullnat");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(3000), CHUNK, 12);
        receive(clientSide, fragments.get(2));
        receive(clientSide, fragments.get(1));
        receive(clientSide, fragments.get(0));
        assertEquals(3, serverSide.sent.size());
        byte[][] datagram = new byte[1][];
        FlowDescription toServer = whole(serverSide.sent, datagram);
        assertEquals(v4(laddr), toServer.srcV4(), "from the local address");
        assertEquals(v4(RS1), toServer.dstV4());
        assertEquals(5353, toServer.dstPort);
        assertArrayEquals(pattern(3000), payloadOf(datagram[0], toServer));
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, laddr).ttl(64)
                .udp(5353, toServer.srcPort).payload(pattern(2500)).build();
        List<byte[]> replyFragments = IpFragmenting.split(reply, CHUNK, 13);
        receive(serverSide, replyFragments.get(1));
        receive(serverSide, replyFragments.get(0));
        assertEquals(2, clientSide.sent.size());
        FlowDescription toClient = whole(clientSide.sent, datagram);
        assertEquals(v4(VIP), toClient.srcV4());
        assertEquals(53, toClient.srcPort);
        assertEquals(v4(CLIENT), toClient.dstV4());
        assertEquals(40000, toClient.dstPort);
        assertArrayEquals(pattern(2500), payloadOf(datagram[0], toClient));
    }

    @Test
    void directRoutingSendsEachFragmentUnchangedToTheServersMac() {
        udpService(VIP, RS1, "-g");
        byte[] datagram = clientDatagram(3000);
        List<byte[]> fragments = IpFragmenting.split(datagram, CHUNK, 9);
        receive(clientSide, fragments.get(1));
        receive(clientSide, fragments.get(0));
        receive(clientSide, fragments.get(2));
        assertEquals(3, serverSide.sent.size());
        byte[][] out = new byte[1][];
        FlowDescription f = whole(serverSide.sent, out);
        assertEquals(v4(VIP), f.dstV4(), "DR keeps the VIP");
        assertEquals(53, f.dstPort);
        assertArrayEquals(pattern(3000), payloadOf(out[0], f));
        for (byte[] sent : serverSide.sent) assertEquals(RS1_MAC, macAt(sent, 0));
    }

    @Test
    void tunnelEncapsulatesEachFragment() {
        udpService(VIP, RS1, "-i");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(3000), 1000, 10);
        for (byte[] f : fragments) receive(clientSide, f);
        assertEquals(fragments.size(), serverSide.sent.size(), "each fragment fits the tunnel: one outer packet each");
        List<byte[]> inner = new ArrayList<>();
        for (byte[] outer : serverSide.sent) {
            FlowDescription o = new FlowDescription();
            MemorySegment seg = MemorySegment.ofArray(outer);
            assertEquals(ParseStatus.OK, PacketParser.parse(seg, 0, outer.length, o));
            assertEquals(IpInIp.IPV4_OVERHEAD, o.ipHeaderLength);
            assertEquals(v4(RS1), o.dstV4());
            // The inner packet behind a copy of the outer Ethernet header, for the reassembly.
            byte[] frame = new byte[outer.length - IpInIp.IPV4_OVERHEAD];
            System.arraycopy(outer, 0, frame, 0, 14);
            System.arraycopy(outer, 14 + IpInIp.IPV4_OVERHEAD, frame, 14, frame.length - 14);
            inner.add(frame);
        }
        byte[][] out = new byte[1][];
        FlowDescription f = whole(inner, out);
        assertEquals(v4(VIP), f.dstV4());
        assertArrayEquals(pattern(3000), payloadOf(out[0], f));
    }

    @Test
    void aLoneLaterFragmentIsHeldThenDroppedAndCountedWhenItsTimeIsUp() {
        udpService(VIP, RS1, "-m");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(4000), CHUNK, 5);
        receive(clientSide, fragments.get(1));
        assertEquals(1, pipeline.fragments().heldFrames(), "held while its first may still come");
        now += FragmentTracker.IPV4_TIMEOUT_NANOS - 1;
        pipeline.retryPending(now);
        assertEquals(1, pipeline.fragments().heldFrames(), "still held just before ipfrag_time");
        assertEquals(0, drops.get(DropReason.FRAGMENT_TIMEOUT));
        now += 2_000_000_000L;
        pipeline.retryPending(now);
        assertEquals(0, pipeline.fragments().heldFrames());
        assertEquals(0, pipeline.fragments().datagrams());
        assertEquals(1, drops.get(DropReason.FRAGMENT_TIMEOUT));
        assertEquals(0, serverSide.sent.size());
    }

    @Test
    void laterFragmentsBeyondThePoolAreDroppedAsOverflow() {
        udpService(VIP, RS1, "-m");
        for (int id = 0; id <= FragmentTracker.SLOTS; id++) {
            receive(clientSide, IpFragmenting.split(clientDatagram(2000), CHUNK, id).get(1));
        }
        assertEquals(FragmentTracker.SLOTS, pipeline.fragments().heldFrames());
        assertEquals(1, drops.get(DropReason.FRAGMENT_OVERFLOW));
        // The held ones are still good: the first fragment of one of them releases it.
        receive(clientSide, IpFragmenting.split(clientDatagram(2000), CHUNK, 3).get(0));
        assertEquals(2, serverSide.sent.size());
        assertEquals(FragmentTracker.SLOTS - 1, pipeline.fragments().heldFrames());
    }

    @Test
    void aFragmentPastTheDatagramsEndIsDroppedAsBad() {
        udpService(VIP, RS1, "-m");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(4000), CHUNK, 6);
        receive(clientSide, fragments.get(0));
        receive(clientSide, fragments.get(2)); // the last: the datagram ends here
        receive(clientSide, fragments.get(2)); // again: more bytes than the datagram holds
        assertEquals(2, serverSide.sent.size());
        assertEquals(1, drops.get(DropReason.FRAGMENT_BAD));
    }

    @Test
    void oneShotServiceFragmentsFollowTheirFirstFragmentToItsServerWithoutAConnection() {
        adm("-A", "-u", VIP + ":53", "-s", "rr", "-o");
        adm("-a", "-u", VIP + ":53", "-r", RS1 + ":5353", "-m");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(3000), CHUNK, 11);
        receive(clientSide, fragments.get(2));
        receive(clientSide, fragments.get(0));
        receive(clientSide, fragments.get(1));
        assertEquals(3, serverSide.sent.size());
        assertEquals(0, plane.connections().size(), "-o makes no connection");
        byte[][] datagram = new byte[1][];
        FlowDescription f = whole(serverSide.sent, datagram);
        assertEquals(v4(RS1), f.dstV4());
        assertEquals(5353, f.dstPort);
        assertArrayEquals(pattern(3000), payloadOf(datagram[0], f));
    }

    @Test
    void laterFragmentsOfADatagramWhoseFirstWasDroppedAreCounted() {
        udpService(VIP, RS1, "-m");
        byte[] toNoService = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64)
                .udp(40000, 54).payload(pattern(3000)).build();
        List<byte[]> fragments = IpFragmenting.split(toNoService, CHUNK, 8);
        for (byte[] f : fragments) receive(clientSide, f);
        assertEquals(0, serverSide.sent.size());
        assertEquals(1, drops.get(DropReason.NO_SERVICE));
        assertEquals(2, drops.get(DropReason.FRAGMENT));
    }

    @Test
    void forwardingFragmentsHeldOrNotAllocatesNothing() {
        udpService(VIP, RS1, "-m");
        FakePort.Counting clientIn = new FakePort.Counting("cli0", 1, DIR_CLIENT_MAC);
        FakePort.Counting serverOut = new FakePort.Counting("srv0", 2, DIR_SERVER_MAC);
        PacketPipeline quiet = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientIn, serverOut}),
                drops);
        List<byte[]> fragments = IpFragmenting.split(clientDatagram(3000), CHUNK, 0);
        MemorySegment seg = MemorySegment.ofArray(new byte[2048]);
        int[] order = {1, 0, 2}; // the middle one is held until the first has passed
        ValueLayout.OfShort u16 =
                ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
        long allocated = Allocations.steadyStateBytes(20_000, i -> {
            for (int k : order) {
                byte[] f = fragments.get(k);
                MemorySegment.copy(f, 0, seg, ValueLayout.JAVA_BYTE, 0, f.length);
                seg.set(u16, 14 + 4, (short) i); // a datagram of its own each time (the header checksum is not read)
                quiet.beginBatch(clientIn, now);
                quiet.onFrame(seg, 0, f.length, 0);
                quiet.retryPending(now);
            }
        });
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 20k fragmented datagrams");
        assertEquals(3 * 60_000, serverOut.count, "every fragment forwarded");
        assertEquals(0, quiet.fragments().datagrams());
    }

    // ---------------------------------------------------------------- IPv6

    static byte[] clientDatagram6(int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT6, VIP6).ttl(64).hopByHop()
                .routingHeader().udp(40000, 53).payload(pattern(payload)).build();
    }

    @Test
    void nat66FragmentsAfterOtherExtensionHeadersFirstFragmentLast() {
        udpService("[" + VIP6 + "]", "[" + RS6 + "]", "-m");
        List<byte[]> fragments = IpFragmenting.split(clientDatagram6(4000), 1232, 0x01020304);
        assertEquals(4, fragments.size());
        for (int i = fragments.size() - 1; i >= 0; i--) receive(clientSide, fragments.get(i));
        assertEquals(4, serverSide.sent.size());
        byte[][] datagram = new byte[1][];
        FlowDescription f = whole(serverSide.sent, datagram);
        assertEquals(6, f.ipVersion);
        assertArrayEquals(Ipv6PipelineTest.address(RS6), new long[] {f.dstHi, f.dstLo});
        assertEquals(5353, f.dstPort);
        assertArrayEquals(pattern(4000), payloadOf(datagram[0], f));
        assertEquals(0, pipeline.fragments().datagrams());
    }

    @Test
    void nat66ReplyFragmentsLeaveFromTheVip() {
        udpService("[" + VIP6 + "]", "[" + RS6 + "]", "-m");
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT6, VIP6).ttl(64)
                .udp(40000, 53).payload(pattern(10)).build());
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS6, CLIENT6).ttl(64).udp(5353, 40000)
                .payload(pattern(3000)).build();
        for (byte[] f : IpFragmenting.split(reply, 1232, 99)) receive(serverSide, f);
        assertEquals(3, clientSide.sent.size());
        byte[][] datagram = new byte[1][];
        FlowDescription f = whole(clientSide.sent, datagram);
        assertArrayEquals(Ipv6PipelineTest.address(VIP6), new long[] {f.srcHi, f.srcLo});
        assertEquals(53, f.srcPort);
        assertArrayEquals(pattern(3000), payloadOf(datagram[0], f));
    }

    @Test
    void nat66FragmentsWhoseFragmentablePartOpensWithDestinationOptionsBothWays() {
        udpService("[" + VIP6 + "]", "[" + RS6 + "]", "-m");
        byte[] request = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT6, VIP6).ttl(64)
                .destinationOptions().udp(40000, 53).payload(pattern(1300)).build();
        List<byte[]> fragments = IpFragmenting.split(request, 400, 1);
        for (byte[] f : fragments) {
            assertEquals(Ipv6.EXT_DESTINATION, f[IpFragmenting.fragmentHeader(f)], "the fragment header's next header");
        }
        byte[] toServer = assertFragmentsForwardedAsTheDatagram(pipeline, clientSide, serverSide, request, 3, 2, 1, 0);
        FlowDescription f = PipelineTest.parseValid(toServer);
        assertArrayEquals(Ipv6PipelineTest.address(RS6), new long[] {f.dstHi, f.dstLo});
        assertEquals(5353, f.dstPort);
        assertArrayEquals(pattern(1300), payloadOf(toServer, f));
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS6, CLIENT6).ttl(64).destinationOptions()
                .udp(5353, 40000).payload(pattern(1000)).build();
        byte[] toClient = assertFragmentsForwardedAsTheDatagram(pipeline, serverSide, clientSide, reply, 0, 2, 1);
        FlowDescription back = PipelineTest.parseValid(toClient);
        assertArrayEquals(Ipv6PipelineTest.address(VIP6), new long[] {back.srcHi, back.srcLo});
        assertEquals(53, back.srcPort);
        assertEquals(0, pipeline.fragments().datagrams(), "every datagram ended with its last byte");
        assertEquals(1, plane.connections().size());
    }

    @Test
    void aLoneIpv6LaterFragmentTimesOutAfterSixtySeconds() {
        udpService("[" + VIP6 + "]", "[" + RS6 + "]", "-m");
        receive(clientSide, IpFragmenting.split(clientDatagram6(3000), 1232, 1).get(2));
        now += FragmentTracker.IPV4_TIMEOUT_NANOS + 2_000_000_000L;
        pipeline.retryPending(now);
        assertEquals(1, pipeline.fragments().heldFrames(), "IPv6 waits longer than IPv4");
        now += FragmentTracker.IPV6_TIMEOUT_NANOS;
        pipeline.retryPending(now);
        assertEquals(0, pipeline.fragments().heldFrames());
        assertEquals(1, drops.get(DropReason.FRAGMENT_TIMEOUT));
    }
}
