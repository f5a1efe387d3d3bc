package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmp;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.NeighbourDiscovery;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.net.Ipv6NextHopLookup;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IPv6 path without sockets: NAT66 both ways, direct routing, Neighbour Discovery and echo for the VIP, ICMPv6
 * errors about a connection, the refusals, and no allocation per packet. Every emitted frame is parsed again and
 * its checksums verified.
 */
class Ipv6PipelineTest {
    static final String CLIENT = "fd00:1::2", VIP = "fd00:1::100", RS1 = "fd00:2::2", RS2 = "fd00:2::3";
    static final String DR1 = "fd00:1::11";
    static final long CLIENT_MAC = PacketBuilder.mac("02:00:00:00:00:02");
    static final long DIR_CLIENT_MAC = PacketBuilder.mac("02:00:00:00:01:01");
    static final long DIR_SERVER_MAC = PacketBuilder.mac("02:00:00:00:01:02");
    static final long RS1_MAC = PacketBuilder.mac("02:00:00:00:02:02");
    static final long RS2_MAC = PacketBuilder.mac("02:00:00:00:02:03");
    static final long DR1_MAC = PacketBuilder.mac("02:00:00:00:03:01");

    final FakePort clientSide = new FakePort("cli0", 1, DIR_CLIENT_MAC);
    final FakePort serverSide = new FakePort("srv0", 2, DIR_SERVER_MAC);
    final DropCounters drops = new DropCounters();
    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;

    static long[] address(String text) {
        try {
            ByteBuffer b = ByteBuffer.wrap(InetAddress.getByName(text).getAddress());
            return new long[] {b.getLong(), b.getLong()};
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A fixed table scanned linearly: the hot path allocates nothing. */
    static Ipv6NextHopLookup fixed(Object... addressAndHop) {
        int n = addressAndHop.length / 2;
        long[] his = new long[n], los = new long[n];
        NextHop[] hops = new NextHop[n];
        for (int i = 0; i < n; i++) {
            long[] a = address((String) addressAndHop[2 * i]);
            his[i] = a[0];
            los[i] = a[1];
            hops[i] = (NextHop) addressAndHop[2 * i + 1];
        }
        return (hi, lo) -> {
            for (int i = 0; i < his.length; i++) if (his[i] == hi && los[i] == lo) return hops[i];
            return null;
        };
    }

    @BeforeEach
    void setUp() {
        plane = new DataPlane(4096, new PipelineTest.FixedNextHops());
        plane.setIpv6NextHops(fixed(
                CLIENT, new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, 0, 0),
                RS1, new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 1500, 0, 0),
                RS2, new NextHop(2, DIR_SERVER_MAC, RS2_MAC, 1500, 0, 0),
                DR1, new NextHop(1, DIR_CLIENT_MAC, DR1_MAC, 1500, 0, 0)));
        ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ,
                EnumSet.of(ForwardMethod.MASQ, ForwardMethod.ROUTE, ForwardMethod.TUNNEL), null);
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @AfterEach
    void tearDown() {
        plane.connections().close();
    }

    int adm(StringBuilder err, String... argv) {
        return new AdmExecutor(ipvs).execute(argv, new StringBuilder(), err);
    }

    void admOk(String... argv) {
        StringBuilder err = new StringBuilder();
        assertEquals(0, adm(err, argv), () -> String.join(" ", argv) + ": " + err);
    }

    void natService() {
        admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr");
        admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080", "-m");
        admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + RS2 + "]:8080", "-m");
    }

    void receive(FakePort on, byte[] frame) {
        pipeline.beginBatch(on, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, 0);
    }

    static FlowDescription parseValid(byte[] frame) {
        FlowDescription f = new FlowDescription();
        MemorySegment seg = MemorySegment.ofArray(frame);
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, 0, frame.length, f), () -> PacketBuilder.hex(frame));
        assertTrue(Checksums.verify(seg, f), () -> "bad checksum in " + PacketBuilder.hex(frame));
        return f;
    }

    static byte[] clientTcp(int sport, int flags) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(sport, 80)
                .flags(flags).payload(new byte[] {1, 2, 3, 4, 5}).build();
    }

    static long mac(byte[] frame, int at) {
        return Layouts.mac(MemorySegment.ofArray(frame), at);
    }

    @Test
    void nat66SendsTheClientsSegmentsToARealServerAndItsRepliesBackFromTheVip() {
        natService();
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        byte[] out = serverSide.takeOnly();
        FlowDescription f = parseValid(out);
        long[] rs1 = address(RS1), rs2 = address(RS2), vip = address(VIP);
        boolean first = f.dstLo == rs1[1];
        assertTrue(first || f.dstLo == rs2[1], "to a real server");
        assertEquals(8080, f.dstPort);
        assertEquals(63, f.ttl, "hop limit decremented");
        assertEquals(first ? RS1_MAC : RS2_MAC, mac(out, Ethernet.DST_MAC));

        byte[] reply = PacketBuilder.ethernet(first ? RS1_MAC : RS2_MAC, DIR_SERVER_MAC)
                .ipv6(first ? RS1 : RS2, CLIENT).ttl(64).tcp(8080, 40000).flags(Tcp.SYN | Tcp.ACK).payload(7).build();
        receive(serverSide, reply);
        byte[] back = clientSide.takeOnly();
        FlowDescription r = parseValid(back);
        assertEquals(vip[0], r.srcHi);
        assertEquals(vip[1], r.srcLo);
        assertEquals(80, r.srcPort);
        assertEquals(CLIENT_MAC, mac(back, Ethernet.DST_MAC));

        receive(clientSide, clientTcp(40001, Tcp.SYN));
        assertNotEquals(f.dstLo, parseValid(serverSide.takeOnly()).dstLo, "round robin: the other server");
    }

    @Test
    void aNeighbourSolicitationForTheVipIsAnsweredWithTheDirectorsMacAndOthersAreLeftAlone() {
        natService();
        receive(clientSide, solicitation(VIP));
        byte[] na = clientSide.takeOnly();
        FlowDescription f = parseValid(na);
        assertEquals(NeighbourDiscovery.NEIGHBOUR_ADVERTISEMENT, f.icmpType);
        MemorySegment seg = MemorySegment.ofArray(na);
        assertEquals(address(VIP)[1], NeighbourDiscovery.targetLo(seg, f));
        assertEquals(DIR_CLIENT_MAC, Layouts.mac(seg, f.l4Offset + 26));
        assertEquals(CLIENT_MAC, mac(na, Ethernet.DST_MAC));

        long before = drops.get(DropReason.NOT_HANDLED);
        receive(clientSide, solicitation("fd00:1::1"));
        assertTrue(clientSide.sent.isEmpty(), "the director's own address is its kernel's to answer");
        assertEquals(before + 1, drops.get(DropReason.NOT_HANDLED));
    }

    /** A solicitation from the client for {@code target}, to its solicited-node multicast address. */
    static byte[] solicitation(String target) {
        long[] t = address(target);
        byte[] frame = PacketBuilder.ethernet(CLIENT_MAC, PacketBuilder.mac("33:33:ff:00:01:00"))
                .ipv6(CLIENT, "ff02::1:ff00:100").ttl(255).protocol(58).payload(new byte[32]).build();
        MemorySegment seg = MemorySegment.ofArray(frame);
        long icmp = Ethernet.HEADER_LENGTH + 40;
        Layouts.put8(seg, icmp, NeighbourDiscovery.NEIGHBOUR_SOLICITATION);
        Layouts.put64(seg, icmp + 8, t[0]);
        Layouts.put64(seg, icmp + 16, t[1]);
        Layouts.put8(seg, icmp + 24, 1);
        Layouts.put8(seg, icmp + 25, 1);
        Layouts.putMac(seg, icmp + 26, CLIENT_MAC);
        Layouts.put16(seg, icmp + 2, 0);
        Layouts.put16(seg, icmp + 2, Checksums.transportIpv6(seg, Ethernet.HEADER_LENGTH, icmp, 32, 58));
        return frame;
    }

    @Test
    void anEchoRequestToTheVipIsAnswered() {
        natService();
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).icmpEcho(true, 7, 1)
                .payload(16).build());
        FlowDescription f = parseValid(clientSide.takeOnly());
        assertEquals(Icmp.V6_ECHO_REPLY, f.icmpType);
        assertEquals(address(VIP)[1], f.srcLo);
    }

    @Test
    void aPacketTooBigFromTheServersSideReachesTheClientQuotingTheVip() {
        natService();
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        FlowDescription sent = parseValid(serverSide.takeOnly());
        String server = sent.dstLo == address(RS1)[1] ? RS1 : RS2;
        byte[] quoted = PacketBuilder.ipOnly().ipv6(CLIENT, server).tcp(40000, 8080).payload(40).build();
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(server, CLIENT)
                .icmpPacketTooBig(1400, quoted).build());
        FlowDescription f = parseValid(clientSide.takeOnly());
        assertEquals(Icmp.V6_PACKET_TOO_BIG, f.icmpType);
        assertEquals(address(VIP)[1], f.srcLo, "from the VIP");
        assertEquals(address(VIP)[1], f.innerDstLo, "quoting the VIP");
        assertEquals(80, f.innerDstPort);
    }

    @Test
    void directRoutingSendsThePacketUnchangedToTheServersMac() {
        admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr");
        admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + DR1 + "]:80", "-g");
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        byte[] out = clientSide.takeOnly();
        FlowDescription f = parseValid(out);
        assertEquals(address(VIP)[1], f.dstLo, "the destination stays the VIP");
        assertEquals(DR1_MAC, mac(out, Ethernet.DST_MAC));
    }

    @Test
    void mixedFamiliesAreRefusedAndChangeNothing() {
        admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr");
        StringBuilder err = new StringBuilder();
        assertNotEquals(0, adm(err, "-a", "-t", "[" + VIP + "]:80", "-r", "10.0.0.5:80", "-m"));
        assertTrue(err.toString().contains("Different address family"), err.toString());
        err.setLength(0);
        assertNotEquals(0, adm(err, "-a", "-t", "[" + VIP + "]:80", "-r", "10.0.0.5:80", "-i"));
        assertTrue(err.toString().contains("must be IPv6"), err.toString());
        assertTrue(ipvs.runningServices().getFirst().dests().isEmpty());
    }

    @Test
    void tunnellingWrapsThePacketInIpv6FromTheDirectorsAddress() {
        tunnelService(1500);
        byte[] in = clientTcp(40000, Tcp.SYN);
        receive(clientSide, in);
        byte[] out = serverSide.takeOnly();
        FlowDescription outer = parseValid(out);
        assertEquals(41, outer.protocol, "IPv6-in-IPv6");
        assertEquals(address(RS1)[1], outer.dstLo);
        assertEquals(address("fd00:2::1")[1], outer.srcLo, "from the director's address toward the server");
        assertEquals(in.length - Ethernet.HEADER_LENGTH + 40, outer.ipTotalLength);
        FlowDescription inner = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parseIp(MemorySegment.ofArray(out), outer.l4Offset,
                out.length - (int) outer.l4Offset, inner));
        assertEquals(address(VIP)[1], inner.dstLo, "the inner packet still goes to the VIP");
        assertEquals(63, inner.ttl);
    }

    /**
     * The client's segment of {@code ipLength} bytes on connection 40000 draws Packet Too Big with {@code mtu} from
     * the VIP, back to the client's MAC, and reaches no server; the error, parsed.
     */
    FlowDescription bigSegmentAnsweredWithPacketTooBigFromTheVip(int ipLength, int mtu) {
        byte[] big = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(40000, 80)
                .flags(Tcp.ACK).payload(ipLength - 40 - 20).build();
        receive(clientSide, big);
        assertTrue(serverSide.sent.isEmpty(), "never fragmented in transit");
        byte[] ptb = clientSide.takeOnly();
        FlowDescription f = parseValid(ptb);
        assertEquals(Icmp.V6_PACKET_TOO_BIG, f.icmpType);
        assertEquals(mtu, Layouts.u32(MemorySegment.ofArray(ptb), f.l4Offset + Icmp.V6_MTU));
        assertEquals(address(VIP)[1], f.srcLo, "from the VIP");
        assertEquals(address(CLIENT)[1], f.dstLo);
        assertEquals(CLIENT_MAC, mac(ptb, Ethernet.DST_MAC));
        return f;
    }

    @Test
    void aPacketTooBigForTheTunnelIsAnsweredWithPacketTooBigFromTheVip() {
        tunnelService(1400);
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        serverSide.takeOnly();
        bigSegmentAnsweredWithPacketTooBigFromTheVip(1400, 1360);
        assertEquals(1, drops.get(DropReason.PACKET_TOO_BIG_SENT));
    }

    @Test
    void aPacketTooBigAboutATunnelPacketIsLearntAndPassedOnToTheClient() {
        tunnelService(1500);
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        serverSide.takeOnly();
        byte[] inner = PacketBuilder.ipOnly().ipv6(CLIENT, VIP).tcp(40000, 80).flags(Tcp.ACK).payload(100).build();
        byte[] outer = PacketBuilder.ipOnly().ipv6("fd00:2::1", RS1).protocol(41).payload(inner).build();
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6("fd00:2::fe", "fd00:2::1")
                .icmpPacketTooBig(1400, outer).build());
        FlowDescription f = parseValid(clientSide.takeOnly());
        assertEquals(Icmp.V6_PACKET_TOO_BIG, f.icmpType);
        assertEquals(address(VIP)[1], f.srcLo, "from the VIP");
        assertEquals(address(VIP)[1], f.innerDstLo, "quoting the client's own packet");
        byte[] big = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64).tcp(40000, 80)
                .flags(Tcp.ACK).payload(1400 - 40 - 20).build();
        receive(clientSide, big);
        assertTrue(serverSide.sent.isEmpty(), "the learnt path MTU holds the next big packet back");
        byte[] ptb = clientSide.takeOnly();
        assertEquals(1360, Layouts.u32(MemorySegment.ofArray(ptb), parseValid(ptb).l4Offset + Icmp.V6_MTU));
        assertEquals(2, drops.get(DropReason.PACKET_TOO_BIG_SENT));
    }

    @Test
    void anIpv6MarkRuleLeadsVipTrafficToTheIpv6FwmarkServiceAndTheVipIsOwnedForIt() {
        admOk("--mark", "5", "-P", "tcp", "-d", VIP + "/128", "--dport", "8000:8099");
        admOk("-A", "-f", "5", "-6", "-s", "rr");
        admOk("-a", "-f", "5", "-6", "-r", "[" + RS1 + "]:8080", "-m");
        assertTrue(plane.services().ipv6Vips().contains(
                io.jlvs.platform.hostguard.Ipv6Endpoint.address(address(VIP)[0], address(VIP)[1])),
                "the /128 rule's address is a VIP: " + plane.services().ipv6Vips());

        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64)
                .tcp(40000, 8042).flags(Tcp.SYN).build());
        FlowDescription f = parseValid(serverSide.takeOnly());
        assertEquals(address(RS1)[1], f.dstLo, "to the -f service's server");
        assertEquals(8080, f.dstPort);
        StringBuilder out = new StringBuilder();
        new AdmExecutor(ipvs).execute(new String[] {"-L", "-n", "-c"}, out, new StringBuilder());
        assertTrue(out.toString().contains("[fd00:1::100]:8042"), out.toString());

        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64)
                .tcp(40001, 9000).flags(Tcp.SYN).build());
        assertTrue(serverSide.sent.isEmpty(), "a port outside the rule has no service");
        assertEquals(1, drops.get(DropReason.NO_SERVICE));
    }

    @Test
    void anIpv6MarkRuleWiderThan128ForwardsItsRoutedPrefixBothWaysAndOwnsNoAddress() {
        // fd00:9::/120 is routed to the director; the client itself sits in fd00:1::/64, also covered by a rule
        admOk("--mark", "7", "-P", "tcp", "-d", "fd00:9::/120", "--dport", "80");
        admOk("--mark", "7", "-P", "tcp", "-d", "fd00:1::/64", "--dport", "40000:40100");
        admOk("-A", "-f", "7", "-6", "-s", "rr");
        admOk("-a", "-f", "7", "-6", "-r", "[" + RS1 + "]:8080", "-m");
        assertTrue(plane.services().ipv6Vips().isEmpty(), "a routed prefix is not owned: " + plane.services().ipv6Vips());
        assertTrue(plane.services().handlesIpv6(), "the capture filter passes IPv6");

        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, "fd00:9::42").ttl(64)
                .tcp(40000, 80).flags(Tcp.SYN).build());
        FlowDescription toServer = parseValid(serverSide.takeOnly());
        assertEquals(address(RS1)[1], toServer.dstLo, "to the -f service's server");
        assertEquals(8080, toServer.dstPort);

        // the reply goes to a client inside the second rule's prefix: it is the connection's reply, not a new flow
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, CLIENT).ttl(64)
                .tcp(8080, 40000).flags(Tcp.SYN | Tcp.ACK).build());
        FlowDescription toClient = parseValid(clientSide.takeOnly());
        assertEquals(address("fd00:9::42")[1], toClient.srcLo, "from the routed address the client asked");
        assertEquals(80, toClient.srcPort);

        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, "fd00:9::142").ttl(64)
                .tcp(40001, 80).flags(Tcp.SYN).build());
        assertTrue(serverSide.sent.isEmpty(), "an address outside the prefix has no service");
        assertEquals(1, drops.get(DropReason.NOT_HANDLED), drops::toString);

        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, "fd00:9::42").ttl(64)
                .icmpEcho(true, 1, 1).build());
        assertTrue(clientSide.sent.isEmpty(), "an address of a routed prefix is not answered as a VIP");
        admOk("--mark", "7", "-P", "tcp", "-d", VIP + "/128", "--dport", "80");
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).ttl(64)
                .icmpEcho(true, 1, 2).build());
        assertEquals(Icmp.V6_ECHO_REPLY, parseValid(clientSide.takeOnly()).icmpType, "a /128 rule's VIP is answered");
    }

    @Test
    void anIpv6FwmarkServiceRefusesAnIpv4TunnelServer() {
        admOk("-A", "-f", "5", "-6", "-s", "rr");
        StringBuilder err = new StringBuilder();
        assertNotEquals(0, adm(err, "-a", "-f", "5", "-6", "-r", "10.0.0.1:80", "-i"));
        assertTrue(err.toString().contains("IPv6 firewall-mark service must be IPv6"), err.toString());
    }

    /** The NAT service, its servers reached from the director's fd00:2::1 (the source of errors sent to them). */
    void natServiceWithDirectorAddress() {
        serversReachedFromTheDirectorsAddress(1500);
        natService();
    }

    /** Next hops: the servers over a link of {@code mtu}, from the director's fd00:2::1; a fresh pipeline. */
    void serversReachedFromTheDirectorsAddress(int mtu) {
        long[] source = address("fd00:2::1");
        plane.setIpv6NextHops(fixed(
                CLIENT, new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, 0, 0),
                RS1, new NextHop(2, DIR_SERVER_MAC, RS1_MAC, mtu, 0, 0, source[0], source[1]),
                RS2, new NextHop(2, DIR_SERVER_MAC, RS2_MAC, mtu, 0, 0, source[0], source[1])));
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @Test
    void aNat66PacketTooBigForTheServersLinkIsAnsweredToTheClientFromTheVipQuotingItsOwnPacket() {
        natService();
        serverSide.mtu = 1400;
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        serverSide.takeOnly();
        FlowDescription f = bigSegmentAnsweredWithPacketTooBigFromTheVip(1500, 1400);
        assertEquals(address(VIP)[1], f.innerDstLo, "the client's packet as it sent it: to the VIP");
        assertEquals(80, f.innerDstPort);
        assertEquals(1, drops.get(DropReason.PACKET_TOO_BIG_SENT));
    }

    @Test
    void aNat66ReplyTooBigForTheClientsLinkIsAnsweredToTheServerQuotingItsOwnPacket() {
        natServiceWithDirectorAddress();
        clientSide.mtu = 1400;
        receive(clientSide, clientTcp(40000, Tcp.SYN));
        FlowDescription sent = parseValid(serverSide.takeOnly());
        boolean first = sent.dstLo == address(RS1)[1];
        String server = first ? RS1 : RS2;
        byte[] reply = PacketBuilder.ethernet(first ? RS1_MAC : RS2_MAC, DIR_SERVER_MAC).ipv6(server, CLIENT).ttl(64)
                .tcp(8080, 40000).flags(Tcp.ACK).payload(1500 - 40 - 20).build();
        receive(serverSide, reply);
        assertTrue(clientSide.sent.isEmpty(), "never fragmented in transit");
        byte[] ptb = serverSide.takeOnly();
        FlowDescription f = parseValid(ptb);
        assertEquals(Icmp.V6_PACKET_TOO_BIG, f.icmpType);
        assertEquals(1400, Layouts.u32(MemorySegment.ofArray(ptb), f.l4Offset + Icmp.V6_MTU));
        assertEquals(address("fd00:2::1")[1], f.srcLo, "from the director's address toward the server");
        assertEquals(address(server)[1], f.dstLo);
        assertEquals(address(server)[1], f.innerSrcLo, "the server's packet as it sent it: from itself");
        assertEquals(8080, f.innerSrcPort);
        assertEquals(1, drops.get(DropReason.PACKET_TOO_BIG_SENT));
    }

    @Test
    void aStraySegmentFromANat66ServerGetsPortUnreachableWithNatIcmpSendAndAResetDoesNot() {
        natServiceWithDirectorAddress();
        admOk("--sysctl", "nat_icmp_send=1");
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, CLIENT).ttl(64)
                .tcp(8080, 40000).flags(Tcp.ACK).payload(10).build());
        byte[] error = serverSide.takeOnly();
        FlowDescription f = parseValid(error);
        assertEquals(Icmp.V6_DEST_UNREACH, f.icmpType);
        assertEquals(Icmp.V6_CODE_PORT_UNREACHABLE, f.icmpCode);
        assertEquals(address("fd00:2::1")[1], f.srcLo);
        assertEquals(address(RS1)[1], f.dstLo);
        assertEquals(RS1_MAC, mac(error, Ethernet.DST_MAC));
        assertEquals(8080, f.innerSrcPort, "quoting the stray segment");
        assertEquals(1, drops.get(DropReason.NAT_ICMP_SENT));

        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, CLIENT).ttl(64)
                .tcp(8080, 40001).flags(Tcp.RST).build());
        receive(serverSide, PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, CLIENT).ttl(64)
                .tcp(9999, 40002).flags(Tcp.ACK).build());
        assertTrue(serverSide.sent.isEmpty(), "no answer to a reset, nor from a port that is no NAT server's");
        assertEquals(1, drops.get(DropReason.NAT_ICMP_SENT));
        assertEquals(2, drops.get(DropReason.NOT_HANDLED));
    }

    /** A TUN service to RS1 reached over a link of {@code mtu}, from the director's fd00:2::1. */
    void tunnelService(int mtu) {
        serversReachedFromTheDirectorsAddress(mtu);
        admOk("-A", "-t", "[" + VIP + "]:80", "-s", "rr");
        admOk("-a", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:80", "-i");
    }

    @Test
    void aOnePacketServiceSchedulesEveryDatagramAndItsRepliesComeFromTheVip() {
        admOk("-A", "-u", "[" + VIP + "]:53", "-s", "rr", "-o");
        admOk("-a", "-u", "[" + VIP + "]:53", "-r", "[" + RS1 + "]:5353", "-m");
        admOk("-a", "-u", "[" + VIP + "]:53", "-r", "[" + RS2 + "]:5353", "-m");
        byte[] datagram = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).udp(40000, 53)
                .payload(12).build();
        receive(clientSide, datagram);
        long first = parseValid(serverSide.takeOnly()).dstLo;
        receive(clientSide, datagram);
        FlowDescription second = parseValid(serverSide.takeOnly());
        assertNotEquals(first, second.dstLo, "the same flow's next datagram is scheduled afresh");
        assertEquals(5353, second.dstPort);
        assertEquals(0, plane.connections().size(), "no connection is made");
        receive(serverSide, PacketBuilder.ethernet(RS2_MAC, DIR_SERVER_MAC).ipv6(RS2, CLIENT).udp(5353, 40000)
                .payload(30).build());
        FlowDescription reply = parseValid(clientSide.takeOnly());
        assertEquals(address(VIP)[1], reply.srcLo);
        assertEquals(53, reply.srcPort);
    }

    @Test
    void sipPersistenceKeepsAnIpv6CallOnOneServerAndDropsMessagesWithoutACallId() {
        admOk("-A", "-u", "[" + VIP + "]:5060", "-s", "rr", "-p", "60", "--pe", "sip");
        admOk("-a", "-u", "[" + VIP + "]:5060", "-r", "[" + RS1 + "]:5060", "-m");
        admOk("-a", "-u", "[" + VIP + "]:5060", "-r", "[" + RS2 + "]:5060", "-m");
        long callA = parseValid(sipFrom(5060, "call-a")).dstLo;
        long callB = parseValid(sipFrom(5062, "call-b")).dstLo;
        assertNotEquals(callA, callB, "two calls, two servers (rr)");
        assertEquals(callA, parseValid(sipFrom(5064, "call-a")).dstLo, "call A again, from another port");
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).udp(5066, 5060)
                .payload(OnePacketAndSipPipelineTest.sip(null)).build());
        assertTrue(serverSide.sent.isEmpty());
        assertEquals(1, drops.get(DropReason.NO_CALL_ID));
    }

    /** A SIP message of {@code callId} from the client's {@code port}, as it left toward a server. */
    byte[] sipFrom(int port, String callId) {
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).udp(port, 5060)
                .payload(OnePacketAndSipPipelineTest.sip(callId)).build());
        return serverSide.takeOnly();
    }

    @Test
    void anImportedIpv6ConnectionCarriesItsPacketsToItsServer() {
        natService();
        long[] client = address(CLIENT), vip = address(VIP), rs2 = address(RS2);
        ConnectionImport imported = new ConnectionImport().protocol(6).client(client[0], client[1], 40000)
                .virtual(vip[0], vip[1], 80).real(rs2[0], rs2[1], 8080).method(ForwardMethod.MASQ)
                .state(io.jlvs.connections.TcpState.ESTABLISHED).timeoutSeconds(900);
        assertEquals(ImportResult.CREATED, ipvs.importConnection(imported, System.nanoTime()));
        receive(clientSide, clientTcp(40000, Tcp.ACK));
        // rr would send a new connection to RS1 first: RS2 shows the imported binding is used.
        assertEquals(rs2[1], parseValid(serverSide.takeOnly()).dstLo);
    }

    @Test
    void forwardingAnEstablishedIpv6ConnectionAllocatesNothingEitherWay() {
        natService();
        FakePort.Counting clientIn = new FakePort.Counting("cli0", 1, DIR_CLIENT_MAC);
        FakePort.Counting serverOut = new FakePort.Counting("srv0", 2, DIR_SERVER_MAC);
        PacketPipeline quiet = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientIn, serverOut}),
                drops);
        byte[] syn = clientTcp(45000, Tcp.SYN);
        quiet.beginBatch(clientIn, System.nanoTime());
        quiet.onFrame(MemorySegment.ofArray(syn), 0, syn.length, 0);
        byte[] data = clientTcp(45000, Tcp.ACK);
        MemorySegment seg = MemorySegment.ofArray(data.clone());
        long inbound = Allocations.steadyStateBytes(100_000, i -> {
            MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_BYTE, 0, data.length);
            quiet.beginBatch(clientIn, System.nanoTime());
            quiet.onFrame(seg, 0, data.length, 0);
        });
        assertTrue(inbound < 4096, "allocated " + inbound + " bytes for 100k inbound packets");
        assertEquals(300_001, serverOut.count, "every packet forwarded");
        // Both servers' replies: the one the SYN went to matches the connection.
        byte[] reply1 = PacketBuilder.ethernet(RS1_MAC, DIR_SERVER_MAC).ipv6(RS1, CLIENT).tcp(8080, 45000)
                .flags(Tcp.ACK).payload(5).build();
        byte[] reply2 = PacketBuilder.ethernet(RS2_MAC, DIR_SERVER_MAC).ipv6(RS2, CLIENT).tcp(8080, 45000)
                .flags(Tcp.ACK).payload(5).build();
        MemorySegment rseg = MemorySegment.ofArray(reply1.clone());
        long outbound = Allocations.steadyStateBytes(100_000, i -> {
            byte[] r = (i & 1) == 0 ? reply1 : reply2;
            MemorySegment.copy(r, 0, rseg, ValueLayout.JAVA_BYTE, 0, r.length);
            quiet.beginBatch(serverOut, System.nanoTime());
            quiet.onFrame(rseg, 0, r.length, 0);
        });
        assertTrue(outbound < 4096, "allocated " + outbound + " bytes for 100k outbound packets");
        assertEquals(150_000, clientIn.count, "the replies of the connection's server reach the client");
    }
}
