package io.jlvs.forwarder;

import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.hostguard.KernelPort;
import io.jlvs.platform.packetio.PacketPort;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernel ports (layer-7 listeners on a VIP): TCP to one is the director's kernel's, so the data plane neither
 * answers nor forwards it nor makes a connection, and counts it apart from "no service"; the VIP stays jlvs's for
 * ARP, ping and its other ports, under VRRP as any VIP; a layer-4 TCP service and a kernel port never share a
 * VIP:port, whichever comes second being refused with nothing changed.
 */
class KernelPortPipelineTest extends PipelineTest {
    static final String L7_VIP = "10.0.0.200";

    KernelPorts ports(String vip, int port) {
        return new KernelPorts(Map.of(new KernelPort(v4(vip), port), "layer-7 service web"));
    }

    byte[] syn(String vip, int port, int clientPort) {
        return PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, vip).ttl(64).tcp(clientPort, port)
                .flags(SYN).build();
    }

    byte[] arpRequest(String target) {
        return PacketBuilder.ethernet(CLIENT_MAC, 0xFFFF_FFFF_FFFFL).arpRequest("02:00:00:00:00:02", CLIENT, target)
                .build();
    }

    @Test
    void tcpToAKernelPortIsLeftAloneWhileTheVipsOtherPortsForward() throws AdmException {
        natService("rr");
        ipvs.setKernelPorts(ports(VIP, 8080));
        receive(clientSide, syn(VIP, 8080, 46000), 0);
        assertTrue(clientSide.sent.isEmpty() && serverSide.sent.isEmpty(), "no RST, no ICMP, nothing forwarded");
        assertEquals(0, plane.connections().size(), "no connection entry");
        assertEquals(1, drops.get(DropReason.KERNEL_PORT));
        assertEquals(0, drops.get(DropReason.NO_SERVICE));

        receive(clientSide, syn(VIP, 8081, 46001), 0);
        assertEquals(1, drops.get(DropReason.NO_SERVICE), "a port without a service or a listener is counted so");
        assertEquals(v4(RS1), forwardFromClient(syn(VIP, 80, 46002)).dstV4(), "the VIP's layer-4 service forwards");
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).udp(46003, 8080)
                .payload(new byte[4]).build(), 0);
        assertEquals(2, drops.get(DropReason.NO_SERVICE), "UDP to the listener's port number is not the kernel's");

        ipvs.setKernelPorts(KernelPorts.NONE);
        receive(clientSide, syn(VIP, 8080, 46004), 0);
        assertEquals(1, drops.get(DropReason.KERNEL_PORT));
        assertEquals(3, drops.get(DropReason.NO_SERVICE), "the listener gone, its port has no service");
    }

    @Test
    void anIcmpErrorAboutAKernelConnectionIsNotCountedAsUnrelated() throws AdmException {
        natService("rr");
        ipvs.setKernelPorts(ports(VIP, 8080));
        byte[] sentByTheKernel = PacketBuilder.ipOnly().ipv4(VIP, CLIENT).tcp(8080, 46010).flags(SYN | ACK).build();
        byte[] elsewhere = PacketBuilder.ipOnly().ipv4(VIP, CLIENT).tcp(8081, 46011).flags(SYN | ACK).build();
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP)
                .icmpError(3, 4, sentByTheKernel).build(), 0);
        assertEquals(1, drops.get(DropReason.KERNEL_PORT));
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP)
                .icmpError(3, 4, elsewhere).build(), 0);
        assertEquals(1, drops.get(DropReason.ICMP_UNRELATED), "an error about no connection at all is unrelated");
        assertTrue(clientSide.sent.isEmpty() && serverSide.sent.isEmpty());
    }

    @Test
    void aVipWithOnlyAKernelPortIsAnsweredForAsAnyVipAndFollowsVrrp() throws AdmException {
        receive(clientSide, arpRequest(L7_VIP), 0);
        assertTrue(clientSide.sent.isEmpty(), "not a VIP yet: no ARP reply");
        ipvs.setKernelPorts(ports(L7_VIP, 8080));
        assertTrue(plane.services().isVip(v4(L7_VIP)));
        receive(clientSide, arpRequest(L7_VIP), 0);
        FlowDescription arp = parseValid(clientSide.takeOnly());
        assertEquals(2, arp.arpOperation);
        assertEquals(v4(L7_VIP), arp.arpSenderIp);
        receive(clientSide, PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, L7_VIP).icmpEcho(true, 7, 1)
                .payload(new byte[16]).build(), 0);
        assertEquals(0, parseValid(clientSide.takeOnly()).icmpType, "echo reply");

        ipvs.setVipOwnership(new VipOwnership(new int[] {v4(L7_VIP)}, new int[0]));
        receive(clientSide, arpRequest(L7_VIP), 0);
        assertTrue(clientSide.sent.isEmpty(), "a VRRP standby does not answer for it");
        ipvs.setVipOwnership(new VipOwnership(new int[] {v4(L7_VIP)}, new int[] {v4(L7_VIP)}));
        receive(clientSide, arpRequest(L7_VIP), 0);
        assertEquals(2, parseValid(clientSide.takeOnly()).arpOperation, "the master does");
    }

    @Test
    void aNewKernelPortVipIsAnnouncedAndTheHostIsTold() throws AdmException {
        List<int[]> told = new java.util.ArrayList<>();
        IpvsRuntime withListener = new IpvsRuntime(plane, io.jlvs.control.model.ForwardMethod.MASQ,
                java.util.EnumSet.of(io.jlvs.control.model.ForwardMethod.MASQ),
                (index, dests, vips) -> told.add(vips.stream().mapToInt(Integer::intValue).toArray()));
        withListener.setKernelPorts(ports(L7_VIP, 8080));
        assertEquals(1, told.size());
        assertTrue(Arrays.equals(new int[] {v4(L7_VIP)}, told.getFirst()), "the new VIP is announced");
        assertEquals(List.of(new KernelPort(v4(L7_VIP), 8080)), plane.services().kernelPorts().ports());
        withListener.setKernelPorts(ports(L7_VIP, 8080));
        assertEquals(1, told.size(), "the same ports again change nothing");
    }

    @Test
    void aHostThatCannotBeUpdatedRefusesTheChangeAndPutsTheOldPortsBack() {
        IpvsRuntime failing = new IpvsRuntime(plane, io.jlvs.control.model.ForwardMethod.MASQ,
                java.util.EnumSet.of(io.jlvs.control.model.ForwardMethod.MASQ), (index, dests, vips) -> {
                    if (!index.kernelPorts().isEmpty()) throw new IllegalStateException("nft refused");
                });
        AdmException e = assertThrows(AdmException.class, () -> failing.setKernelPorts(ports(L7_VIP, 8080)));
        assertTrue(e.getMessage().contains("nft refused"), e.getMessage());
        assertSame(KernelPorts.NONE, failing.kernelPorts());
        assertFalse(plane.services().isVip(v4(L7_VIP)));
    }

    @Test
    void aKernelPortOnALayer4ServicesPortIsRefusedWithNothingChanged() throws AdmException {
        natService("rr");
        AdmException e = assertThrows(AdmException.class, () -> ipvs.setKernelPorts(ports(VIP, 80)));
        assertEquals("jlvs: layer-7 service web cannot listen on 10.0.0.100:80: the layer-4 service TCP 10.0.0.100:80 "
                + "(jlvsadm) forwards it; use another port, or delete that service first", e.getMessage());
        assertSame(KernelPorts.NONE, ipvs.kernelPorts());
        assertFalse(plane.services().isKernelPort(v4(VIP), 80));

        adm("-A", "-t", L7_VIP + ":0", "-s", "rr", "-p", "60");
        assertThrows(AdmException.class, () -> ipvs.setKernelPorts(ports(L7_VIP, 8080)),
                "a persistent port-0 service takes every port of its VIP");
        adm("-A", "-u", VIP + ":8080", "-s", "rr");
        ipvs.setKernelPorts(ports(VIP, 8080)); // a UDP service on the same number is no clash
        assertTrue(plane.services().isKernelPort(v4(VIP), 8080));
    }

    @Test
    void aLayer4ServiceOnAKernelPortIsRefusedWithNothingChanged() throws AdmException {
        ipvs.setKernelPorts(ports(VIP, 8080));
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int rc = new AdmExecutor(ipvs).execute(new String[] {"-A", "-t", VIP + ":8080", "-s", "rr"}, out, err);
        assertEquals(AdmException.REFUSED, rc);
        assertEquals("jlvs: TCP 10.0.0.100:8080 cannot be added: TCP 10.0.0.100:8080 is where layer-7 service web "
                + "(tcpvsadm) listens; use another port, or stop that service first", err.toString().strip());
        assertEquals(0, ipvs.config().serviceCount());
        rc = new AdmExecutor(ipvs).execute(new String[] {"-A", "-t", VIP + ":0", "-s", "rr", "-p"}, out, err);
        assertEquals(AdmException.REFUSED, rc, "a port-0 service would take the listener's port too");
        adm("-A", "-t", VIP + ":80", "-s", "rr");
        assertEquals(1, ipvs.config().serviceCount());
    }

    @Test
    void leavingAKernelPortAloneAllocatesNothing() throws AdmException {
        natService("rr");
        ipvs.setKernelPorts(ports(VIP, 8080));
        FakePort.Counting clientIn = new FakePort.Counting("cli0", 1, DIR_CLIENT_MAC);
        PacketPipeline quiet = new PacketPipeline(plane, new WorkerPorts(new PacketPort[] {clientIn, serverSide}), drops);
        byte[] data = PacketBuilder.ethernet(CLIENT_MAC, DIR_CLIENT_MAC).ipv4(CLIENT, VIP).ttl(64).tcp(46020, 8080)
                .flags(ACK).payload(new byte[64]).build();
        MemorySegment seg = MemorySegment.ofArray(data.clone());
        long allocated = Allocations.steadyStateBytes(100_000, i -> {
            MemorySegment.copy(data, 0, seg, ValueLayout.JAVA_BYTE, 0, data.length);
            quiet.beginBatch(clientIn, System.nanoTime());
            quiet.onFrame(seg, 0, data.length, 0);
        });
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 100k segments");
        assertEquals(300_000, drops.get(DropReason.KERNEL_PORT));
    }
}
