package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionTable;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.NeighbourDiscovery;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;

import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.VIP;
import static io.jlvs.forwarder.Ipv6PipelineTest.address;
import static io.jlvs.forwarder.Ipv6PipelineTest.fixed;
import static io.jlvs.forwarder.Ipv6PipelineTest.parseValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FullNAT for IPv6 services on the per-frame path: both endpoints rewritten with valid checksums, replies found by
 * the local port, a port per connection, the pool's exhaustion counted, the local address owned through Neighbour
 * Discovery; and what jlvsadm accepts and refuses for it. The PROXY header and ICMPv6 errors:
 * {@link Fullnat6ProxyHeaderTest}, {@link Fullnat6IcmpErrorsTest}.
 */
class Fullnat6PipelineTest {
    static final String LADDR = "fd00:2::50", LADDR_B = "fd00:2::51";
    static final int SYN = Tcp.SYN, ACK = Tcp.ACK;

    final FakePort clientSide = new FakePort("cli0", 1, DIR_CLIENT_MAC);
    final FakePort serverSide = new FakePort("srv0", 2, DIR_SERVER_MAC);
    final DropCounters drops = new DropCounters();
    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;

    @BeforeEach
    void setUp() {
        plane = new DataPlane(70_000, new PipelineTest.FixedNextHops()); // room for every port of a local address
        plane.setIpv6NextHops(fixed(
                CLIENT, new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, 0, 0),
                RS1, new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, 0, 0)));
        ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ, ForwardMethod.FULLNAT), null);
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @AfterEach
    void tearDown() { plane.connections().close(); }

    int adm(StringBuilder out, StringBuilder err, String... argv) {
        return new AdmExecutor(ipvs).execute(argv, out, err);
    }

    void admOk(String... argv) {
        StringBuilder err = new StringBuilder();
        assertEquals(0, adm(new StringBuilder(), err, argv), () -> String.join(" ", argv) + ": " + err);
    }

    String admRefused(String... argv) {
        StringBuilder err = new StringBuilder();
        assertNotEquals(0, adm(new StringBuilder(), err, argv), () -> String.join(" ", argv) + " was accepted");
        return err.toString();
    }

    void fullNatService() {
        admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr", "--laddr", LADDR);
        admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080", "--fullnat");
    }

    static byte[] fromClient(int sport, int flags) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(sport, 80)
                .flags(flags).seq(1000).payload(new byte[] {1, 2, 3, 4, 5}).build();
    }

    static byte[] fromServer(int lport, int flags) {
        return PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, LADDR).ttl(64).tcp(8080, lport)
                .flags(flags).seq(5000).ack(1001).payload(new byte[] {9, 8, 7}).build();
    }

    /** Receives a frame; the one frame sent on {@code out}, parsed with its checksums verified. */
    FlowDescription send(FakePort on, byte[] frame, FakePort out) {
        return parseValid(sendRaw(on, frame, out));
    }

    /** Receives a frame; the one frame sent on {@code out}, as sent. */
    private byte[] lastSent;

    byte[] sendRaw(FakePort on, byte[] frame, FakePort out) {
        pipeline.beginBatch(on, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, 0);
        if (out.sent.size() != 1) {
            StringBuilder why = new StringBuilder();
            for (DropReason r : DropReason.values()) if (drops.get(r) > 0) why.append(r).append('=').append(drops.get(r)).append(' ');
            throw new AssertionError("nothing sent; drops: " + why);
        }
        lastSent = out.takeOnly();
        return lastSent;
    }

    static void assertAddress(String expected, long hi, long lo) {
        assertArrayEquals(address(expected), new long[] {hi, lo}, expected);
    }

    @Test
    void bothEndpointsAreRewrittenWithValidChecksumsAndTheReplyFindsItsConnectionByTheLocalPort() {
        fullNatService();
        FlowDescription out = send(clientSide, fromClient(40000, SYN), serverSide);
        assertAddress(LADDR, out.srcHi, out.srcLo);
        assertAddress(RS1, out.dstHi, out.dstLo);
        assertEquals(8080, out.dstPort);
        int lport = out.srcPort;
        assertTrue(lport >= LocalAddressPorts.FIRST_PORT, "port " + lport);

        FlowDescription back = send(serverSide, fromServer(lport, SYN | ACK), clientSide);
        assertAddress(VIP, back.srcHi, back.srcLo);
        assertEquals(80, back.srcPort);
        assertAddress(CLIENT, back.dstHi, back.dstLo);
        assertEquals(40000, back.dstPort);
        assertEquals(1, plane.connections().size(), "one connection, found by the reply");

        // The client's next segment goes the same way, with the same local port.
        FlowDescription again = send(clientSide, fromClient(40000, ACK), serverSide);
        assertEquals(lport, again.srcPort);

        FlowDescription other = send(clientSide, fromClient(40001, SYN), serverSide);
        assertNotEquals(lport, other.srcPort, "a second connection takes another port");

        long before = drops.get(DropReason.NOT_HANDLED);
        byte[] stray = fromServer(lport == 65535 ? 1024 : 65535, ACK);
        pipeline.beginBatch(serverSide, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(stray), 0, stray.length, 0);
        assertEquals(before + 1, drops.get(DropReason.NOT_HANDLED), "a port no connection holds");
        assertTrue(clientSide.sent.isEmpty());
    }

    @Test
    void packetsTooBigForTheDirectorsOwnLinksAreAnsweredToTheirSenderQuotingWhatItSent() {
        fullNatService();
        int lport = send(clientSide, fromClient(40000, SYN), serverSide).srcPort;
        send(serverSide, fromServer(lport, SYN | ACK), clientSide);

        serverSide.mtu = 1400;
        byte[] big = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(40000, 80)
                .flags(ACK).seq(1006).ack(5001).payload(new byte[1500 - 40 - 20]).build();
        FlowDescription toClient = send(clientSide, big, clientSide);
        assertTrue(serverSide.sent.isEmpty(), "never fragmented in transit");
        assertEquals(Icmp.V6_PACKET_TOO_BIG, toClient.icmpType);
        assertAddress(VIP, toClient.srcHi, toClient.srcLo);
        assertAddress(CLIENT, toClient.dstHi, toClient.dstLo);
        assertAddress(CLIENT, toClient.innerSrcHi, toClient.innerSrcLo);
        assertEquals(40000, toClient.innerSrcPort, "the client's packet as it sent it");
        assertAddress(VIP, toClient.innerDstHi, toClient.innerDstLo);
        assertEquals(80, toClient.innerDstPort);
        serverSide.mtu = 1500;

        clientSide.mtu = 1400;
        byte[] bigReply = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, LADDR).ttl(64).tcp(8080, lport)
                .flags(ACK).seq(5001).ack(1006).payload(new byte[1500 - 40 - 20]).build();
        FlowDescription toServer = send(serverSide, bigReply, serverSide);
        assertTrue(clientSide.sent.isEmpty(), "never fragmented in transit");
        assertEquals(Icmp.V6_PACKET_TOO_BIG, toServer.icmpType);
        assertEquals(1400, Layouts.u32(MemorySegment.ofArray(lastSent), toServer.l4Offset + Icmp.V6_MTU));
        assertAddress(LADDR, toServer.srcHi, toServer.srcLo);
        assertAddress(RS1, toServer.dstHi, toServer.dstLo);
        assertAddress(RS1, toServer.innerSrcHi, toServer.innerSrcLo);
        assertEquals(8080, toServer.innerSrcPort, "the server's packet as it sent it");
        assertAddress(LADDR, toServer.innerDstHi, toServer.innerDstLo);
        assertEquals(lport, toServer.innerDstPort);
        assertEquals(2, drops.get(DropReason.PACKET_TOO_BIG_SENT));
    }

    @Test
    void anExhaustedPoolRefusesTheNewFlowAndCountsIt() {
        fullNatService();
        LocalAddressPorts ports = plane.services().ipv6().localAddressPorts(address(LADDR)[0], address(LADDR)[1]);
        assertNotNull(ports);
        ConnectionTable conns = plane.connections();
        long[] rs1 = address(RS1);
        for (int i = 0; i < LocalAddressPorts.PORTS; i++) assertTrue(ports.reserve(6, rs1[0], rs1[1], 8080, conns) >= 0);
        long before = drops.get(DropReason.LADDR_EXHAUSTED);
        byte[] syn = fromClient(40000, SYN);
        pipeline.beginBatch(clientSide, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(syn), 0, syn.length, 0);
        assertEquals(before + 1, drops.get(DropReason.LADDR_EXHAUSTED));
        assertTrue(serverSide.sent.isEmpty());
        assertEquals(0, plane.connections().size(), "no connection made");
    }

    @Test
    void theLocalAddressIsOwnedThroughNeighbourDiscovery() {
        fullNatService();
        pipeline.beginBatch(serverSide, System.nanoTime());
        byte[] ns = Ipv6PipelineTest.solicitation(LADDR);
        pipeline.onFrame(MemorySegment.ofArray(ns), 0, ns.length, 0);
        byte[] na = serverSide.takeOnly();
        FlowDescription f = parseValid(na);
        assertEquals(NeighbourDiscovery.NEIGHBOUR_ADVERTISEMENT, f.icmpType);
        MemorySegment seg = MemorySegment.ofArray(na);
        assertEquals(address(LADDR)[1], NeighbourDiscovery.targetLo(seg, f));
        assertEquals(DIR_SERVER_MAC, Layouts.mac(seg, f.l4Offset + 26));
        assertTrue(plane.services().ipv6Vips().stream().anyMatch(v -> v.lo() == address(LADDR)[1]),
                "in the VIP set the kernel is kept away from");
    }

    @Test
    void jlvsadmTakesIpv6PoolsAndTheProxyHeaderAndRefusesNat64AndMixedFamilies() {
        String v6 = "[" + VIP + "]:80";
        assertTrue(admRefused("-A", "-t", v6, "--laddr", "172.16.0.50").contains("service's family"));
        assertTrue(admRefused("-A", "-t", v6, "--laddr", LADDR + ",172.16.0.50").contains("one family"));
        admOk("-A", "-t", v6, "-s", "rr");
        assertTrue(admRefused("-a", "-t", v6, "-r", "[" + RS1 + "]:8080", "--fullnat").contains("--laddr"));
        assertTrue(admRefused("-P", "-t", v6, "-z", "172.16.0.50").contains("service's family"));
        admOk("-P", "-t", v6, "-z", LADDR);
        admOk("-P", "-t", v6, "-z", "[" + LADDR_B + "]");
        admOk("-a", "-t", v6, "-r", "[" + RS1 + "]:8080", "--fullnat");
        assertTrue(admRefused("-a", "-t", v6, "-r", "172.16.0.9:8080", "--fullnat").contains("NAT64"));
        admOk("-e", "-t", v6, "-r", "[" + RS1 + "]:8080", "--fullnat", "--proxy-protocol");
        admOk("-A", "-t", "10.0.0.100:80", "-s", "rr", "--laddr", "172.16.0.50");
        assertTrue(admRefused("-a", "-t", "10.0.0.100:80", "-r", "[" + RS1 + "]:8080", "--fullnat")
                .contains("NAT64"));
        assertTrue(admRefused("-a", "-t", "10.0.0.100:80", "-r", "[" + RS1 + "]:8080", "--fullnat", "--proxy-protocol")
                .contains("NAT64"));

        StringBuilder saved = new StringBuilder(), listed = new StringBuilder();
        assertEquals(0, adm(saved, new StringBuilder(), "-S", "-n"));
        assertTrue(saved.toString().contains("--laddr " + LADDR + "," + LADDR_B), saved::toString);
        assertTrue(saved.toString().contains("--fullnat") && saved.toString().contains("--proxy-protocol"),
                saved::toString);
        assertEquals(0, adm(listed, new StringBuilder(), "-G"));
        assertTrue(listed.toString().contains("TCP  [" + VIP + "]:80 ") && listed.toString().contains(LADDR)
                && listed.toString().contains(LADDR_B), listed::toString);

        // -R of the saved rules gives the same configuration back.
        admOk("-C");
        for (String line : saved.toString().split("\n")) {
            if (line.isBlank()) continue;
            admOk(line.trim().split("\\s+"));
        }
        StringBuilder again = new StringBuilder();
        assertEquals(0, adm(again, new StringBuilder(), "-S", "-n"));
        assertEquals(saved.toString(), again.toString());

        admOk("-Q", "-t", v6, "-z", LADDR_B);
        assertTrue(admRefused("-Q", "-t", v6, "-z", LADDR).contains("local addresses"), "the last one stays");
    }
}
