package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfTestRun;
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

import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.RS2_MAC;
import static io.jlvs.forwarder.PipelineTest.macAt;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java path's mirroring into the XDP fast path's real maps, for either family (one subclass each, giving the
 * addresses, the frames and the flow map): the fixture (a network namespace of its own with a veth pair, since the
 * devmap holds real devices; a data plane with the fast path enabled and a pipeline with its ports on the two ends;
 * a round-robin TCP service with two masqueraded servers, RS1 and RS2, on port 8080), the handshake that mirrors a
 * connection, the sweep's folding of the kernel's counts, and the take-backs both families share: a removed server,
 * a server's new MAC, an egress port's new MTU, a VIP gone to standby.
 */
abstract class FastPathPipelineTests {
    static final int SYN = Tcp.SYN, ACK = Tcp.ACK, FIN = Tcp.FIN, RST = Tcp.RST;
    /** Indexes of {@link #hops}: the next hop toward the client, RS1 and RS2. */
    static final int TO_CLIENT = 0, TO_RS1 = 1, TO_RS2 = 2;

    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;
    FakePort clientSide, serverSide;
    FastPathMaps maps;
    FlowMirror mirror;
    /** The next hops the plane's lookups answer, by {@link #TO_CLIENT}, {@link #TO_RS1}, {@link #TO_RS2}. */
    final NextHop[] hops = new NextHop[3];
    int serverIfIndex;

    /** The network namespace's name, one per subclass. */
    abstract String namespaceName();

    /** A data plane whose next-hop lookups answer from {@link #hops} (read again after {@link #hopsChanged}). */
    abstract DataPlane newPlane();

    /** {@link #hops} changed. */
    abstract void hopsChanged();

    /** The TCP service, as jlvsadm takes it: VIP:80, [VIP]:80. */
    abstract String service();

    /** Real server {@code server} (1 or 2) as jlvsadm takes it: RS1:8080, [RS1]:8080. */
    abstract String realServer(int server);

    /** A client's TCP segment to VIP:80 from {@code port}. */
    abstract byte[] client(int port, int flags, int payload);

    /** Real server {@code server}'s (1 or 2) TCP segment from port 8080 to the client's {@code clientPort}. */
    abstract byte[] server(int server, int clientPort, int flags, int payload);

    /** The frame parsed, its checksums checked. */
    abstract FlowDescription parsed(byte[] frame);

    /** The entries of the family's flow map. */
    abstract int flowEntries();

    /** The VIP managed by VRRP, and owned here when {@code owned}. */
    abstract VipOwnership vipOwnership(boolean owned);

    /** More services of the subclass's tests (none by default). */
    void addServices() {}

    @BeforeEach
    void addNamespace() throws Exception {
        TestNamespaces.run("ip", "netns", "add", namespaceName());
        TestNamespaces.run("ip", "-n", namespaceName(), "link", "add", "vm0", "type", "veth", "peer", "name", "vm1");
    }

    @AfterEach
    void removeNamespace() throws Exception {
        try {
            if (maps != null) maps.close();
            if (plane != null) plane.connections().close();
        } finally {
            TestNamespaces.run("ip", "netns", "del", namespaceName());
        }
    }

    /**
     * Runs {@code body} in the namespace (the devmap resolves ifindexes in the caller's namespace) with the
     * pipeline's ports on its two veth ends, the fast path enabled and the services added.
     */
    void inNamespace(Body body) throws Exception {
        inNamespace(0, body);
    }

    /** {@link #inNamespace(Body)} with connections entering after {@code afterPackets} (--fast-path-after). */
    void inNamespace(int afterPackets, Body body) throws Exception {
        NetNs.callIn(namespaceName(), () -> {
            int clientIfIndex = Links.byName("vm0").ifIndex();
            serverIfIndex = Links.byName("vm1").ifIndex();
            clientSide = new FakePort("vm0", clientIfIndex, DIR_CLIENT_MAC);
            serverSide = new FakePort("vm1", serverIfIndex, DIR_SERVER_MAC);
            hops[TO_CLIENT] = new NextHop(clientIfIndex, DIR_CLIENT_MAC, CLIENT_MAC, 1500, 0, 0);
            hops[TO_RS1] = new NextHop(serverIfIndex, DIR_SERVER_MAC, RS1_MAC, 1500, 0, 0);
            hops[TO_RS2] = new NextHop(serverIfIndex, DIR_SERVER_MAC, RS2_MAC, 1500, 0, 0);
            plane = newPlane();
            ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
            pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}),
                    new DropCounters());
            maps = FastPathMaps.create(4096);
            mirror = plane.enableFastPath(maps, afterPackets);
            adm("-A", "-t", service(), "-s", "rr");
            adm("-a", "-t", service(), "-r", realServer(1), "-m");
            adm("-a", "-t", service(), "-r", realServer(2), "-m");
            addServices();
            body.run();
            return null;
        });
    }

    interface Body {
        void run() throws Exception;
    }

    @Test
    void aRemovedServersConnectionsLeaveTheFastPathAtTheSweep() throws Exception {
        inNamespace(() -> {
            handshake(40001, 1);
            handshake(40002, 2);
            mirror.sweep(false);
            assertEquals(2, mirror.mirrored(), "both wanted while their servers are there");

            adm("-d", "-t", service(), "-r", realServer(1));
            mirror.sweep(false);

            assertEquals(1, mirror.mirrored(), "RS1's connection left");
            assertEquals(2, flowEntries(), "RS2's two directions stay");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40001, ACK, 10)).returnValue(),
                    "RS1's connection's packets go to Java, which drops them as IPVS does");
            assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), client(40002, ACK, 10)).returnValue());
        });
    }

    @Test
    void aServerThatAnswersFromANewMacIsReachedAtItThroughTheFastPathAfterTheSweep() throws Exception {
        inNamespace(() -> {
            handshake(40000, 1);
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "unchanged hops: the connection stays");
            assertEquals(RS1_MAC, macAt(BpfTestRun.run(maps.programFd(), client(40000, ACK, 10)).frame(), 0));

            long newMac = RS1_MAC ^ 0x0000_0000_00FFL;
            hops[TO_RS1] = new NextHop(serverIfIndex, DIR_SERVER_MAC, newMac, 1500, 0, 0);
            hopsChanged();
            mirror.sweep(false);

            assertEquals(0, mirror.mirrored(), "the server's new MAC took the connection back to Java");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40000, ACK, 10)).returnValue());
            receive(clientSide, client(40000, ACK, 10));
            assertEquals(newMac, macAt(serverSide.takeOnly(), 0), "Java sends to the new MAC");
            assertEquals(1, mirror.mirrored(), "and mirrors the connection again");
            assertEquals(newMac, macAt(BpfTestRun.run(maps.programFd(), client(40000, ACK, 10)).frame(), 0),
                    "the kernel now sends to the new MAC too");
        });
    }

    @Test
    void aConnectionWhoseEgressMtuChangedIsMirroredAgainWithTheNewMtuAfterTheSweep() throws Exception {
        inNamespace(() -> {
            handshake(40005, 1);
            byte[] big = client(40005, ACK, 1300);   // an IP packet of 1340 (IPv4) or 1360 (IPv6) bytes
            assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), big).returnValue(),
                    "the entry carries the server side's 1500");
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "unchanged MTUs: the connection stays");

            serverSide.followMtu(1300);
            mirror.sweep(false);

            assertEquals(0, mirror.mirrored(), "the server side's lowered MTU took the connection back to Java");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), big).returnValue());
            receive(clientSide, client(40005, ACK, 10));
            parsed(serverSide.takeOnly());
            assertEquals(1, mirror.mirrored(), "Java mirrors the connection again at its next packet");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), big).returnValue(),
                    "with the new MTU: a packet above it goes to Java");
            assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), client(40005, ACK, 10)).returnValue());
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "and stays at the next sweep");
        });
    }

    @Test
    void aVipGoneToStandbyTakesItsConnectionsOutOfTheFastPath() throws Exception {
        inNamespace(() -> {
            ipvs.setVipOwnership(vipOwnership(true));
            handshake(40004, 1);
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "wanted while the VIP is owned here");

            ipvs.setVipOwnership(vipOwnership(false));
            mirror.sweep(false);

            assertEquals(0, mirror.mirrored(), "the VRRP backup's kernel must not forward for the VIP");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40004, ACK, 10)).returnValue());
        });
    }

    /** SYN, SYN-ACK, ACK with real server {@code server} through the Java path: mirrored at the ACK, not before. */
    void handshake(int clientPort, int server) {
        int before = mirror.mirrored();
        receive(clientSide, client(clientPort, SYN, 0));
        parsed(serverSide.takeOnly());
        receive(serverSide, server(server, clientPort, SYN | ACK, 0));
        parsed(clientSide.takeOnly());
        assertEquals(before, mirror.mirrored(), "not mirrored before it is established");
        receive(clientSide, client(clientPort, ACK, 0));
        parsed(serverSide.takeOnly());
        assertEquals(before + 1, mirror.mirrored(), "mirrored once established");
    }

    /**
     * The kernel forwarded {@code toServer} and {@code toClient} once each: a sweep folds their packets and bytes
     * into the TCP service's counters, and the next sweep folds nothing more.
     */
    void assertTheSweepFolds(byte[] toServer, byte[] toClient) {
        TrafficCounters service = ipvs.runningServices().stream()
                .filter(s -> s.key.protocol().number() == Ipv4.PROTO_TCP).findFirst().orElseThrow().counters();
        long inBefore = service.inPackets(), outBefore = service.outPackets();
        long inBytesBefore = service.inBytes(), outBytesBefore = service.outBytes();
        mirror.sweep(true);
        assertEquals(inBefore + 1, service.inPackets(), "the kernel's packet to the server, folded");
        assertEquals(outBefore + 1, service.outPackets(), "the kernel's reply, folded");
        assertEquals(inBytesBefore + toServer.length, service.inBytes());
        assertEquals(outBytesBefore + toClient.length, service.outBytes());
        mirror.sweep(true);
        assertEquals(inBefore + 1, service.inPackets(), "folded once");
    }

    void receive(FakePort on, byte[] frame) {
        pipeline.beginBatch(on, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, 0);
    }

    void adm(String... argv) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        assertEquals(0, new AdmExecutor(ipvs).execute(argv, out, err), () -> String.join(" ", argv) + ": " + err);
    }
}
