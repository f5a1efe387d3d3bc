package io.jlvs.realserver;

import io.jlvs.platform.packetio.RawIpSocket;
import io.jlvs.platform.packetio.TunDevice;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decapsulates IP-in-IP in user space where the kernel has no ipip module: a raw socket for protocol 4 receives
 * each tunnelled packet whole, the inner IPv4 packet (ECN egress rule applied, {@link IpInIp#decapsulate}) is
 * written to a TUN device, and the kernel receives it as if it had arrived on that interface. Only inner packets
 * to the VIP pass, so the host does not become an open relay. One thread; allocation-free per packet.
 */
public final class UserSpaceDecapsulator implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserSpaceDecapsulator.class);
    private static final int POLL_MILLIS = 200;

    private final RawIpSocket socket;
    private final TunDevice tun;
    private final int vip;
    private static final int OUTER_HEADER = 20;
    /** Native memory: the system calls read and write it directly. */
    private final MemorySegment buffer = Arena.ofAuto().allocate(65536);
    /** Where the inner packet starts behind an outer header without options (always so for IPVS and jlvs). */
    private final MemorySegment afterOuterHeader = buffer.asSlice(OUTER_HEADER);
    private final FlowDescription outer = new FlowDescription();
    private final FlowDescription inner = new FlowDescription();
    private volatile boolean running = true;
    private Thread thread;
    public final LongAdder delivered = new LongAdder();
    public final LongAdder refused = new LongAdder();

    /** Opens the raw socket and the TUN device in the calling thread's network namespace. */
    public UserSpaceDecapsulator(String tunName, int vip) throws IOException {
        this.vip = vip;
        this.socket = RawIpSocket.open(RawIpSocket.IPPROTO_IPIP);
        try {
            this.tun = TunDevice.open(tunName);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                int n = socket.receive(buffer, POLL_MILLIS);
                if (n > 0) forward(n);
            }
        } catch (IOException e) {
            if (running) LOG.error("decapsulator stopped: {}", e.getMessage());
        }
    }

    private void forward(int length) {
        if (PacketParser.parseIp(buffer, 0, length, outer) != ParseStatus.OK || !IpInIp.isTunnel(outer)
                || IpInIp.decapsulate(buffer, outer, inner) != ParseStatus.OK
                || inner.ipVersion != 4 || inner.dstV4() != vip) {
            refused.increment();
            return;
        }
        MemorySegment packet = afterOuterHeader;
        if (inner.l3Offset != OUTER_HEADER) {
            MemorySegment.copy(buffer, inner.l3Offset, buffer, 0, inner.ipTotalLength); // outer options: rare
            packet = buffer;
        }
        if (tun.write(packet, inner.ipTotalLength)) delivered.increment();
        else refused.increment();
    }

    /** Starts decapsulating on a daemon thread of its own. */
    public synchronized void start() {
        if (thread == null) thread = Thread.ofPlatform().name("jlvs-decapsulator").daemon(true).start(this);
    }

    /** Stops the thread (it notices within one poll interval), then releases the socket and the TUN device. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5L * POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (thread == null || !thread.isAlive()) {
            socket.close();
            tun.close(); // the interface disappears with its last descriptor
        }
    }
}
