package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.platform.net.Route;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.Arrays;
import java.lang.foreign.ValueLayout;

/**
 * The per-frame path without sockets: frames in, frames out, drop counters. Every emitted frame is parsed
 * again and its checksums verified, so a wrong rewrite fails here before any namespace test.
 */
class PipelineTest {
    static final String CLIENT = "10.0.0.2", VIP = "10.0.0.100", RS1 = "172.16.0.2", RS2 = "172.16.0.3";
    static final long CLIENT_MAC = PacketBuilder.mac("02:00:00:00:00:02");
    static final long DIR_CLIENT_MAC = PacketBuilder.mac("02:00:00:00:01:01");
    static final long DIR_SERVER_MAC = PacketBuilder.mac("02:00:00:00:01:02");
    static final long RS1_MAC = PacketBuilder.mac("02:00:00:00:02:02");
    static final long RS2_MAC = PacketBuilder.mac("02:00:00:00:02:03");
    static final int SYN = 0x02, ACK = 0x10;

    FakePort clientSide = new FakePort("cli0", 1, DIR_CLIENT_MAC);
    FakePort serverSide = new FakePort("srv0", 2, DIR_SERVER_MAC);
    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;
    DropCounters drops = new DropCounters();

    static int v4(String s) {
        String[] p = s.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]);
    }

    /** A fixed table; lookups scan two arrays so the hot path allocates nothing (no boxing). */
    static final class FixedNextHops implements NextHopLookup {
        final Map<Integer, NextHop> table = new HashMap<>();
        private int[] keys = new int[0];
        private NextHop[] hops = new NextHop[0];

        void freeze() {
            keys = table.keySet().stream().mapToInt(Integer::intValue).toArray();
            hops = new NextHop[keys.length];
            for (int i = 0; i < keys.length; i++) hops[i] = table.get(keys[i]);
        }

        @Override public NextHop lookup(int dst) {
            for (int i = 0; i < keys.length; i++) if (keys[i] == dst) return hops[i];
            return null;
        }
        @Override public NextHop lookupBlocking(int dst, Duration t) { return table.get(dst); }
        @Override public Route route(int dst) throws IOException { throw new IOException("no routes in tests"); }
    }

    FixedNextHops hops;

    @BeforeEach
    void setUp() {
        hops = new FixedNextHops();
        hops.table.put(v4(CLIENT), new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
        hops.table.put(v4(RS1), new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, v4("172.16.0.1"), 0));
        hops.table.put(v4(RS2), new NextHop(2, DIR_SERVER_MAC, RS2_MAC, 1500, v4("172.16.0.1"), 0));
        hops.freeze();
        plane = new DataPlane(4096, hops);
        ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @AfterEach
    void tearDown() {
        plane.connections().close();
    }

    /** Runs a jlvsadm command against the runtime, which must succeed; returns what it printed. */
    String adm(String... argv) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int rc = new AdmExecutor(ipvs).execute(argv, out, err);
        assertEquals(0, rc, () -> String.join(" ", argv) + ": " + err);
        return out.toString();
    }

    void natService(String sched) {
        adm("-A", "-t", VIP + ":80", "-s", sched);
        adm("-a", "-t", VIP + ":80", "-r", RS1 + ":8080", "-m");
        adm("-a", "-t", VIP + ":80", "-r", RS2 + ":8080", "-m");
    }

    void receive(FakePort on, byte[] frame, int status) {
        MemorySegment seg = MemorySegment.ofArray(frame.clone());
        pipeline.beginBatch(on, System.nanoTime());
        pipeline.onFrame(seg, 0, frame.length, status);
    }

    /** Sends a frame from the client and returns what left towards the servers, parsed and its checksums checked. */
    FlowDescription forwardFromClient(byte[] frame) {
        receive(clientSide, frame, 0);
        return parseValid(serverSide.takeOnly());
    }

    static FlowDescription parseValid(byte[] frame) {
        FlowDescription f = new FlowDescription();
        MemorySegment seg = MemorySegment.ofArray(frame);
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, 0, frame.length, f), () -> PacketBuilder.hex(frame));
        if (f.ipVersion == 4) {
            assertTrue(Checksums.verify(seg, f), () -> "bad checksum in " + PacketBuilder.hex(frame));
        }
        return f;
    }

    static long macAt(byte[] frame, int off) {
        long m = 0;
        for (int i = 0; i < 6; i++) m = (m << 8) | (frame[off + i] & 0xFF);
        return m;
    }

    byte[] clientTcp(int sport, int flags) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).tcp(sport, 80).flags(flags)
                .payload(new byte[] {1, 2, 3, 4, 5}).build();
    }

    @Test
    void synToVipIsScheduledAndRewrittenToTheRealServer() {
        natService("rr");
        receive(clientSide, clientTcp(40000, SYN), 0);
        byte[] out = serverSide.takeOnly();
        FlowDescription f = parseValid(out);
        assertEquals(RS1_MAC, macAt(out, 0), "destination MAC is the real server's");
        assertEquals(DIR_SERVER_MAC, macAt(out, 6), "source MAC is the egress port's");
        assertEquals(v4(RS1), f.dstV4());
        assertEquals(8080, f.dstPort);
        assertEquals(v4(CLIENT), f.srcV4(), "the server sees the client's own address");
        assertEquals(40000, f.srcPort);
        assertEquals(63, f.ttl, "TTL decremented");
        assertEquals(1, plane.connections().size());
    }

    @Test
    void realServerIdsComeFromTheDataPlaneAndADeletedServersIdIsFreedWithItsLastConnection() {
        natService("rr");
        RuntimeDest rs1 = ipvs.runningServices().getFirst().dests().stream()
                .filter(d -> d.addressV4() == v4(RS1)).findFirst().orElseThrow();
        assertEquals(2, plane.serverIds().size());
        assertEquals(0, rs1.server().id(), "each data plane numbers its servers from 0");
        assertSame(rs1.server(), plane.serverIds().lookup(0));
        forwardFromClient(clientTcp(40000, SYN)); // rr: to RS1
        assertEquals(1, plane.connections().size());

        adm("-d", "-t", VIP + ":80", "-r", RS1 + ":8080");
        ipvs.releaseDrained();
        assertSame(rs1.server(), plane.serverIds().lookup(0), "the id stays while a connection names the server");
        assertEquals(1, plane.connections().expire(System.nanoTime() + 3_600_000_000_000L, Integer.MAX_VALUE));
        ipvs.releaseDrained();
        assertNull(plane.serverIds().lookup(0), "released once its last connection ended");
        assertEquals(1, plane.serverIds().size());
    }

    @Test
    void partialChecksumFromALocalStackIsCompletedNotUpdated() {
        natService("rr");
        byte[] partial = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).tcp(40001, 80).flags(SYN)
                .payload(new byte[] {9, 9, 9}).partialChecksum().build();
        receive(clientSide, partial, PacketPort.CSUM_PARTIAL);
        parseValid(serverSide.takeOnly());
    }

    @Test
    void replyFromRealServerIsRewrittenToTheVip() {
        natService("rr");
        receive(clientSide, clientTcp(40002, SYN), 0);
        serverSide.takeOnly();
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).ttl(64).tcp(8080, 40002)
                .flags(SYN | ACK).build();
        receive(serverSide, reply, 0);
        byte[] out = clientSide.takeOnly();
        FlowDescription f = parseValid(out);
        assertEquals(CLIENT_MAC, macAt(out, 0));
        assertEquals(v4(VIP), f.srcV4());
        assertEquals(80, f.srcPort);
        assertEquals(v4(CLIENT), f.dstV4());
        assertEquals(40002, f.dstPort);
    }

    @Test
    void replyToAClientWhoseNeighbourIsUnresolvedIsHeldUntilItResolves() {
        natService("rr");
        NextHop clientHop = hops.table.get(v4(CLIENT));
        hops.table.remove(v4(CLIENT));
        hops.freeze();
        receive(clientSide, clientTcp(40003, SYN), 0);
        serverSide.takeOnly();
        byte[] reply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).tcp(8080, 40003)
                .flags(SYN | ACK).build();
        receive(serverSide, reply, 0);
        assertTrue(clientSide.sent.isEmpty(), "nothing to send while ARP runs");
        assertTrue(pipeline.hasPending());
        hops.table.put(v4(CLIENT), clientHop);
        hops.freeze();
        pipeline.retryPending(System.nanoTime());
        byte[] out = clientSide.takeOnly();
        assertEquals(CLIENT_MAC, macAt(out, 0));
        assertEquals(v4(VIP), parseValid(out).srcV4());
        assertEquals(0, drops.get(DropReason.NO_ROUTE));
    }

    @Test
    void heldFrameIsDroppedAndCountedWhenItsNeighbourNeverResolves() {
        natService("rr");
        hops.table.remove(v4(CLIENT));
        hops.freeze();
        receive(clientSide, clientTcp(40004, SYN), 0);
        serverSide.takeOnly();
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).tcp(8080, 40004)
                .flags(SYN | ACK).build(), 0);
        pipeline.retryPending(System.nanoTime() + 2_000_000_000L);
        assertTrue(clientSide.sent.isEmpty());
        assertEquals(1, drops.get(DropReason.NO_ROUTE));
        assertTrue(!pipeline.hasPending());
    }

    @Test
    void roundRobinAlternatesServersPerConnection() {
        natService("rr");
        for (int i = 0; i < 4; i++) receive(clientSide, clientTcp(41000 + i, SYN), 0);
        int[] seen = new int[2];
        for (byte[] frame : serverSide.sent) seen[parseValid(frame).dstV4() == v4(RS1) ? 0 : 1]++;
        assertEquals(2, seen[0]);
        assertEquals(2, seen[1]);
    }

    @Test
    void packetsOfOneConnectionStickToItsServer() {
        natService("rr");
        receive(clientSide, clientTcp(42000, SYN), 0);
        int first = parseValid(serverSide.takeOnly()).dstV4();
        receive(clientSide, clientTcp(42000, ACK), 0);
        assertEquals(first, parseValid(serverSide.takeOnly()).dstV4());
    }

    @Test
    void nonSynWithoutConnectionIsDroppedAndCounted() {
        natService("rr");
        receive(clientSide, clientTcp(43000, ACK), 0);
        assertTrue(serverSide.sent.isEmpty());
        assertEquals(1, drops.get(DropReason.NOT_SYN));
    }

    @Test
    void vipPortWithoutServiceIsDroppedAndCounted() {
        natService("rr");
        byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).tcp(43001, 443).flags(SYN).build();
        receive(clientSide, frame, 0);
        assertTrue(serverSide.sent.isEmpty());
        assertEquals(1, drops.get(DropReason.NO_SERVICE));
    }

    @Test
    void malformedFrameIsCountedNotThrown() {
        natService("rr");
        byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ihl(3).tcp(1, 80).build();
        receive(clientSide, frame, 0);
        assertEquals(1, drops.get(DropReason.MALFORMED));
    }

    @Test
    void arpRequestForVipIsAnsweredWithTheReceivingPortsMac() {
        natService("rr");
        byte[] request = PacketBuilder.ethernet(CLIENT_MAC, 0xFFFF_FFFF_FFFFL).arpRequest("02:00:00:00:00:02", CLIENT, VIP).build();
        receive(clientSide, request, 0);
        byte[] reply = clientSide.takeOnly();
        FlowDescription f = parseValid(reply);
        assertEquals(2, f.arpOperation);
        assertEquals(v4(VIP), f.arpSenderIp);
        assertEquals(DIR_CLIENT_MAC, macAt(reply, 14 + 8), "sender hardware address");
        assertEquals(CLIENT_MAC, macAt(reply, 0));
    }

    @Test
    void arpRequestForAnotherAddressIsLeftToTheKernel() {
        natService("rr");
        byte[] request = PacketBuilder.ethernet(CLIENT_MAC, 0xFFFF_FFFF_FFFFL).arpRequest("02:00:00:00:00:02", CLIENT, "10.0.0.1").build();
        receive(clientSide, request, 0);
        assertTrue(clientSide.sent.isEmpty());
    }

    @Test
    void pingToVipIsAnswered() {
        natService("rr");
        byte[] ping = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).icmpEcho(true, 7, 1).payload(new byte[32]).build();
        receive(clientSide, ping, 0);
        FlowDescription f = parseValid(clientSide.takeOnly());
        assertEquals(0, f.icmpType, "echo reply");
        assertEquals(v4(VIP), f.srcV4());
        assertEquals(v4(CLIENT), f.dstV4());
    }

    @Test
    void icmpErrorFromRealServerIsTranslatedForTheClient() {
        adm("-A", "-u", VIP + ":53", "-s", "rr");
        adm("-a", "-u", VIP + ":53", "-r", RS1 + ":5353", "-m");
        byte[] query = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).udp(50000, 53).payload(new byte[8]).build();
        receive(clientSide, query, 0);
        byte[] forwarded = serverSide.takeOnly();
        // The server answers with port unreachable, quoting the packet it got (client -> RS1:5353).
        byte[] quoted = Arrays.copyOfRange(forwarded, 14, forwarded.length);
        byte[] error = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv4(RS1, CLIENT).icmpError(3, 3, quoted).build();
        receive(serverSide, error, 0);
        byte[] out = clientSide.takeOnly();
        FlowDescription f = parseValid(out);
        assertTrue(f.icmpError);
        assertEquals(v4(VIP), f.srcV4(), "outer source is the VIP");
        assertEquals(v4(VIP), (int) f.innerDstLo, "quoted destination is the VIP");
        assertEquals(53, f.innerDstPort, "quoted destination port is the virtual port");
        assertEquals(v4(CLIENT), (int) f.innerSrcLo);
    }

    @Test
    void forwardingAnEstablishedConnectionAllocatesNothing() {
        natService("rr");
        FakePort.Counting clientIn = new FakePort.Counting("cli0", 1, DIR_CLIENT_MAC);
        FakePort.Counting serverOut = new FakePort.Counting("srv0", 2, DIR_SERVER_MAC);
        PacketPipeline quiet = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientIn, serverOut}), drops);
        byte[] syn = clientTcp(45000, SYN);
        byte[] data = clientTcp(45000, ACK);
        MemorySegment seg = MemorySegment.ofArray(data.clone());
        quiet.beginBatch(clientIn, System.nanoTime());
        quiet.onFrame(MemorySegment.ofArray(syn), 0, syn.length, 0);
        long allocated = Allocations.steadyStateBytes(100_000, i -> {
            MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_BYTE, 0, data.length);
            quiet.beginBatch(clientIn, System.nanoTime());
            quiet.onFrame(seg, 0, data.length, 0);
        });
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 100k packets");
        assertEquals(300_001, serverOut.count, "every packet forwarded");
    }

    @Test
    void quiescentServerGetsNoNewConnectionsButKeepsItsOwn() {
        natService("rr");
        receive(clientSide, clientTcp(44000, SYN), 0);
        int first = parseValid(serverSide.takeOnly()).dstV4();
        String firstName = first == v4(RS1) ? RS1 : RS2;
        adm("-e", "-t", VIP + ":80", "-r", firstName + ":8080", "-m", "-w", "0");
        receive(clientSide, clientTcp(44000, ACK), 0);
        assertEquals(first, parseValid(serverSide.takeOnly()).dstV4(), "existing connection keeps its server");
        for (int i = 1; i <= 5; i++) {
            receive(clientSide, clientTcp(44000 + i, SYN), 0);
            assertTrue(parseValid(serverSide.takeOnly()).dstV4() != first, "no new connection to a weight-0 server");
        }
    }
}
