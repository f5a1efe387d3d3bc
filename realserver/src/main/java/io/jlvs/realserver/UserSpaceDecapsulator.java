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
 * written to a TUN device, and the kernel receives it as if it had arrived on that interface. For an IPv6 VIP
 * ({@link #forIpv6}) the same for IPv6-in-IPv6 where the kernel has no ip6_tunnel module: a raw IPv6 socket for
 * next header 41 receives the inner packet without the outer header. Only inner packets to the VIP pass, so the
 * host does not become an open relay. One thread; allocation-free per packet.
 */
public final class UserSpaceDecapsulator implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserSpaceDecapsulator.class);
    private static final int POLL_MILLIS = 200;

    private final RawIpSocket socket;
    private final TunDevice tun;
    private final int vip;
    /** The IPv6 VIP's halves, for an IPv6-in-IPv6 decapsulator (ipv6 true). */
    private final boolean ipv6;
    private final long vipHi, vipLo;
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
        this(tunName, RawIpSocket.open(RawIpSocket.IPPROTO_IPIP), vip, false, 0, 0);
    }

    /** An IPv6-in-IPv6 decapsulator for the IPv6 VIP [vipHi vipLo], in the calling thread's namespace. */
    public static UserSpaceDecapsulator forIpv6(String tunName, long vipHi, long vipLo) throws IOException {
        return new UserSpaceDecapsulator(tunName, RawIpSocket.openIpv6(RawIpSocket.IPPROTO_IPV6), 0, true, vipHi,
                vipLo);
    }

    private UserSpaceDecapsulator(String tunName, RawIpSocket socket, int vip, boolean ipv6, long vipHi, long vipLo)
            throws IOException {
        this.vip = vip;
        this.ipv6 = ipv6;
        this.vipHi = vipHi;
        this.vipLo = vipLo;
        this.socket = socket;
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
        if (ipv6) {
            forwardIpv6(length);
            return;
        }
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

    /** The raw IPv6 socket hands over the inner packet alone: checked, then written as it is. */
    private void forwardIpv6(int length) {
        if (PacketParser.parseIp(buffer, 0, length, inner) != ParseStatus.OK || inner.ipVersion != 6
                || inner.dstHi != vipHi || inner.dstLo != vipLo) {
            refused.increment();
            return;
        }
        if (tun.write(buffer, inner.ipTotalLength)) delivered.increment();
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
