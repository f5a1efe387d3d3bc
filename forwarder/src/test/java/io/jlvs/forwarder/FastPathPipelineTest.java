package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionView;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.forwarder.fastpath.FastPathMaps;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
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

import static io.jlvs.forwarder.PipelineTest.ACK;
import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.RS2;
import static io.jlvs.forwarder.PipelineTest.RS2_MAC;
import static io.jlvs.forwarder.PipelineTest.SYN;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.macAt;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java path mirrors connections into the XDP fast path's real maps and takes them back: established NAT
 * connections enter (both directions, which the loaded program then forwards), a FIN takes one back, a removed
 * server's connections leave at the sweep, and the kernel's counts reach the service's counters. Runs in a
 * network namespace of its own with a veth pair, since the devmap holds real devices.
 */
class FastPathPipelineTest {
    private static final String NAMESPACE = "jlvsf-mirror";
    private static final int FIN = 0x01;

    private DataPlane plane;
    private IpvsRuntime ipvs;
    private PacketPipeline pipeline;
    private FakePort clientSide, serverSide;
    private FastPathMaps maps;
    private FlowMirror mirror;
    private PipelineTest.FixedNextHops hops;

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

    /**
     * Runs {@code body} in the namespace (the devmap resolves ifindexes in the caller's namespace) with the
     * pipeline's ports on its two veth ends and the fast path enabled.
     */
    private void inNamespace(Body body) throws Exception {
        NetNs.callIn(NAMESPACE, () -> {
            int clientIfIndex = Links.byName("vm0").ifIndex(), serverIfIndex = Links.byName("vm1").ifIndex();
            clientSide = new FakePort("vm0", clientIfIndex, DIR_CLIENT_MAC);
            serverSide = new FakePort("vm1", serverIfIndex, DIR_SERVER_MAC);
            hops = new PipelineTest.FixedNextHops();
            hops.table.put(v4(CLIENT), new NextHop(clientIfIndex, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
            hops.table.put(v4(RS1), new NextHop(serverIfIndex, DIR_SERVER_MAC, RS1_MAC, 1500, v4("172.16.0.1"), 0));
            hops.table.put(v4(RS2), new NextHop(serverIfIndex, DIR_SERVER_MAC, RS2_MAC, 1500, v4("172.16.0.1"), 0));
            hops.freeze();
            plane = new DataPlane(4096, hops);
            ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
            pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}),
                    new DropCounters());
            maps = FastPathMaps.create(4096);
            mirror = plane.enableFastPath(maps);
            adm("-A", "-t", VIP + ":80", "-s", "rr");
            adm("-a", "-t", VIP + ":80", "-r", RS1 + ":8080", "-m");
            adm("-a", "-t", VIP + ":80", "-r", RS2 + ":8080", "-m");
            body.run();
            return null;
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    @Test
    void anEstablishedNatConnectionIsForwardedByTheProgramUntilItsFin() throws Exception {
        inNamespace(() -> {
            handshake(40000, RS1);
            assertEquals(1, mirror.mirrored(), "established: mirrored");
            assertEquals(2, maps.flowEntries(), "both directions");

            BpfTestRun.Result toServer = BpfTestRun.run(maps.programFd(), client(40000, ACK, 100));
            assertEquals(BpfAttr.XDP_REDIRECT, toServer.returnValue());
            FlowDescription rewritten = parseValid(toServer.frame());
            assertEquals(v4(RS1), rewritten.dstV4());
            assertEquals(8080, rewritten.dstPort);
            assertEquals(RS1_MAC, macAt(toServer.frame(), 0));
            assertEquals(DIR_SERVER_MAC, macAt(toServer.frame(), 6));
            BpfTestRun.Result toClient = BpfTestRun.run(maps.programFd(), server(RS1, 40000, ACK, 1000));
            assertEquals(BpfAttr.XDP_REDIRECT, toClient.returnValue());
            FlowDescription reply = parseValid(toClient.frame());
            assertEquals(v4(VIP), reply.srcV4());
            assertEquals(80, reply.srcPort);
            assertEquals(CLIENT_MAC, macAt(toClient.frame(), 0));

            TrafficCounters service = ipvs.runningServices().getFirst().counters();
            long inBefore = service.inPackets(), outBefore = service.outPackets();
            long inBytesBefore = service.inBytes(), outBytesBefore = service.outBytes();
            mirror.sweep(true);
            assertEquals(inBefore + 1, service.inPackets(), "the kernel's packet to the server, folded");
            assertEquals(outBefore + 1, service.outPackets(), "the kernel's reply, folded");
            assertEquals(inBytesBefore + client(40000, ACK, 100).length, service.inBytes());
            assertEquals(outBytesBefore + server(RS1, 40000, ACK, 1000).length, service.outBytes());
            mirror.sweep(true);
            assertEquals(inBefore + 1, service.inPackets(), "folded once");

            receive(clientSide, client(40000, FIN | ACK, 0));
            parseValid(serverSide.takeOnly());
            assertEquals(0, mirror.mirrored(), "the FIN took it back to Java");
            assertEquals(0, maps.flowEntries());
        });
    }

    @Test
    void theSweepOffersAConnectionTheKernelForwardsToTheSyncAsItsPacketsWould() throws Exception {
        inNamespace(() -> {
            handshake(40000, RS1);
            ChangeRing workerOffers = plane.changes().ring(0), sweepOffers = plane.changes().ring(1);
            while (workerOffers.poll() >= 0) {
                // the handshake's own offers, made by the worker
            }
            for (int quiet = 0; quiet < 60; quiet++) mirror.sweep(true);
            assertEquals(-1, sweepOffers.poll(), "sweeps that found no packet offer nothing");

            int sweeps = 0;
            long offered = -1;
            while (offered < 0 && sweeps < 60) {
                BpfTestRun.run(maps.programFd(), client(40000, ACK, 100));
                mirror.sweep(true);
                sweeps++;
                offered = sweepOffers.poll();
            }
            assertTrue(offered >= 0, "offered within sync_threshold's period of 50 sweeps with packets");
            ConnectionView view = new ConnectionView();
            assertTrue(plane.connections().read(offered, view, System.nanoTime()));
            assertEquals(40000, view.clientPort(), "the fast-path connection itself");
            assertEquals(-1, workerOffers.poll(), "the worker's ring is the worker's alone");
        });
    }

    @Test
    void aServerThatAnswersFromANewMacIsReachedAtItThroughTheFastPathAfterTheSweep() throws Exception {
        inNamespace(() -> {
            handshake(40000, RS1);
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "unchanged hops: the connection stays");
            assertEquals(RS1_MAC, macAt(BpfTestRun.run(maps.programFd(), client(40000, ACK, 10)).frame(), 0));

            long newMac = RS1_MAC ^ 0x0000_0000_00FFL;
            int serverIfIndex = Links.byName("vm1").ifIndex();
            hops.table.put(v4(RS1), new NextHop(serverIfIndex, DIR_SERVER_MAC, newMac, 1500, v4("172.16.0.1"), 0));
            hops.freeze();
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
    void aRemovedServersConnectionsLeaveTheFastPathAtTheSweep() throws Exception {
        inNamespace(() -> {
            handshake(40001, RS1);
            handshake(40002, RS2);
            assertEquals(2, mirror.mirrored());
            mirror.sweep(false);
            assertEquals(2, mirror.mirrored(), "both wanted while their servers are there");

            adm("-d", "-t", VIP + ":80", "-r", RS1 + ":8080");
            mirror.sweep(false);

            assertEquals(1, mirror.mirrored(), "RS1's connection left");
            assertEquals(2, maps.flowEntries(), "RS2's two directions stay");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40001, ACK, 10)).returnValue(),
                    "RS1's connection's packets go to Java, which drops them as IPVS does");
            assertEquals(BpfAttr.XDP_REDIRECT, BpfTestRun.run(maps.programFd(), client(40002, ACK, 10)).returnValue());
        });
    }

    @Test
    void aConnectionThatLeftTheTableLeavesTheFastPath() throws Exception {
        inNamespace(() -> {
            handshake(40003, RS1);
            assertEquals(1, mirror.mirrored());
            assertEquals(1, plane.connections().expire(System.nanoTime() + 3_600_000_000_000L, Integer.MAX_VALUE));
            mirror.sweep(false);
            assertEquals(0, mirror.mirrored());
            assertEquals(0, maps.flowEntries());
        });
    }

    @Test
    void aVipGoneToStandbyTakesItsConnectionsOutOfTheFastPath() throws Exception {
        inNamespace(() -> {
            int[] managed = {v4(VIP)};
            ipvs.setVipOwnership(new VipOwnership(managed, managed));
            handshake(40004, RS1);
            mirror.sweep(false);
            assertEquals(1, mirror.mirrored(), "wanted while the VIP is owned here");

            ipvs.setVipOwnership(new VipOwnership(managed, new int[0]));
            mirror.sweep(false);

            assertEquals(0, mirror.mirrored(), "the VRRP backup's kernel must not forward for the VIP");
            assertEquals(BpfAttr.XDP_PASS, BpfTestRun.run(maps.programFd(), client(40004, ACK, 10)).returnValue());
        });
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
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).tcp(port, 80).flags(flags)
                .payload(payload).build();
    }

    private static byte[] server(String server, int clientPort, int flags, int payload) {
        long mac = server.equals(RS1) ? RS1_MAC : RS2_MAC;
        return PacketBuilder.ethernet(mac, DIR_SERVER_MAC).ipv4(server, CLIENT).tcp(8080, clientPort).flags(flags)
                .payload(payload).build();
    }

    private void adm(String... argv) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        assertEquals(0, new AdmExecutor(ipvs).execute(argv, out, err), () -> String.join(" ", argv) + ": " + err);
    }
}
