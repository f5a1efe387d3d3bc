package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.TcpState;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpInIp;
import io.jlvs.packets.Ipv4;
import io.jlvs.platform.net.Ipv6NextHopLookup;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.platform.packetio.PacketPort;

/**
 * Decides, after the Java path (IPv4's {@link PacketPipeline} or {@link Ipv6Path}) forwarded a packet, whether its
 * connection enters or leaves the XDP fast path (--fast-path xdp): NAT, DR and TUN connections, NAT66 and IPv6 DR
 * ones (IPv6-in-IPv6 stays on the Java path). A TCP connection enters once established and leaves at any other
 * state (the FIN or RST that moved it reached Java: the program never forwards those); a UDP connection enters at
 * its client's second datagram (a flow, not a one-off; the next hop toward the client was asked for at the first)
 * or, NAT, at its server's first reply. Not a FullNAT connection, nor one the SYN proxy splices, nor one whose
 * segment had a partial checksum (the kernel would forward its successors as they are), nor before the next hops
 * are resolved (a later packet retries), nor before the Java path forwarded the packets {@link FastPathPromotion}
 * asks for (--fast-path-after). One per worker; allocation-free.
 */
final class FastPathHook {
    private final DataPlane plane;
    private final NextHopLookup nextHops;
    private final WorkerPorts ports;

    FastPathHook(DataPlane plane, WorkerPorts ports) {
        this.plane = plane;
        this.nextHops = plane.nextHops();
        this.ports = ports;
        plane.knowPorts(ports);
    }

    /**
     * The longest IP packet an entry toward {@code hop} through {@code port} lets the kernel forward, as the Java
     * path checks it now: the port's MTU; TUN ({@code tunnel}), the tunnel's (the path's MTU, a learnt one included,
     * less the outer header). An entry whose MTU is no longer this is taken back ({@link FastPathCounters}).
     */
    static int entryMtu(boolean tunnel, NextHop hop, PacketPort port, RuntimeDest dest, long now) {
        if (!tunnel) return port.mtu();
        return Egress.pathMtu(hop, port, dest.tunnelPathMtu.get(now)) - IpInIp.IPV4_OVERHEAD;
    }

    /** After a client's packet of {@code conn} was forwarded; {@code state} is what the packet left it in. */
    void afterInbound(long conn, ConnectionView entry, int state, boolean created, boolean partial) {
        FlowMirror mirror = plane.fastPath();
        if (mirror == null) return;
        boolean due = plane.fastPathPromotion().counted(conn, created);
        if (entry.protocol() == Ipv4.PROTO_TCP) {
            consider(mirror, conn, entry, state == TcpState.ESTABLISHED, due, partial);
        } else if (!created) {
            consider(mirror, conn, entry, true, due, partial);
        }
    }

    /** After a server's reply of a NAT connection was forwarded. */
    void afterOutbound(long conn, ConnectionView entry, int state, boolean partial) {
        FlowMirror mirror = plane.fastPath();
        if (mirror == null) return;
        boolean due = plane.fastPathPromotion().counted(conn, false);
        consider(mirror, conn, entry, entry.protocol() != Ipv4.PROTO_TCP || state == TcpState.ESTABLISHED, due,
                partial);
    }

    /**
     * {@code eligible}: the connection's state lets the kernel forward it (false takes a mirrored one back);
     * {@code due}: it has shown the packets {@link FastPathPromotion} asks for before it enters.
     */
    private void consider(FlowMirror mirror, long conn, ConnectionView entry, boolean eligible, boolean due,
                          boolean partial) {
        boolean mirrored = mirror.maybeMirrored(conn);
        if (!eligible) {
            if (mirrored) mirror.unmirror(conn);
            return;
        }
        int method = ConnFlags.method(entry);
        if (mirrored || !due || partial || ConnFlags.spliced(entry)
                || method != ConnFlags.MASQ && method != ConnFlags.ROUTE && method != ConnFlags.TUNNEL) {
            return;
        }
        RuntimeDest dest = plane.dest(entry.destId());
        if (dest == null || dest.removed) return;
        if (!FlowDescription.isV4Mapped(entry.virtualHi(), entry.virtualLo())) {
            considerIpv6(mirror, conn, entry, method);
            return;
        }
        // Each entry carries its egress link's MTU, as the Java path checks it (entryMtu); longer packets go to Java.
        int real = (int) entry.realLo(), client = (int) entry.clientLo(), vip = (int) entry.virtualLo();
        NextHop toReal = nextHops.lookup(real);
        PacketPort realPort = port(toReal);
        if (realPort == null) return;
        if (method == ConnFlags.MASQ) {
            NextHop toClient = nextHops.lookup(client);
            PacketPort clientPort = port(toClient);
            if (clientPort == null) return;
            mirror.mirrorNat(conn, entry.destId(), entry.protocol(), client, entry.clientPort(), vip,
                    entry.virtualPort(), real, entry.realPort(), toReal.dstMac(), realPort.mac(), toReal.ifIndex(),
                    entryMtu(false, toReal, realPort, dest, 0), toClient.dstMac(), clientPort.mac(),
                    toClient.ifIndex(), entryMtu(false, toClient, clientPort, dest, 0));
        } else if (method == ConnFlags.ROUTE && toReal.directlyConnected()) {
            mirror.mirrorDirect(conn, entry.destId(), entry.protocol(), client, entry.clientPort(), vip,
                    entry.virtualPort(), toReal.dstMac(), realPort.mac(), toReal.ifIndex(),
                    entryMtu(false, toReal, realPort, dest, 0));
        } else if (method == ConnFlags.TUNNEL) {
            // The tunnel's MTU as TunnelTransmitter takes it when the connection enters; longer packets go to Java.
            mirror.mirrorTunnel(conn, entry.destId(), entry.protocol(), client, entry.clientPort(), vip,
                    entry.virtualPort(), toReal.sourceV4(), real,
                    entryMtu(true, toReal, realPort, dest, System.nanoTime()), toReal.dstMac(), realPort.mac(),
                    toReal.ifIndex());
        }
    }

    /**
     * An IPv6 connection: NAT66 both ways, DR when the server is on a connected network; each entry carries its
     * egress link's MTU, above which the program leaves packets to Java (Packet Too Big).
     */
    private void considerIpv6(FlowMirror mirror, long conn, ConnectionView entry, int method) {
        if (method != ConnFlags.MASQ && method != ConnFlags.ROUTE) return;
        Ipv6NextHopLookup hops = plane.ipv6NextHops();
        NextHop toReal = hops.lookup(entry.realHi(), entry.realLo());
        PacketPort realPort = port(toReal);
        if (realPort == null) return;
        if (method == ConnFlags.MASQ) {
            NextHop toClient = hops.lookup(entry.clientHi(), entry.clientLo());
            PacketPort clientPort = port(toClient);
            if (clientPort == null) return;
            mirror.mirrorNat6(conn, entry.destId(), entry.protocol(), entry.clientHi(), entry.clientLo(),
                    entry.clientPort(), entry.virtualHi(), entry.virtualLo(), entry.virtualPort(), entry.realHi(),
                    entry.realLo(), entry.realPort(), toReal.dstMac(), realPort.mac(), toReal.ifIndex(),
                    realPort.mtu(), toClient.dstMac(), clientPort.mac(), toClient.ifIndex(), clientPort.mtu());
        } else if (toReal.directlyConnected()) {
            mirror.mirrorDirect6(conn, entry.destId(), entry.protocol(), entry.clientHi(), entry.clientLo(),
                    entry.clientPort(), entry.virtualHi(), entry.virtualLo(), entry.virtualPort(), toReal.dstMac(),
                    realPort.mac(), toReal.ifIndex(), realPort.mtu());
        }
    }

    /** The worker's port toward a resolved hop, or null. */
    private PacketPort port(NextHop hop) {
        return Egress.unresolved(hop) ? null : ports.byIfIndex(hop.ifIndex());
    }
}
