package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.Poller;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A forwarding thread: owns one port per interface (all joined to the interfaces' fanout groups), receives in
 * batches, forwards, and flushes every port once per round. Idle: waits in poll(2). Control-plane requests
 * that must touch the ports (gratuitous ARP) arrive through an inbox, so each port keeps a single writer.
 */
public final class Worker implements Runnable {
    private static final int BATCH = 256;
    private static final int IDLE_POLL_MILLIS = 20;

    private final int index;
    private final WorkerPorts ports;
    private final PacketPipeline pipeline;
    private final DropCounters drops = new DropCounters();
    private final ConcurrentLinkedQueue<Consumer<Worker>> inbox = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile long frames;
    /** Frames received so far; published to {@link #frames} when the worker idles. */
    private long handled;

    public Worker(int index, DataPlane plane, PacketPort[] ports) {
        this.index = index;
        this.ports = new WorkerPorts(ports);
        this.pipeline = new PacketPipeline(plane, this.ports, drops, index);
    }

    @Override
    public void run() {
        PacketPort[] all = ports.all;
        while (running) {
            if (pass() == 0) {
                frames = handled;
                Poller.await(all, pipeline.hasPending() ? 1 : IDLE_POLL_MILLIS);
            }
        }
        frames = handled;
    }

    /**
     * One round: the inbox, a batch from every port, the frames waiting for a next hop, a flush of every port.
     * A method of its own, so that the JIT compiles it from its calls (and the warm-up's): the loop in
     * {@link #run} is one call that never returns, which only on-stack replacement could compile, after
     * thousands of rounds of real traffic.
     *
     * @return the frames received
     */
    int pass() {
        Consumer<Worker> request;
        while ((request = inbox.poll()) != null) request.accept(this);
        int n = 0;
        long now = System.nanoTime();
        for (PacketPort port : ports.all) {
            pipeline.beginBatch(port, now);
            n += port.receive(pipeline, BATCH);
        }
        pipeline.retryPending(now);
        for (PacketPort port : ports.all) port.flush();
        handled += n;
        return n;
    }

    /** Sends a gratuitous ARP for the VIP on every port (runs on the worker thread). */
    public void announce(int vip) {
        inbox.add(w -> {
            for (PacketPort p : w.ports.all) w.pipeline.responder().announce(p, vip);
        });
    }

    /** Announces an IPv6 VIP on every port of this worker (unsolicited neighbour advertisement). */
    public void announceIpv6(long vipHi, long vipLo) {
        inbox.add(w -> {
            for (PacketPort p : w.ports.all) w.pipeline.ipv6Responder().announce(p, vipHi, vipLo);
        });
    }

    public void stop() { running = false; }

    public int index() { return index; }

    public DropCounters drops() { return drops; }

    public long frames() { return frames; }

    public PacketPort[] ports() { return ports.all; }
}
