package io.jlvs.platform.packetio;

import io.jlvs.packets.PacketBuilder;
import io.jlvs.platform.testkit.NetNs;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.jlvs.platform.packetio.VethNamespaces.A_IF;
import static io.jlvs.platform.packetio.VethNamespaces.B_IF;
import static org.junit.jupiter.api.Assertions.*;

/** Both backends over a veth pair between two namespaces: sender on va (namespace a), receivers on vb (b). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PacketPortTest {
    private static final int VIP = 0x0A010001, OTHER = 0x0A010002, REAL_SERVER = 0x0A020005, CLIENT = 0x0A090909;
    private static final ValueLayout.OfInt BIG_ENDIAN_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private VethNamespaces net;
    private final Arena arena = Arena.ofShared();
    private final List<PacketPort> opened = new ArrayList<>();
    private int nextTag = 1;
    private final ExecutorService helpers = Executors.newCachedThreadPool();

    @BeforeAll
    void createNamespaces() throws Exception {
        net = new VethNamespaces();
    }

    @AfterAll
    void removeNamespaces() {
        helpers.shutdownNow();
        if (net != null) net.close();
    }

    @AfterEach
    void closePorts() {
        opened.forEach(PacketPort::close);
        opened.clear();
    }

    static PortOptions small() {
        return PortOptions.defaults().withRing(256 * 1024, 16).withTx(2048, 2048);
    }

    /** "afpacket-blocks": the AF_PACKET backend with a frame-per-block TPACKET_V3 ring ("afpacket": the default). */
    private static final String AFPACKET_BLOCKS = "afpacket-blocks";

    private PacketPort open(String ns, String backend, String ifName, PortOptions options) throws Exception {
        PacketPort port = NetNs.callIn(ns, () -> backend.equals(AFPACKET_BLOCKS)
                ? PacketPorts.open(PacketPorts.AFPACKET, ifName, options.withRxLayout(RxRingLayout.FRAME_PER_BLOCK))
                : PacketPorts.open(backend, ifName, options));
        opened.add(port);
        return port;
    }

    private void sendAll(PacketPort port, List<byte[]> frames) {
        for (byte[] frame : frames) {
            assertTrue(port.send(TestFrames.toNative(arena, frame), 0, frame.length), "tx slot free");
        }
        port.flush();
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void aBatchOfFramesArrivesByteIdenticalAndInOrder(String backend) throws Exception {
        PacketPort sender = open(net.a, backend, A_IF, small());
        PacketPort receiver = open(net.b, backend, B_IF, small());
        int tag = nextTag++;
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) sent.add(TestFrames.udp(CLIENT, VIP, 1000 + i % 50, tag, i, 12 + (i * 37) % 1400));
        sendAll(sender, sent);

        FrameCollector got = new FrameCollector();
        assertTrue(got.drainUntil(receiver, () -> got.tagged(tag).size() >= 1000, 5000),
                "received " + got.tagged(tag).size() + " of 1000");
        List<byte[]> received = got.tagged(tag);
        for (int i = 0; i < sent.size(); i++) assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
        int expectedStatus = backend.equals("pcap") ? PacketPort.CSUM_UNKNOWN : 0;
        for (int i = 0; i < got.frames.size(); i++) {
            if (TestFrames.tagOf(got.frames.get(i)) == tag) assertEquals(expectedStatus, got.statuses.get(i));
        }
        assertEquals(1000, sender.stats().sent());
        assertTrue(receiver.stats().received() >= 1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void framesSentByOneSocketAreNotSeenByAnotherOnTheSameInterface(String backend) throws Exception {
        // Qdisc bypass would hide output from every tap anyway; without it only IGNORE_OUTGOING / direction IN do.
        PortOptions throughQdisc = small().withQdiscBypass(false);
        PacketPort sender = open(net.a, backend, A_IF, throughQdisc);
        PacketPort neighbour = open(net.a, backend, A_IF, throughQdisc);
        PacketPort receiver = open(net.b, backend, B_IF, throughQdisc);
        int tag = nextTag++;
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) frames.add(TestFrames.udp(CLIENT, VIP, 2000, tag, i, 100));
        sendAll(sender, frames);

        FrameCollector atPeer = new FrameCollector();
        assertTrue(atPeer.drainUntil(receiver, () -> atPeer.tagged(tag).size() >= 100, 5000), "frames left the host");
        FrameCollector atNeighbour = new FrameCollector();
        FrameCollector atSender = new FrameCollector();
        atNeighbour.drainFor(neighbour, 200);
        atSender.drainFor(sender, 50);
        assertEquals(0, atNeighbour.tagged(tag).size(), "neighbour socket saw our output");
        assertEquals(0, atSender.tagged(tag).size(), "sender saw its own output");
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void directorFilterPassesOnlyVipRealServerAndArpFrames(String backend) throws Exception {
        PacketPort sender = open(net.a, backend, A_IF, small());
        // OTHER stands for one of the director's own addresses
        BpfProgram filter = BpfProgram.forDirector(new int[] {VIP}, new int[0], new int[0], new int[] {REAL_SERVER}, new int[] {OTHER}, true, false);
        PacketPort receiver = open(net.b, backend, B_IF, small().withFilter(filter));
        int toVip = nextTag++, toOther = nextTag++, fromServer = nextTag++, fromServerToDirector = nextTag++, last = nextTag++;
        sendAll(sender, List.of(
                TestFrames.udp(CLIENT, VIP, 3000, toVip, 0, 20),
                TestFrames.udp(CLIENT, OTHER, 3000, toOther, 0, 20),
                TestFrames.udp(REAL_SERVER, CLIENT, 3000, fromServer, 0, 20),
                TestFrames.udp(REAL_SERVER, OTHER, 3000, fromServerToDirector, 0, 20),
                TestFrames.arpRequest(CLIENT, VIP),
                TestFrames.ipv6Udp(),
                icmpFragNeededFromARouter(),
                TestFrames.udp(CLIENT, VIP, 3000, last, 0, 20)));

        FrameCollector got = new FrameCollector();
        assertTrue(got.drainUntil(receiver, () -> got.tagged(last).size() == 1, 5000));
        assertEquals(1, got.tagged(toVip).size(), "to VIP");
        assertEquals(1, got.tagged(fromServer).size(), "from real server");
        assertEquals(0, got.tagged(toOther).size(), "to a non-VIP");
        assertEquals(0, got.tagged(fromServerToDirector).size(), "from a real server to the director itself");
        assertEquals(1, got.count(f -> etherType(f) == 0x0806 && sourceMac(f) == TestFrames.SRC_MAC), "ARP");
        assertEquals(0, got.count(f -> etherType(f) == 0x86DD), "IPv6");
        assertEquals(1, got.count(f -> etherType(f) == 0x0800 && (f[14 + 9] & 0xFF) == 1),
                "ICMP from a router to the director itself (about a tunnelled packet)");

        // Replacing the filter takes effect for the next frames: OTHER becomes a VIP.
        receiver.setFilter(BpfProgram.forDirector(new int[] {OTHER}, new int[0], false));
        int toOtherNow = nextTag++;
        sendAll(sender, List.of(TestFrames.udp(CLIENT, VIP, 3000, nextTag, 0, 20),
                TestFrames.udp(CLIENT, OTHER, 3000, toOtherNow, 0, 20)));
        assertTrue(got.drainUntil(receiver, () -> got.tagged(toOtherNow).size() == 1, 5000));
        got.drainFor(receiver, 50);
        assertEquals(0, got.tagged(nextTag).size(), "old VIP after the filter changed");
        nextTag++;
    }

    /** Fragmentation needed from 10.3.3.3 (neither VIP nor real server) to OTHER, quoting a UDP packet to a server. */
    private static byte[] icmpFragNeededFromARouter() {
        byte[] quoted = Arrays.copyOfRange(TestFrames.udp(OTHER, REAL_SERVER, 4000, 0, 0, 20), 14, 14 + 28);
        return PacketBuilder.ethernet(TestFrames.SRC_MAC, TestFrames.DST_MAC)
                .ipv4("10.3.3.3", "10.1.0.2").icmpError(3, 4, quoted).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void fanoutGroupSplitsFlowsAndKeepsEachFlowOnOneSocket(String backend) throws Exception {
        PacketPort sender = open(net.a, backend, A_IF, small());
        int group = backend.equals("pcap") ? 4711 : 4712;
        PacketPort first = open(net.b, backend, B_IF, small().withFanout(group));
        PacketPort second = open(net.b, backend, B_IF, small().withFanout(group));
        int tag = nextTag++;
        List<byte[]> frames = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (int flow = 0; flow < 64; flow++) frames.add(TestFrames.udp(CLIENT, VIP, 10_000 + flow, tag, round, 30));
        }
        sendAll(sender, frames);

        FrameCollector[] got = {new FrameCollector(), new FrameCollector()};
        PacketPort[] ports = {first, second};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got[0].tagged(tag).size() + got[1].tagged(tag).size() < frames.size() && System.nanoTime() < deadline) {
            Poller.await(ports, 10);
            first.receive(got[0], 512);
            second.receive(got[1], 512);
        }
        assertEquals(frames.size(), got[0].tagged(tag).size() + got[1].tagged(tag).size(), "each frame exactly once");
        Map<Integer, Set<Integer>> socketsPerFlow = new HashMap<>();
        for (int socket = 0; socket < 2; socket++) {
            for (byte[] frame : got[socket].tagged(tag)) {
                socketsPerFlow.computeIfAbsent(TestFrames.sourcePort(frame), k -> new HashSet<>()).add(socket);
            }
        }
        assertEquals(64, socketsPerFlow.size());
        socketsPerFlow.forEach((flow, sockets) -> assertEquals(1, sockets.size(), "flow " + flow + " split"));
        assertFalse(got[0].tagged(tag).isEmpty(), "first socket got no flow");
        assertFalse(got[1].tagged(tag).isEmpty(), "second socket got no flow");
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap"})
    void superFramesAboveTheMtuAreDeliveredWholeAndCounted(String backend) throws Exception {
        PacketPort receiver = open(net.b, backend, B_IF,
                small().withRing(1 << 20, 16).withRxLayout(RxRingLayout.PACKED));
        FrameCollector got = receiveDuringBulkTcp(receiver);
        long aboveMtu = got.count(f -> f.length > receiver.mtu() + 14);
        assertTrue(aboveMtu > 0, "TSO over veth produced no frame above the MTU");
        assertEquals(aboveMtu, receiver.stats().oversize());
        assertEquals(got.frames.size(), receiver.stats().received());
        for (byte[] frame : got.frames) {
            if (etherType(frame) == 0x0800) assertEquals(frame.length - 14, ipTotalLength(frame), "whole IP packet");
        }
    }

    /** Everything {@code receiver} gets while 4 MiB of TCP cross the veth pair (TSO makes super-frames). */
    private FrameCollector receiveDuringBulkTcp(PacketPort receiver) throws Exception {
        FrameCollector got = new FrameCollector();
        CompletableFuture<Void> transfer = bulkTcp(4 << 20);
        while (!transfer.isDone()) {
            Poller.await(new PacketPort[] {receiver}, 10);
            receiver.receive(got, 512);
        }
        transfer.get();
        got.drainFor(receiver, 100);
        return got;
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", AFPACKET_BLOCKS})
    void withOneFramePerBlockOrSlotSuperFramesAreTruncatedAndCountedNotForwardedInPieces(String backend) throws Exception {
        PacketPort receiver = open(net.b, backend, B_IF, small());
        FrameCollector got = receiveDuringBulkTcp(receiver);
        assertTrue(receiver.stats().truncated() > 0, "TSO over veth produced no frame above what a block holds");
        for (byte[] frame : got.frames) {
            if (etherType(frame) == 0x0800) assertEquals(frame.length - 14, ipTotalLength(frame), "a truncated frame");
        }
    }

    /**
     * The point of one frame per block: a TPACKET_V3 block is handed over when the next frame does not fit, so a
     * frame waits for the next arrival, not for the block timer. With packed blocks the same frame waits for the
     * timer (3 s here, so the difference cannot be noise).
     */
    @Test
    void withOneFramePerBlockAFrameIsHandedOverWhenTheNextArrivesNotWhenTheTimerFires() throws Exception {
        PacketPort sender = open(net.a, PacketPorts.AFPACKET, A_IF, small());
        PortOptions slowTimer = small().withBlockTimeout(3000)
                .withFilter(BpfProgram.forDirector(new int[] {VIP}, new int[0], false));
        PacketPort perFrame = open(net.b, AFPACKET_BLOCKS, B_IF, slowTimer);
        PacketPort packed = open(net.b, PacketPorts.AFPACKET, B_IF, slowTimer.withRxLayout(RxRingLayout.PACKED));
        int first = nextTag++, second = nextTag++;
        // A frame as long as the MTU allows, then a short one: the long one must still arrive whole.
        sendAll(sender, List.of(TestFrames.udp(CLIENT, VIP, 1, first, 0, sender.mtu() - 28)));
        FrameCollector early = new FrameCollector();
        early.drainFor(perFrame, 300);
        assertEquals(0, early.tagged(first).size(), "handed over before the next frame or the timer");

        sendAll(sender, List.of(TestFrames.udp(CLIENT, VIP, 1, second, 1, 20)));
        FrameCollector got = new FrameCollector();
        assertTrue(got.drainUntil(perFrame, () -> got.tagged(first).size() == 1, 1000),
                "the next frame did not hand the first one over");
        assertEquals(sender.mtu() + 14, got.tagged(first).getFirst().length, "MTU frame whole");
        assertEquals(0, got.tagged(second).size(), "the last frame waits for the next one or the timer");

        FrameCollector atPacked = new FrameCollector();
        atPacked.drainFor(packed, 300);
        assertEquals(0, atPacked.tagged(first).size(), "packed blocks handed over before the timer");
        assertEquals(0, perFrame.stats().truncated());
    }

    /**
     * The point of TPACKET_V2 frames: each frame is handed over as soon as it is written, where a frame-per-block
     * ring with the same (3 s) timer still holds the same frame, the last of its burst.
     */
    @Test
    void withFramesTheLastFrameOfABurstIsHandedOverAtOnce() throws Exception {
        PacketPort sender = open(net.a, PacketPorts.AFPACKET, A_IF, small());
        PortOptions slowTimer = small().withBlockTimeout(3000)
                .withFilter(BpfProgram.forDirector(new int[] {VIP}, new int[0], false));
        PacketPort perBlock = open(net.b, AFPACKET_BLOCKS, B_IF, slowTimer);
        PacketPort frames = open(net.b, PacketPorts.AFPACKET, B_IF, slowTimer);
        int tag = nextTag++;

        sendAll(sender, List.of(TestFrames.udp(CLIENT, VIP, 1, tag, 0, sender.mtu() - 28)));

        FrameCollector got = new FrameCollector();
        assertTrue(got.drainUntil(frames, () -> got.tagged(tag).size() == 1, 1000), "not handed over at once");
        assertEquals(sender.mtu() + 14, got.tagged(tag).getFirst().length, "MTU frame whole");
        FrameCollector held = new FrameCollector();
        held.drainFor(perBlock, 300);
        assertEquals(0, held.tagged(tag).size(), "the frame-per-block ring handed the last frame over early");
    }

    @Test
    void tcpFromALocalStackWithChecksumOffloadIsFlaggedPartial() throws Exception {
        PacketPort receiver = open(net.b, PacketPorts.AFPACKET, B_IF, small());
        int port = 5002;   // nothing listens: the SYN is enough
        NetNs.callIn(net.a, () -> {
            try (SocketChannel channel = SocketChannel.open()) {
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress("10.77.0.2", port));
            }
            return null;
        });
        FrameCollector got = new FrameCollector();
        assertTrue(got.drainUntil(receiver, () -> got.count(f -> isTcpTo(f, port)) > 0, 5000), "no SYN seen");
        for (int i = 0; i < got.frames.size(); i++) {
            if (isTcpTo(got.frames.get(i), port)) {
                assertEquals(PacketPort.CSUM_PARTIAL, got.statuses.get(i) & PacketPort.CSUM_PARTIAL);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void aFullTransmitQueueRefusesAndCountsUntilFlushed(String backend) throws Exception {
        PacketPort sender = open(net.a, backend, A_IF, small().withTx(2048, 16));
        MemorySegment frame = TestFrames.toNative(arena, TestFrames.udp(CLIENT, OTHER, 1, nextTag++, 0, 64));
        int accepted = 0;
        while (sender.send(frame, 0, (int) frame.byteSize())) accepted++;
        assertEquals(16, accepted);
        assertEquals(1, sender.stats().txFull());
        MemorySegment tooLong = arena.allocate(4000);
        assertFalse(sender.send(tooLong, 0, 4000));
        assertEquals(1, sender.stats().txTooLong());
        sender.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        boolean again = false;
        while (!again && System.nanoTime() < deadline) again = sender.send(frame, 0, (int) frame.byteSize());
        assertTrue(again, "slots free again after flush");
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void closeReleasesEveryDescriptor(String backend) throws Exception {
        open(net.b, backend, B_IF, small()).close();   // first use loads libraries, which may keep descriptors
        int before = openDescriptors();
        for (int i = 0; i < 3; i++) {
            PacketPort port = open(net.b, backend, B_IF, small().withFanout(900 + i));
            assertTrue(port.pollFd() >= 0);
            port.close();
            port.close();   // idempotent
        }
        assertEquals(before, openDescriptors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void pollerWakesWhenAFrameArrivesAndTimesOutOtherwise(String backend) throws Exception {
        PacketPort sender = open(net.a, backend, A_IF, small());
        PacketPort receiver = open(net.b, backend, B_IF,
                small().withFilter(BpfProgram.forDirector(new int[] {VIP}, new int[0], false)));
        PacketPort[] ports = {receiver};
        long start = System.nanoTime();
        assertEquals(0, Poller.await(ports, 100));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90), "returned before the timeout");
        sendAll(sender, List.of(TestFrames.udp(CLIENT, VIP, 1, nextTag++, 0, 20)));
        assertEquals(1, Poller.await(ports, 2000), "woken by the frame, not by the timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"afpacket", "pcap", AFPACKET_BLOCKS})
    void everyFrameOfABurstIsReceivedOrCountedAsDropped(String backend) throws Exception {
        PacketPort sender = open(net.a, backend, A_IF, small());
        PacketPort receiver = open(net.b, backend, B_IF, PortOptions.defaults().withRing(1 << 20, 16));
        int tag = nextTag++;
        MemorySegment frame = TestFrames.toNative(arena, TestFrames.udp(CLIENT, VIP, 1, tag, 0, 18));
        int batch = 256, total = batch * 800;
        long[] received = {0};
        // Counts only this test's frames (a late segment of an earlier TCP test may still cross the wire).
        FrameHandler count = (seg, offset, length, status) -> {
            if (length == frame.byteSize() && seg.get(BIG_ENDIAN_INT, offset + 14 + 32) == tag) received[0]++;
        };
        for (int sent = 0; sent < total; sent += batch) {
            for (int i = 0; i < batch; i++) assertTrue(sender.send(frame, 0, (int) frame.byteSize()));
            sender.flush();
            receiver.receive(count, Integer.MAX_VALUE);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (received[0] + receiver.stats().kernelDrops() < total && System.nanoTime() < deadline) {
            Poller.await(new PacketPort[] {receiver}, 10);
            receiver.receive(count, Integer.MAX_VALUE);
        }
        assertEquals(total, received[0] + receiver.stats().kernelDrops(), "every frame received or counted as dropped");
    }

    /** A TCP transfer from namespace a to b through the veth pair. */
    private CompletableFuture<Void> bulkTcp(int bytes) throws Exception {
        ServerSocketChannel server = NetNs.callIn(net.b, () -> ServerSocketChannel.open()
                .bind(new InetSocketAddress("10.77.0.2", 5001)));
        SocketChannel client = NetNs.callIn(net.a, () -> SocketChannel.open(new InetSocketAddress("10.77.0.2", 5001)));
        // Own threads: the common pool may have a single thread on a 2-core machine, and both sides block.
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (server; SocketChannel accepted = server.accept()) {
                ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
                while (accepted.read(buffer.clear()) >= 0) { /* discard */ }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, helpers);
        return CompletableFuture.runAsync(() -> {
            try (client) {
                ByteBuffer data = ByteBuffer.allocate(bytes);
                while (data.hasRemaining()) client.write(data);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, helpers).thenCompose(written -> reader);
    }

    private static int openDescriptors() {
        return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
    }

    private static int etherType(byte[] f) {
        return ((f[12] & 0xFF) << 8) | (f[13] & 0xFF);
    }

    private static long sourceMac(byte[] f) {
        long mac = 0;
        for (int i = 6; i < 12; i++) mac = (mac << 8) | (f[i] & 0xFF);
        return mac;
    }

    private static int ipTotalLength(byte[] f) {
        return ((f[16] & 0xFF) << 8) | (f[17] & 0xFF);
    }

    private static boolean isTcpTo(byte[] f, int port) {
        return f.length >= 14 + 20 + 20 && etherType(f) == 0x0800 && f[14 + 9] == 6
                && (((f[14 + 20 + 2] & 0xFF) << 8) | (f[14 + 20 + 3] & 0xFF)) == port;
    }
}
