package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
import io.jlvs.platform.hostguard.Ipv6Endpoint;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.testkit.NetNs;
import io.jlvs.platform.testkit.TestNamespaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.List;

import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT;
import static io.jlvs.forwarder.Ipv6PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS2;
import static io.jlvs.forwarder.Ipv6PipelineTest.RS2_MAC;
import static io.jlvs.forwarder.Ipv6PipelineTest.VIP;
import static io.jlvs.forwarder.Ipv6PipelineTest.address;
import static io.jlvs.forwarder.Ipv6PipelineTest.mac;
import static io.jlvs.forwarder.Ipv6PipelineTest.parseValid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Ipv6Path} mirrors NAT66 connections into the XDP fast path's real IPv6 map and takes them back: an
 * established connection enters (both directions, which the loaded program then forwards, its kernel counts folded
 * into the service's counters), a UDP flow at its client's second datagram; a FIN or a RST, a removed server, a
 * changed next hop and a VIP gone to standby take it back. Runs in a network namespace of its own with a veth pair,
 * since the devmap holds real devices.
 */
class FastPath6PipelineTest {
    private static final String NAMESPACE = "jlvsf6-mirror";
    private static final int SYN = Tcp.SYN, ACK = Tcp.ACK, FIN = Tcp.FIN, RST = Tcp.RST;

    private DataPlane plane;
    private IpvsRuntime ipvs;
    private PacketPipeline pipeline;
    private FakePort clientSide, serverSide;
    private FastPathMaps maps;
    private FlowMirror mirror;
    /** The next hops of CLIENT, RS1 and RS2, changed by the tests. */
    private final long[][] hopAddresses = {address(CLIENT), address(RS1), address(RS2)};
    private final NextHop[] hops = new NextHop[3];
    private int serverIfIndex;

    @BeforeEach
    void namespace() throws Exception {
        TestNamespaces.run("ip", "netns", "add", NAMESPACE);
        TestNamespaces.run("ip", "-n", NAMESPACE, "link", "add", "vm0", "type", "veth", "peer", "name", "vm1");
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if (maps != null) maps.close();
        if (plane != null) plane.connections().close();
        TestNamespaces.run("ip", "netns", "del", NAMESPACE);
    }

    /** Runs {@code body} in the namespace with the pipeline's ports on its two veth ends, the fast path enabled. */
    private void inNamespace(Body body) throws Exception {
        NetNs.callIn(NAMESPACE, () -> {
            int clientIfIndex = Links.byName("vm0").ifIndex();
            serverIfIndex = Links.byName("vm1").ifIndex();
            clientSide = new FakePort("vm0", clientIfIndex, DIR_CLIENT_MAC);
            serverSide = new FakePort("vm1", serverIfIndex, DIR_SERVER_MAC);
            hops[0] = new NextHop(clientIfIndex, DIR_CLIENT_MAC, CLIENT_MAC, 1500, 0, 0);
            hops[1] = new NextHop(serverIfIndex, DIR_SERVER_MAC, RS1_MAC, 1500, 0, 0);
            hops[2] = new NextHop(serverIfIndex, DIR_SERVER_MAC, RS2_MAC, 1500, 0, 0);
            plane = new DataPlane(4096, new PipelineTest.FixedNextHops());
            plane.setIpv6NextHops((hi, lo) -> {
                for (int i = 0; i < hopAddresses.length; i++) {
                    if (hopAddresses[i][0] == hi && hopAddresses[i][1] == lo) return hops[i];
                }
                return null;
            });
            ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
            pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}),
                    new DropCounters());
            maps = FastPathMaps.create(4096);
            mirror = plane.enableFastPath(maps);
            for (String protocol : new String[] {"-t", "-u"}) {
                adm("-A", protocol, "[" + VIP + "]:80", "-s", "rr");
                adm("-a", protocol, "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080", "-m");
                adm("-a", protocol, "[" + VIP + "]:80", "-r", "[" + RS2 + "]:8080", "-m");
            }
            body.run();
            return null;
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    @Test
    void anEstablishedNat66ConnectionIsForwardedByTheProgramUntilItsFin() throws Exception {
        inNamespace(() -> {
            handshake(40000, RS1);
            assertEquals(1, mirror.mirroredIpv6(), "counted as IPv6");
            assertEquals(2, maps.flow6Entries(), "both directions, in the IPv6 map");
            assertEquals(0, maps.flowEntries());

            BpfTestRun.Result toServer = BpfTestRun.run(maps.programFd(), client(40000, ACK, 100));
            assertEquals(BpfAttr.XDP_REDIRECT, toServer.returnValue());
            FlowDescription rewritten = parseValid(toServer.frame());
            assertArrayEquals(address(RS1), new long[] {rewritten.dstHi, rewritten.dstLo});
            assertEquals(8080, rewritten.dstPort);
            assertEquals(RS1_MAC, mac(toServer.frame(), 0));
            assertEquals(DIR_SERVER_MAC, mac(toServer.frame(), 6));
            BpfTestRun.Result toClient = BpfTestRun.run(maps.programFd(), server(RS1, 40000, ACK, 1000));
            assertEquals(BpfAttr.XDP_REDIRECT, toClient.returnValue());
            FlowDescription reply = parseValid(toClient.frame());
            assertArrayEquals(address(VIP), new long[] {reply.srcHi, reply.srcLo});
            assertEquals(80, reply.srcPort);
            assertEquals(CLIENT_MAC, mac(toClient.frame(), 0));

            TrafficCounters service = tcpService().counters();
            long inBefore = service.inPackets(), outBefore = service.outPackets();
            long inBytesBefore = service.inBytes(), outBytesBefore = service.outBytes();
            mirror.sweep(true);
            assertEquals(inBefore + 1, service.inPackets(), "the kernel's packet to the server, folded");
            assertEquals(outBefore + 1, service.outPackets(), "the kernel's reply, folded");
            assertEquals(inBytesBefore + client(40000, ACK, 100).length, service.inBytes());
            assertEquals(outBytesBefore + server(RS1, 40000, ACK, 1000).length, service.outBytes());

            receive(clientSide, client(40000, FIN | ACK, 0));
            parseValid(serverSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "the FIN took it back to Java");
            assertEquals(0, mirror.mirroredIpv6());
            assertEquals(0, maps.flow6Entries());
        });
    }

    @Test
    void aServersRstTakesTheConnectionBack() throws Exception {
        inNamespace(() -> {
            handshake(40001, RS1);
            receive(serverSide, server(RS1, 40001, RST | ACK, 0));
            parseValid(clientSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "the RST took it back to Java");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40001, ACK, 10)).returnValue());
        });
    }

    @Test
    void aUdpFlowEntersAtItsClientsSecondDatagram() throws Exception {
        inNamespace(() -> {
            receive(clientSide, clientUdp(5000));
            parseValid(serverSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "one datagram is no flow yet");
            receive(clientSide, clientUdp(5000));
            parseValid(serverSide.takeOnly());
            assertEquals(1, mirror.mirrored());
            BpfTestRun.Result out = BpfTestRun.run(maps.programFd(), clientUdp(5000));
            assertEquals(BpfAttr.XDP_REDIRECT, out.returnValue());
            assertEquals(8080, parseValid(out.frame()).dstPort);
        });
    }

    @Test
    void aRemovedServersConnectionsLeaveTheFastPathAtTheSweep() throws Exception {
        inNamespace(() -> {
            handshake(40002, RS1);
            handshake(40003, RS2);
            mirror.sweep(false);
            assertEquals(2, mirror.mirrored(), "both wanted while their servers are there");

            adm("-d", "-t", "[" + VIP + "]:80", "-r", "[" + RS1 + "]:8080");
            mirror.sweep(false);

            assertEquals(1, mirror.mirrored(), "RS1's connection left");
            assertEquals(2, maps.flow6Entries(), "RS2's two directions stay");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40002, ACK, 10)).returnValue());
            assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), client(40003, ACK, 10)).returnValue());
        });
    }

    @Test
    void aServerThatAnswersFromANewMacIsReachedAtItThroughTheFastPathAfterTheSweep() throws Exception {
        inNamespace(() -> {
            handshake(40004, RS1);
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "unchanged hops: the connection stays");

            long newMac = RS1_MAC ^ 0x0000_0000_00FFL;
            hops[1] = new NextHop(serverIfIndex, DIR_SERVER_MAC, newMac, 1500, 0, 0);
            mirror.sweep(false);

            assertEquals(0, mirror.mirrored(), "the server's new MAC took the connection back to Java");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40004, ACK, 10)).returnValue());
            receive(clientSide, client(40004, ACK, 10));
            assertEquals(newMac, mac(serverSide.takeOnly(), 0), "Java sends to the new MAC");
            assertEquals(1, mirror.mirrored(), "and mirrors the connection again");
            assertEquals(newMac, mac(BpfTestRun.run(maps.programFd(), client(40004, ACK, 10)).frame(), 0),
                    "the kernel now sends to the new MAC too");
        });
    }

    @Test
    void aVipGoneToStandbyTakesItsConnectionsOutOfTheFastPath() throws Exception {
        inNamespace(() -> {
            long[] vip = address(VIP);
            List<Ipv6Endpoint> managed = List.of(Ipv6Endpoint.address(vip[0], vip[1]));
            ipvs.setVipOwnership(new VipOwnership(new int[0], new int[0], managed, managed));
            handshake(40005, RS1);
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "wanted while the VIP is owned here");

            ipvs.setVipOwnership(new VipOwnership(new int[0], new int[0], managed, List.of()));
            mirror.sweep(false);

            assertEquals(0, mirror.mirrored(), "the VRRP backup's kernel must not forward for the VIP");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40005, ACK, 10)).returnValue());
        });
    }

    private RuntimeService tcpService() {
        return ipvs.runningServices().stream().filter(s -> s.key.protocol().number() == Ipv4.PROTO_TCP).findFirst()
                .orElseThrow();
    }

    /** SYN, SYN-ACK, ACK through the Java path: the connection is mirrored at the ACK, not before. */
    private void handshake(int clientPort, String server) {
        int before = mirror.mirrored();
        receive(clientSide, client(clientPort, SYN, 0));
        parseValid(serverSide.takeOnly());
        receive(serverSide, server(server, clientPort, SYN | ACK, 0));
        parseValid(clientSide.takeOnly());
        assertEquals(before, mirror.mirrored(), "not mirrored before it is established");
        receive(clientSide, client(clientPort, ACK, 0));
        parseValid(serverSide.takeOnly());
        assertEquals(before + 1, mirror.mirrored(), "mirrored once established");
    }

    private void receive(FakePort on, byte[] frame) {
        pipeline.beginBatch(on, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, 0);
    }

    private static byte[] client(int port, int flags, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).tcp(port, 80).flags(flags)
                .payload(payload).build();
    }

    private static byte[] clientUdp(int port) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv6(CLIENT, VIP).udp(port, 80).payload(20).build();
    }

    private static byte[] server(String server, int clientPort, int flags, int payload) {
        long mac = server.equals(RS1) ? RS1_MAC : RS2_MAC;
        return PacketBuilder.ethernet(mac, DIR_SERVER_MAC).ipv6(server, CLIENT).tcp(8080, clientPort).flags(flags)
                .payload(payload).build();
    }

    private void adm(String... argv) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        assertEquals(0, new AdmExecutor(ipvs).execute(argv, out, err), () -> String.join(" ", argv) + ": " + err);
    }
}
