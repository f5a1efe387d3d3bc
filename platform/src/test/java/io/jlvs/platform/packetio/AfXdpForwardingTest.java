package io.jlvs.platform.packetio;

import io.jlvs.platform.testkit.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.jlvs.platform.packetio.VethNamespaces.run;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A worker's two AF_XDP ports on one UMEM, forwarding between two interfaces of a middle namespace: a frame
 * received on one is sent on the other where it lies. Namespaces a - b - c, veths xa/xb0 and xb1/xc.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AfXdpForwardingTest {
    private static final int VIP = 0x0A010001, CLIENT = 0x0A090909;
    private final String prefix = "jlvsx-" + ProcessHandle.current().pid() + "-fw";
    private final String a = prefix + "a", b = prefix + "b", c = prefix + "c";
    private final Arena arena = Arena.ofShared();

    @BeforeAll
    void createNamespaces() throws IOException {
        try {
            for (String ns : List.of(a, b, c)) {
                run("ip", "netns", "add", ns);
                run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
                run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
            }
            run("ip", "link", "add", "xa", "netns", a, "type", "veth", "peer", "name", "xb0", "netns", b);
            run("ip", "link", "add", "xb1", "netns", b, "type", "veth", "peer", "name", "xc", "netns", c);
            for (String[] link : new String[][] {{a, "xa"}, {b, "xb0"}, {b, "xb1"}, {c, "xc"}}) {
                run("ip", "-n", link[0], "link", "set", link[1], "up");
            }
        } catch (IOException | RuntimeException e) {
            removeNamespaces();
            throw e;
        }
    }

    @AfterAll
    void removeNamespaces() {
        for (String ns : List.of(a, b, c)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException ignored) {
                // not created
            }
        }
    }

    @Test
    void framesCrossTheWorkerInPlaceByteIdentical() throws Exception {
        PacketPort client = NetNs.callIn(a, () -> PacketPorts.open(PacketPorts.AFPACKET, "xa", PacketPortTest.small()));
        PacketPort server = NetNs.callIn(c, () -> PacketPorts.open(PacketPorts.AFPACKET, "xc", PacketPortTest.small()));
        PacketPort[] worker = NetNs.callIn(b, () -> PacketPorts.openWorker(PacketPorts.AFXDP, List.of("xb0", "xb1"), 0,
                i -> PacketPortTest.small()));
        try {
            int tag = 77;
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 3000; i++) sent.add(TestFrames.udp(CLIENT, VIP, 1000 + i % 50, tag, i, 12 + (i * 37) % 1400));
            FrameCollector atServer = new FrameCollector();
            PacketPort ingress = worker[0], egress = worker[1];
            FrameHandler forward = (seg, offset, length, status) -> egress.send(seg, offset, length);
            for (int from = 0; from < sent.size(); from += 500) {
                for (byte[] frame : sent.subList(from, from + 500)) {
                    assertTrue(client.send(TestFrames.toNative(arena, frame), 0, frame.length));
                }
                client.flush();
                int expected = from + 500;
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (atServer.tagged(tag).size() < expected && System.nanoTime() < deadline) {
                    Poller.await(new PacketPort[] {ingress}, 1);
                    ingress.receive(forward, 256);
                    egress.flush();
                    server.receive(atServer, 512);
                }
            }
            List<byte[]> received = atServer.tagged(tag);
            assertEquals(sent.size(), received.size());
            for (int i = 0; i < sent.size(); i++) assertArrayEquals(sent.get(i), received.get(i), "frame " + i);
            assertEquals(sent.size(), ((AfXdpPort) egress).sentInPlace, "every frame sent where it was received");
            assertEquals(sent.size(), egress.stats().sent());
        } finally {
            for (PacketPort p : worker) p.close();
            client.close();
            server.close();
        }
    }

    /**
     * Receiving a frame, handing it to the handler and queueing it in place on the other port allocate nothing.
     * Waiting in poll and kicking the kernel at flush are system calls, once per batch: the JVM counts a few hundred
     * bytes against some of them (as it does for the AF_PACKET backend's), so they are measured apart, per batch.
     */
    @Test
    void forwardingAllocatesNothingPerFrame() throws Exception {
        PacketPort client = NetNs.callIn(a, () -> PacketPorts.open(PacketPorts.AFPACKET, "xa", PacketPortTest.small()));
        PacketPort[] worker = NetNs.callIn(b, () -> PacketPorts.openWorker(PacketPorts.AFXDP, List.of("xb0", "xb1"), 0,
                i -> PacketPortTest.small()));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try {
            List<MemorySegment> frames = new ArrayList<>();
            for (int i = 0; i < 500; i++) frames.add(TestFrames.toNative(arena, TestFrames.udp(CLIENT, VIP, 1000 + i, 78, i, 100)));
            PacketPort ingress = worker[0], egress = worker[1];
            PacketPort[] polled = {ingress};
            FrameHandler forward = (seg, offset, length, status) -> egress.send(seg, offset, length);
            long perFrame = 0, perCall = 0, forwarded = 0, loops = 0, kicks = 0;
            // A worker polls and flushes thousands of times a second; the rounds below would call them a few dozen
            // times, interpreted. Compile them first, as the worker's own loop does.
            for (int i = 0; i < 30_000; i++) {
                Poller.await(polled, 0);
                ingress.receive(forward, 256);
                egress.flush();
            }
            for (int round = 0; round < 40; round++) {
                for (MemorySegment frame : frames) assertTrue(client.send(frame, 0, (int) frame.byteSize()));
                client.flush();
                long roundStart = ingress.stats().received(), kicksBefore = ((AfXdpPort) egress).kicks;
                long deadline = System.nanoTime() + 5_000_000_000L;
                long receiving = 0, syscalls = 0, iterations = 0;
                while (ingress.stats().received() - roundStart < frames.size() && System.nanoTime() < deadline) {
                    long t0 = threads.getCurrentThreadAllocatedBytes();
                    Poller.await(polled, 1);
                    long t1 = threads.getCurrentThreadAllocatedBytes();
                    ingress.receive(forward, 256);
                    long t2 = threads.getCurrentThreadAllocatedBytes();
                    egress.flush();
                    long t3 = threads.getCurrentThreadAllocatedBytes();
                    receiving += t2 - t1;
                    syscalls += (t1 - t0) + (t3 - t2);
                    iterations++;
                }
                if (round >= 20) {   // after the JIT has settled
                    perFrame += receiving;
                    perCall += syscalls;
                    loops += iterations;
                    kicks += ((AfXdpPort) egress).kicks - kicksBefore;
                    forwarded += ingress.stats().received() - roundStart;
                }
            }
            assertTrue(forwarded >= 9000, "forwarded " + forwarded);
            assertTrue(perFrame < 4096, "allocated " + perFrame + " bytes receiving and sending " + forwarded + " frames");
            // Per batch, not per frame: a poll, and a flush whose kicks (one per budget, more on EAGAIN) the JVM's
            // downcalls charge a few hundred bytes at most, however many frames the batch holds.
            assertTrue(perCall <= 1024L * (loops + kicks), "allocated " + perCall + " bytes in " + loops
                    + " batches (" + kicks + " kicks) of " + forwarded + " frames");
            // sendto once per batch of up to the transmit budget (again when EAGAIN ends a batch early), never per
            // frame; the budget is the whole ring where the kernel has XDP_MAX_TX_SKB_BUDGET (Linux 6.17)
            int budget = ((AfXdpPort) egress).transmitBudget();
            assertEquals(kernelAtLeast(6, 17) ? AfXdpPort.RING_SIZE : 32, budget, "the transmit budget");
            assertTrue(kicks > 0 && kicks <= 2 * (loops + forwarded / budget), kicks + " kicks in " + loops
                    + " batches of " + forwarded + " frames");
        } finally {
            for (PacketPort p : worker) p.close();
            client.close();
        }
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        int ma = Integer.parseInt(v[0]), mi = Integer.parseInt(v[1]);
        return ma > major || ma == major && mi >= minor;
    }
}
