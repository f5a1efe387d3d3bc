package io.jlvs.forwarder;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.DetachedPort;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.PacketPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;

import static io.jlvs.forwarder.PipelineTest.CLIENT;
import static io.jlvs.forwarder.PipelineTest.CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_CLIENT_MAC;
import static io.jlvs.forwarder.PipelineTest.DIR_SERVER_MAC;
import static io.jlvs.forwarder.PipelineTest.RS1;
import static io.jlvs.forwarder.PipelineTest.RS1_MAC;
import static io.jlvs.forwarder.PipelineTest.VIP;
import static io.jlvs.forwarder.PipelineTest.parseValid;
import static io.jlvs.forwarder.PipelineTest.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline's oversize decisions follow a port's MTU changed while it runs: the server side is a real AF_PACKET
 * port (without a socket) whose MTU is followed as the daemon's housekeeping does; DR drops what no longer fits,
 * TUN answers fragmentation needed with the tunnel's new MTU.
 */
class PortMtuPipelineTest {
    static final int SYN = 0x02, ACK = 0x10;

    final FakePort clientSide = new FakePort("lan0", 1, DIR_CLIENT_MAC);
    DetachedPort serverSide;
    final DropCounters drops = new DropCounters();
    DataPlane plane;
    IpvsRuntime ipvs;
    PacketPipeline pipeline;

    @BeforeEach
    void start() throws IOException {
        serverSide = PacketPorts.detached("srv0", 2, DIR_SERVER_MAC, 1500);
        PipelineTest.FixedNextHops hops = new PipelineTest.FixedNextHops();
        hops.table.put(v4(CLIENT), new NextHop(1, DIR_CLIENT_MAC, CLIENT_MAC, 1500, v4("10.0.0.1"), 0));
        hops.table.put(v4(RS1), new NextHop(2, DIR_SERVER_MAC, RS1_MAC, 0, v4("172.16.0.1"), 0));
        hops.freeze();
        plane = new DataPlane(4096, hops);
        ipvs = new IpvsRuntime(plane, ForwardMethod.ROUTE, EnumSet.of(ForwardMethod.ROUTE, ForwardMethod.TUNNEL),
                null, a -> null);
        pipeline = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientSide, serverSide}), drops);
    }

    @AfterEach
    void stop() {
        plane.connections().close();
        serverSide.close();
    }

    @Test
    void directRoutingDropsWhatALoweredMtuNoLongerCarriesAndSendsItAgainOnceRaised() {
        service("-g");
        receive(clientTcp(SYN, 0));
        long sent = serverSide.stats().sent();
        assertEquals(1, sent, "the SYN went to the server");
        byte[] big = clientTcp(ACK, 1450 - 40);   // IP length 1450

        receive(big);
        assertEquals(sent + 1, serverSide.stats().sent(), "1450 bytes fit the interface's 1500");

        serverSide.followMtu(1400);
        receive(big);
        assertEquals(sent + 1, serverSide.stats().sent(), "nothing more sent at 1400");
        assertEquals(1, drops.get(DropReason.OVERSIZE));

        serverSide.followMtu(1500);
        receive(big);
        assertEquals(sent + 2, serverSide.stats().sent(), "the MTU back at 1500: sent again");
        assertEquals(1, drops.get(DropReason.OVERSIZE));
    }

    @Test
    void aTunnelsFragmentationNeededCarriesTheMtuTheInterfaceHasNow() {
        service("-i");
        receive(clientTcp(SYN, 0));
        long sent = serverSide.stats().sent();
        byte[] big = clientTcp(ACK, 1400 - 40);   // IP length 1400: fits a 1480-byte tunnel

        receive(big);
        assertEquals(sent + 1, serverSide.stats().sent(), "1400 bytes fit the tunnel of a 1500-byte link");
        assertTrue(clientSide.sent.isEmpty());

        serverSide.followMtu(1300);
        receive(big);
        assertEquals(sent + 1, serverSide.stats().sent(), "not at 1300");
        byte[] icmp = clientSide.takeOnly();
        FlowDescription f = parseValid(icmp);
        assertEquals(3, f.icmpType);
        assertEquals(4, f.icmpCode, "fragmentation needed");
        int mtu = ((icmp[(int) f.l4Offset + 6] & 0xFF) << 8) | (icmp[(int) f.l4Offset + 7] & 0xFF);
        assertEquals(1300 - 20, mtu, "the tunnel's MTU over the lowered link");
        assertEquals(1, drops.get(DropReason.FRAG_NEEDED_SENT));
    }

    void service(String method) {
        adm("-A", "-t", VIP + ":80", "-s", "rr");
        adm("-a", "-t", VIP + ":80", "-r", RS1 + ":80", method);
    }

    void adm(String... argv) {
        StringBuilder err = new StringBuilder();
        assertEquals(0, new AdmExecutor(ipvs).execute(argv, new StringBuilder(), err), err::toString);
    }

    static byte[] clientTcp(int flags, int payload) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).dontFragment(true)
                .tcp(40000, 80).flags(flags).payload(payload).build();
    }

    void receive(byte[] frame) {
        pipeline.beginBatch(clientSide, System.nanoTime());
        pipeline.onFrame(MemorySegment.ofArray(frame.clone()), 0, frame.length, 0);
    }
}
