package io.jlvs.platform.packetio;

import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.net.Links;
import io.jlvs.platform.net.XdpNetlink;
import io.jlvs.platform.testkit.NetNs;
import io.jlvs.platform.xdp.XdpLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jlvs.platform.packetio.VethNamespaces.A_IF;
import static io.jlvs.platform.packetio.VethNamespaces.B_IF;
import static org.junit.jupiter.api.Assertions.*;

/** The AF_XDP backend over a veth pair between two namespaces: its rings, its XDP program, its filter. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AfXdpPortTest {
    private static final int VIP = 0x0A010001, OTHER = 0x0A010002, REAL_SERVER = 0x0A020005, CLIENT = 0x0A090909;

    private VethNamespaces net;
    private final Arena arena = Arena.ofShared();
    private final List<PacketPort> opened = new ArrayList<>();
    private int nextTag = 1;

    @BeforeAll
    void createNamespaces() throws Exception {
        net = new VethNamespaces("jlvsx");
    }

    @AfterAll
    void removeNamespaces() {
        if (net != null) net.close();
    }

    @AfterEach
    void closePorts() {
        opened.forEach(PacketPort::close);
        opened.clear();
    }

    private PacketPort open(String ns, String backend, String ifName, PortOptions options) throws Exception {
        PacketPort port = NetNs.callIn(ns, () -> PacketPorts.open(backend, ifName, options));
        opened.add(port);
        return port;
    }

    private void sendAll(PacketPort port, List<byte[]> frames) {
        for (byte[] frame : frames) {
            assertTrue(port.send(TestFrames.toNative(arena, frame), 0, frame.length), "tx slot free");
        }
        port.flush();
    }

    @Test
    void aBatchOfFramesArrivesByteIdenticalAndInOrderBothWays() throws Exception {
        PacketPort xdpA = open(net.a, PacketPorts.AFXDP, A_IF, PacketPortTest.small());
        PacketPort xdpB = open(net.b, PacketPorts.AFXDP, B_IF, PacketPortTest.small());
        for (PacketPort[] pair : new PacketPort[][] {{xdpA, xdpB}, {xdpB, xdpA}}) {
            int tag = nextTag++;
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) sent.add(TestFrames.udp(CLIENT, VIP, 1000 + i % 50, tag, i, 12 + (i * 37) % 1400));
            sendAll(pair[0], sent);

            FrameCollector got = new FrameCollector();
            assertTrue(got.drainUntil(pair[1], () -> got.tagged(tag).size() >= 1000, 5000),
                    "received " + got.tagged(tag).size() + " of 1000");
            List<byte[]> received = got.tagged(tag);
            for (int i = 0; i < sent.size(); i++) assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            for (int i = 0; i < got.frames.size(); i++) {
                if (TestFrames.tagOf(got.frames.get(i)) == tag) assertEquals(PacketPort.CSUM_UNKNOWN, got.statuses.get(i));
            }
        }
        assertEquals(1000, xdpA.stats().sent());
        assertTrue(xdpB.stats().received() >= 1000);
        assertEquals(0, xdpA.stats().flushErrors());
    }

    @Test
    void theXdpProgramRedirectsWhatTheFilterAcceptsAndTheKernelKeepsItsOwnArp() throws Exception {
        PacketPort sender = open(net.a, PacketPorts.AFPACKET, A_IF, PacketPortTest.small());
        BpfProgram filter = BpfProgram.forDirector(new int[] {VIP}, new int[0], new int[0], new int[] {REAL_SERVER},
                new int[] {OTHER}, true, false);
        PacketPort receiver = open(net.b, PacketPorts.AFXDP, B_IF, PacketPortTest.small().withFilter(filter));
        int toVip = nextTag++, toOther = nextTag++, fromServer = nextTag++, fromServerToDirector = nextTag++, last = nextTag++;
        sendAll(sender, List.of(
                TestFrames.udp(CLIENT, VIP, 3000, toVip, 0, 20),
                TestFrames.udp(CLIENT, OTHER, 3000, toOther, 0, 20),
                TestFrames.udp(REAL_SERVER, CLIENT, 3000, fromServer, 0, 20),
                TestFrames.udp(REAL_SERVER, OTHER, 3000, fromServerToDirector, 0, 20),
                TestFrames.arpRequest(CLIENT, VIP),
                TestFrames.arpRequest(VethNamespaces.A_IP, VethNamespaces.B_IP),
                TestFrames.ipv6Udp(),
                TestFrames.udp(CLIENT, VIP, 3000, last, 0, 20)));

        FrameCollector got = new FrameCollector();
        assertTrue(got.drainUntil(receiver, () -> got.tagged(last).size() == 1
                && got.count(f -> etherType(f) == 0x0806) == 2, 5000), "the VIP's frames and both ARP requests");
        assertEquals(1, got.tagged(toVip).size(), "to VIP");
        assertEquals(1, got.tagged(fromServer).size(), "from real server");
        assertEquals(0, got.tagged(toOther).size(), "to a non-VIP");
        assertEquals(0, got.tagged(fromServerToDirector).size(), "from a real server to the director itself");
        assertEquals(0, got.count(f -> etherType(f) == 0x86DD), "IPv6");
        // ARP went to the kernel too: it answered the request for its own address.
        FrameCollector atSender = new FrameCollector();
        assertTrue(atSender.drainUntil(sender, () -> atSender.count(f -> etherType(f) == 0x0806
                && ((f[20] & 0xFF) << 8 | (f[21] & 0xFF)) == 2) == 1, 5000), "the kernel's ARP reply");
        assertEquals(XdpNetlink.ATTACHED_DRIVER, NetNs.callIn(net.b,
                () -> XdpLink.query(Links.byName(B_IF).ifIndex()).mode()), "native XDP on veth");

        // Replacing the filter swaps the XDP program: OTHER becomes a VIP, VIP no longer is.
        receiver.setFilter(BpfProgram.forDirector(new int[] {OTHER}, new int[0], false));
        int toVipNow = nextTag++, toOtherNow = nextTag++;
        sendAll(sender, List.of(TestFrames.udp(CLIENT, VIP, 3000, toVipNow, 0, 20),
                TestFrames.udp(CLIENT, OTHER, 3000, toOtherNow, 0, 20)));
        assertTrue(got.drainUntil(receiver, () -> got.tagged(toOtherNow).size() == 1, 5000));
        got.drainFor(receiver, 50);
        assertEquals(0, got.tagged(toVipNow).size(), "old VIP after the filter changed");
    }

    /**
     * A filter with a kernel port (a layer-7 listener on the VIP) reads the TCP header behind a variable IP header:
     * the translation of its indirect loads passes the verifier, and TCP to the port stays with the kernel.
     */
    @Test
    void aKernelPortOnAVipStaysWithTheKernel() throws Exception {
        PacketPort sender = open(net.a, PacketPorts.AFPACKET, A_IF, PacketPortTest.small());
        BpfProgram filter = BpfProgram.forDirector(new int[] {VIP}, new int[] {VIP}, new int[] {80}, new int[0],
                new int[0], true, false);
        PacketPort receiver = open(net.b, PacketPorts.AFXDP, B_IF, PacketPortTest.small().withFilter(filter));
        int last = nextTag++;
        sendAll(sender, List.of(
                tcpToVip(80, 0x11),
                tcpToVip(81, 0x22),
                TestFrames.udp(CLIENT, VIP, 3000, last, 0, 20)));
        FrameCollector got = new FrameCollector();
        assertTrue(got.drainUntil(receiver, () -> got.tagged(last).size() == 1, 5000));
        got.drainFor(receiver, 50);
        assertEquals(0, got.count(f -> tcpDestinationPort(f) == 80), "TCP to the kernel port");
        assertEquals(1, got.count(f -> tcpDestinationPort(f) == 81), "TCP to another port of the VIP");
    }

    private static byte[] tcpToVip(int port, int sequence) {
        return PacketBuilder.ethernet(TestFrames.SRC_MAC, TestFrames.DST_MAC).ipv4("10.9.9.9", "10.1.0.1")
                .tcp(40000, port).flags(0x02).seq(sequence).build();
    }

    private static int tcpDestinationPort(byte[] f) {
        if (etherType(f) != 0x0800 || f[14 + 9] != 6) return -1;
        int ihl = (f[14] & 0xF) * 4;
        return ((f[14 + ihl + 2] & 0xFF) << 8) | (f[14 + ihl + 3] & 0xFF);
    }

    @Test
    void closeDetachesTheProgramAndTheQueueCanBeBoundAgainAtOnce() throws Exception {
        int ifIndex = NetNs.callIn(net.b, () -> Links.byName(B_IF).ifIndex());
        for (int i = 0; i < 3; i++) {
            PacketPort port = open(net.b, PacketPorts.AFXDP, B_IF, PacketPortTest.small());
            assertTrue(NetNs.callIn(net.b, () -> XdpLink.query(ifIndex).any()), "attached while open");
            port.close();
            port.close();   // idempotent
            assertFalse(NetNs.callIn(net.b, () -> XdpLink.query(ifIndex).any()), "detached at close");
        }
    }

    @Test
    void pollerWakesWhenAFrameArrivesAndTimesOutOtherwise() throws Exception {
        PacketPort sender = open(net.a, PacketPorts.AFPACKET, A_IF, PacketPortTest.small());
        PacketPort receiver = open(net.b, PacketPorts.AFXDP, B_IF,
                PacketPortTest.small().withFilter(BpfProgram.forDirector(new int[] {VIP}, new int[0], false)));
        PacketPort[] ports = {receiver};
        long start = System.nanoTime();
        assertEquals(0, Poller.await(ports, 100));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90), "returned before the timeout");
        sendAll(sender, List.of(TestFrames.udp(CLIENT, VIP, 1, nextTag++, 0, 20)));
        assertEquals(1, Poller.await(ports, 2000), "woken by the frame, not by the timeout");
    }

    private static int etherType(byte[] f) {
        return ((f[12] & 0xFF) << 8) | (f[13] & 0xFF);
    }
}
