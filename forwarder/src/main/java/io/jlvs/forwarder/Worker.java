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

    public Worker(int index, DataPlane plane, PacketPort[] ports) {
        this.index = index;
        this.ports = new WorkerPorts(ports);
        this.pipeline = new PacketPipeline(plane, this.ports, drops, index);
    }

    @Override
    public void run() {
        PacketPort[] all = ports.all;
        long handled = 0;
        while (running) {
            Consumer<Worker> request;
            while ((request = inbox.poll()) != null) request.accept(this);
            int n = 0;
            long now = System.nanoTime();
            for (PacketPort port : all) {
                pipeline.beginBatch(port, now);
                n += port.receive(pipeline, BATCH);
            }
            pipeline.retryPending(now);
            for (PacketPort port : all) port.flush();
            if (n == 0) {
                frames = handled;
                Poller.await(all, pipeline.hasPending() ? 1 : IDLE_POLL_MILLIS);
            } else {
                handled += n;
            }
        }
        frames = handled;
    }

    /** Sends a gratuitous ARP for the VIP on every port (runs on the worker thread). */
    public void announce(int vip) {
        inbox.add(w -> {
            for (PacketPort p : w.ports.all) w.pipeline.responder().announce(p, vip);
        });
    }

    public void stop() { running = false; }

    public int index() { return index; }

    public DropCounters drops() { return drops; }

    public long frames() { return frames; }

    public PacketPort[] ports() { return ports.all; }
}
