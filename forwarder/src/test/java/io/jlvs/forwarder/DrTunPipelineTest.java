package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.platform.net.NextHop;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumSet;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.macAt;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.jlvs.packets.Checksums;
import java.lang.foreign.ValueLayout;

/** DR and TUN transmitters and their validation, frames in and out without sockets. */
class DrTunPipelineTest {
    static final int SYN = 0x02, ACK = 0x10;
    static final String DIRECTOR_SERVER_ADDRESS = "172.16.0.1";
    static final String FAR_SERVER = "192.168.7.7";

    FakePort clientSide = new FakePort("lan0", 1, DIR_CLIENT_MAC);
    FakePort serverSide = new FakePort("srv0", 2, DIR_SERVER_MAC);
    DropCounters drops = new DropCounters();
    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;

    /** A director whose path to RS1 has {@code serverMtu}; FAR_SERVER sits behind a gateway. */
    void start(int serverMtu) {
        PipelineTest.FixedNextHops hops = new PipelineTest.FixedNextHops();
        hops.table.put(v4(CLIENT), new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
        hops.table.put(v4(RS1), new NextHop(2, DIR_SERVER_MAC, RS1_MAC, serverMtu, v4(DIRECTOR_SERVER_ADDRESS), 0));
        hops.freeze();
        plane = new DataPlane(4096, hops);
        DirectRouteCheck connectedOnly = a -> a == v4(FAR_SERVER) ? FAR_SERVER + " is reached via the gateway 172.16.0.254" : null;
        ipvs = new IpvsRuntime(plane, ForwardMethod.ROUTE,
                EnumSet.of(ForwardMethod.MASQ, ForwardMethod.ROUTE, ForwardMethod.TUNNEL), null, connectedOnly);
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @AfterEach
    void tearDown() {
        plane.connections().close();
    }

    int adm(StringBuilder err, String... argv) {
        return new AdmExecutor(ipvs).execute(argv, new StringBuilder(), err);
    }

    void service(String method) {
        StringBuilder err = new StringBuilder();
        assertEquals(0, adm(err, "-A", "-t", VIP + ":80", "-s", "rr"), err::toString);
        assertEquals(0, adm(err, "-a", "-t", VIP + ":80", "-r", RS1 + ":80", method), err::toString);
    }

    byte[] clientTcp(int sport, int flags, int tos, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).tos(tos).dontFragment(true)
                .tcp(sport, 80).flags(flags).payload(payload).build();
    }

    void receive(FakePort on, byte[] frame) {
        pipeline.beginBatch(on, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, 0);
    }

    @Test
    void directRoutingSendsTheUnchangedPacketToTheServersMac() {
        start(1500);
        service("-g");
        byte[] in = clientTcp(40000, SYN, 0, 10);
        receive(clientSide, in);
        byte[] out = serverSide.takeOnly();
        FlowDescription f = parseValid(out);
        assertEquals(RS1_MAC, macAt(out, 0));
        assertEquals(DIR_SERVER_MAC, macAt(out, 6));
        assertEquals(v4(VIP), f.dstV4(), "DR keeps the VIP as destination");
        assertEquals(80, f.dstPort);
        assertEquals(v4(CLIENT), f.srcV4());
        assertEquals(63, f.ttl, "IPVS decrements the TTL of forwarded packets");
        assertArrayEquals(Arrays.copyOfRange(in, 34, in.length), Arrays.copyOfRange(out, 34, out.length),
                "transport header and payload untouched");
    }

    @Test
    void directRoutingConnectionsFollowTheInputOnlyStateTable() {
        start(1500);
        service("-g");
        receive(clientSide, clientTcp(40001, SYN, 0, 0));
        receive(clientSide, clientTcp(40001, ACK, 0, 0));
        assertEquals("ESTABLISHED", stateOfOnlyConnection(), "SYN, then the client's ACK, without any reply seen");
        receive(clientSide, clientTcp(40001, 0x01 | ACK, 0, 0));
        // The INPUT-ONLY table takes the client's FIN in ESTABLISHED to FIN_WAIT (the INPUT table: CLOSE_WAIT).
        assertEquals("FIN_WAIT", stateOfOnlyConnection());
    }

    @Test
    void tunnelWrapsThePacketInIpipFromTheEgressAddressToTheRealServer() {
        start(1500);
        service("-i");
        byte[] in = clientTcp(40002, SYN, 0x03 /* CE */ | 0xB8, 100);
        receive(clientSide, in);
        byte[] out = serverSide.takeOnly();
        FlowDescription outer = parseValid(out);
        assertEquals(RS1_MAC, macAt(out, 0));
        assertEquals(IpInIp.IPV4_OVERHEAD + in.length - 14, outer.ipTotalLength);
        assertEquals(4, outer.protocol);
        assertEquals(v4(DIRECTOR_SERVER_ADDRESS), outer.srcV4(), "outer source: the director's address on the egress side");
        assertEquals(v4(RS1), outer.dstV4());
        assertEquals(0xB8 | 0x02, outer.tos, "DSCP copied, CE sent outside as ECT(0)");
        assertTrue(outer.dontFragment, "DF copied from the inner packet");
        FlowDescription inner = new FlowDescription();
        MemorySegment seg = MemorySegment.ofArray(out);
        assertEquals(ParseStatus.OK, PacketParser.parseIp(seg, outer.l4Offset, outer.l4Length, inner));
        assertEquals(v4(VIP), inner.dstV4());
        assertEquals(63, inner.ttl);
        assertEquals(inner.ttl, outer.ttl, "outer TTL is the inner one");
        assertTrue(Checksums.verify(seg, inner), "inner checksums valid");
    }

    @Test
    void tooBigDfPacketGetsFragmentationNeededWithTheTunnelMtuAndIsCounted() {
        start(1400);
        service("-i");
        receive(clientSide, clientTcp(40003, SYN, 0, 0));
        serverSide.takeOnly();
        byte[] big = clientTcp(40003, ACK, 0, 1400 - 40); // IP length 1400: fits the link, not the tunnel
        receive(clientSide, big);
        assertTrue(serverSide.sent.isEmpty(), "nothing may go to the server");
        byte[] icmp = clientSide.takeOnly();
        FlowDescription f = parseValid(icmp);
        assertEquals(CLIENT_MAC, macAt(icmp, 0));
        assertEquals(1, f.protocol);
        assertEquals(3, f.icmpType);
        assertEquals(4, f.icmpCode);
        assertEquals(v4(CLIENT), f.dstV4());
        assertEquals(v4(VIP), f.srcV4());
        int mtu = ((icmp[(int) f.l4Offset + 6] & 0xFF) << 8) | (icmp[(int) f.l4Offset + 7] & 0xFF);
        assertEquals(1400 - 20, mtu);
        assertEquals(1, drops.get(DropReason.FRAG_NEEDED_SENT));
        receive(clientSide, clientTcp(40003, ACK, 0, 1380 - 40));
        assertEquals(1400, parseValid(serverSide.takeOnly()).ipTotalLength, "a packet of the tunnel MTU fits");
    }

    @Test
    void fragmentationNeededAboutATunnelPacketIsMappedBackToTheClientAndLearnt() {
        start(1500);
        service("-i");
        receive(clientSide, clientTcp(40004, SYN, 0, 0));
        serverSide.takeOnly();
        receive(clientSide, clientTcp(40004, ACK, 0, 1000));
        byte[] tunnelled = serverSide.takeOnly();
        // A hop behind the director (here: the server itself) cannot take 1060 bytes: it says so, quoting the
        // outer packet (as Linux does, as much as fits in 576 bytes).
        byte[] quote = Arrays.copyOfRange(tunnelled, 14, 14 + 548);
        byte[] error = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, DIRECTOR_SERVER_ADDRESS)
                .icmpPacketTooBig(1000, quote).build();
        receive(serverSide, error);
        byte[] icmp = clientSide.takeOnly();
        FlowDescription f = parseValid(icmp);
        assertEquals(CLIENT_MAC, macAt(icmp, 0));
        assertEquals(v4(VIP), f.srcV4());
        assertEquals(v4(CLIENT), f.dstV4());
        assertEquals(3, f.icmpType);
        assertEquals(4, f.icmpCode);
        assertEquals(1000 - 20, ((icmp[(int) f.l4Offset + 6] & 0xFF) << 8) | (icmp[(int) f.l4Offset + 7] & 0xFF));
        assertEquals(40004, f.innerSrcPort, "the quote is the client's own packet");
        assertEquals(v4(VIP), (int) f.innerDstLo);
        assertEquals(1, drops.get(DropReason.FRAG_NEEDED_SENT));
        // The learnt path MTU applies to the next packets of any connection to that server.
        receive(clientSide, clientTcp(40004, ACK, 0, 1000));
        assertTrue(serverSide.sent.isEmpty());
        clientSide.takeOnly();
        assertEquals(2, drops.get(DropReason.FRAG_NEEDED_SENT));
        receive(clientSide, clientTcp(40004, ACK, 0, 980 - 40));
        assertEquals(1000, parseValid(serverSide.takeOnly()).ipTotalLength);
    }

    @Test
    void directRoutingServerBehindAGatewayIsRefusedWithTheReason() {
        start(1500);
        StringBuilder err = new StringBuilder();
        assertEquals(0, adm(err, "-A", "-t", VIP + ":80", "-s", "rr"), err::toString);
        assertNotEquals(0, adm(err, "-a", "-t", VIP + ":80", "-r", FAR_SERVER + ":80", "-g"));
        assertTrue(err.toString().contains("direct routing needs the real server on a directly connected network"), err::toString);
        assertTrue(err.toString().contains("via the gateway 172.16.0.254"), err::toString);
        err.setLength(0);
        assertEquals(0, adm(err, "-a", "-t", VIP + ":80", "-r", FAR_SERVER + ":80", "-i"), err::toString);
    }

    @Test
    void tunnelTypesOtherThanIpipAreRefused() {
        start(1500);
        StringBuilder err = new StringBuilder();
        assertEquals(0, adm(err, "-A", "-t", VIP + ":80", "-s", "rr"), err::toString);
        assertNotEquals(0, adm(err, "-a", "-t", VIP + ":80", "-r", RS1 + ":80", "-i", "--tun-type", "gre"));
        assertTrue(err.toString().contains("jlvs: --tun-type gre is not supported yet: only ipip"), err::toString);
    }

    @Test
    void directRoutingAndTunnellingAllocateNothingPerPacket() {
        start(1500);
        StringBuilder err = new StringBuilder();
        assertEquals(0, adm(err, "-A", "-t", VIP + ":80", "-s", "rr"), err::toString);
        assertEquals(0, adm(err, "-a", "-t", VIP + ":80", "-r", RS1 + ":80", "-g"), err::toString);
        assertEquals(0, adm(err, "-A", "-t", VIP + ":81", "-s", "rr"), err::toString);
        assertEquals(0, adm(err, "-a", "-t", VIP + ":81", "-r", RS1 + ":81", "-i"), err::toString);
        FakePort.Counting clientIn = new FakePort.Counting("lan0", 1, DIR_CLIENT_MAC);
        FakePort.Counting serverOut = new FakePort.Counting("srv0", 2, DIR_SERVER_MAC);
        PacketPipeline quiet = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientIn, serverOut}), drops);
        byte[][] frames = new byte[2][];
        for (int k = 0; k < 2; k++) {
            byte[] syn = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).tcp(45000, 80 + k).flags(SYN).build();
            quiet.beginBatch(clientIn, System.nanoTime());
            quiet.onFrame(MemorySegment.ofArray(syn), 0, syn.length, 0);
            frames[k] = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(255).tcp(45000, 80 + k)
                    .flags(ACK).payload(100).build();
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[frames[0].length]);
        long allocated = Allocations.steadyStateBytes(100_000, i -> {
            byte[] frame = frames[i & 1];
            MemorySegment.copy(frame, 0, seg, ValueLayout.JAVA_BYTE, 0, frame.length);
            quiet.beginBatch(clientIn, System.nanoTime());
            quiet.onFrame(seg, 0, frame.length, 0);
        });
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 100k packets");
        assertEquals(300_002, serverOut.count, "every packet forwarded");
    }

    @Test
    void tooBigPacketWithoutDfIsSentAsOuterFragmentsThatReassembleToTheTunnelPacket() {
        start(1000);
        service("-i");
        receive(clientSide, clientTcp(40005, SYN, 0, 0));
        serverSide.takeOnly();
        byte[] big = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).dontFragment(false)
                .tcp(40005, 80).flags(ACK).payload(2000).build();
        receive(clientSide, big);
        assertEquals(3, serverSide.sent.size(), "2060 + 20 bytes over an MTU of 1000");
        byte[] reassembled = new byte[20 + big.length - 14];
        int expectedOffset = 0;
        for (int i = 0; i < 3; i++) {
            byte[] frag = serverSide.sent.get(i);
            FlowDescription f = parseValid(frag);
            assertTrue(f.ipTotalLength <= 1000, "fragment fits the MTU");
            assertEquals(4, f.protocol);
            assertEquals(v4(RS1), f.dstV4());
            assertEquals(expectedOffset, f.fragmentOffset);
            boolean more = (frag[14 + 6] & 0x20) != 0;
            assertEquals(i < 2, more, "MF on all but the last fragment");
            System.arraycopy(frag, 14 + 20, reassembled, 20 + expectedOffset, f.ipTotalLength - 20);
            expectedOffset += f.ipTotalLength - 20;
        }
        assertEquals(big.length - 14, expectedOffset, "the fragments carry the whole inner packet");
        FlowDescription inner = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parseIp(MemorySegment.ofArray(reassembled), 20, expectedOffset, inner));
        assertTrue(Checksums.verify(MemorySegment.ofArray(reassembled), inner));
        assertEquals(0, drops.get(DropReason.OVERSIZE));
    }

    private String stateOfOnlyConnection() {
        String[] state = new String[1];
        int[] n = new int[1];
        plane.connections().forEach(v -> {
            state[0] = v.stateName();
            n[0]++;
        });
        assertEquals(1, n[0]);
        return state[0];
    }
}
