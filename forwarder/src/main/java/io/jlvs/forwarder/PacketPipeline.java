package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.platform.packetio.FrameHandler;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import io.jlvs.packets.Tcp;
import io.jlvs.schedulers.Destination;

import java.lang.foreign.MemorySegment;

/**
 * One worker's per-frame path: parse once into a reusable {@link FlowDescription}, answer ARP and ping for VIPs,
 * then find or create the connection and hand the frame to the transmit function its forwarding method binds
 * ({@link NatTransmitter}, {@link DirectRouteTransmitter}, {@link TunnelTransmitter}).
 * The connection entry is read once per packet, into {@link #entry}, and everything after the lookup uses that
 * copy. Single-threaded (one instance per worker); allocation-free after warm-up.
 */
final class PacketPipeline implements FrameHandler {
    private static final int TCP = Ipv4.PROTO_TCP, UDP = Ipv4.PROTO_UDP, ICMP = Ipv4.PROTO_ICMP;
    private static final int SYN = Tcp.SYN, ACK = Tcp.ACK, RST = Tcp.RST;

    private final FlowDescription flow = new FlowDescription();
    /** The key of the current packet's connection, refilled for every lookup and create. */
    private final ConnectionParam key = new ConnectionParam();
    /** The current packet's connection entry as the lookup (or create) read it; invalid when there is none. */
    private final ConnectionView entry = new ConnectionView();
    private final int worker;
    private final DataPlane plane;
    private final ConnectionTable conns;
    /** This worker's ring of the change feed: connections worth sending to a backup director. */
    private final ChangeRing changes;
    private final NextHopLookup nextHops;
    private final DropCounters drops;
    private final VipResponder responder;
    private final Egress egress;
    private final DirectRouteTransmitter directRoute;
    private final TunnelTransmitter tunnel;
    private final TunnelIcmpErrors tunnelIcmpErrors;
    private final NatIcmpSender natIcmp;
    private final NatTransmitter nat;
    private final SynProxy synProxy;
    /** The segments of connections the SYN proxy opened, both families. */
    private final SynProxySegments proxied;
    private final Ipv6Path ipv6;
    private final FullNatTransmitter fullNat;
    private final FullNatIcmpErrors fullNatIcmp;
    /** Frames waiting for their next hop to resolve. */
    private final PendingFrames pending = new PendingFrames();
    /** A new flow's server (drop_packet, --pe sip's Call-ID, the scheduler). */
    private final ServerChoice serverChoice;
    /** The connection an ICMP error's quoted packet belongs to, read into {@link #entry}. */
    private final QuotedConnection quoted;
    private PacketPort rxPort;
    private long now;
    /** The current frame's status bits, for a segment held whole (HeldSegments). */
    private int frameStatus;
    private final HeldSegments held = new HeldSegments();
    /** Later fragments get their datagram's ports from it; those that come before their first wait there. */
    private final FragmentTracker fragments;
    /** Which connections enter and leave the XDP fast path. */
    private final FastPathHook fastPath;

    PacketPipeline(DataPlane plane, WorkerPorts ports, DropCounters drops) {
        this(plane, ports, drops, 0);
    }

    /** @param worker this worker's number, 0..TrafficCounters.MAX_WORKERS-1: its own line in every counter */
    PacketPipeline(DataPlane plane, WorkerPorts ports, DropCounters drops, int worker) {
        this.worker = worker;
        this.plane = plane;
        this.conns = plane.connections();
        this.changes = plane.changes().ring(worker);
        this.nextHops = plane.nextHops();
        this.drops = drops;
        this.serverChoice = new ServerChoice(plane, flow, drops);
        this.quoted = new QuotedConnection(flow, conns, key, entry, drops);
        this.responder = new VipResponder(drops);
        this.egress = new Egress(ports, drops);
        this.directRoute = new DirectRouteTransmitter(nextHops, egress, drops);
        this.tunnel = new TunnelTransmitter(nextHops, egress, drops, plane.knobs());
        this.tunnelIcmpErrors = new TunnelIcmpErrors(plane, egress, drops);
        this.natIcmp = new NatIcmpSender(nextHops, drops);
        this.nat = new NatTransmitter(flow, nextHops, egress, pending, drops);
        this.synProxy = new SynProxy(plane.synCookies(), nextHops, plane::ipv6NextHops, egress, drops);
        this.fragments = new FragmentTracker(drops);
        this.proxied = new SynProxySegments(plane, changes, flow, synProxy, held, fragments, drops);
        // One scratch buffer for both paths.
        ProxyHeaderInsertion proxyHeader = new ProxyHeaderInsertion(drops);
        this.fastPath = new FastPathHook(plane, ports);
        this.ipv6 = new Ipv6Path(plane, flow, egress, pending, proxyHeader, drops, worker, fragments, synProxy,
                proxied, fastPath);
        this.fullNat = new FullNatTransmitter(plane, flow, entry, nat, proxyHeader, drops, worker, changes);
        this.fullNatIcmp = new FullNatIcmpErrors(plane, flow, entry, quoted, nat, drops);
    }

    VipResponder responder() { return responder; }

    NeighbourResponder ipv6Responder() { return ipv6.responder(); }

    /** True while frames wait for a next hop: the worker then polls briefly instead of idling. */
    boolean hasPending() { return !pending.isEmpty() || !held.isEmpty() || fragments.hasReleasable(); }

    /**
     * Sends parked frames whose next hop has resolved since, held segments whose connection is spliced since, and
     * held fragments whose first fragment has passed since; drops fragments held too long.
     */
    void retryPending(long nowNanos) {
        if (!pending.isEmpty()) pending.retry(nextHops, plane.ipv6NextHops(), egress, drops, nowNanos);
        if (!held.isEmpty()) held.release(this, plane.synProxyStates(), conns, drops, nowNanos);
        if (fragments.datagrams() > 0) fragments.release(this, nowNanos);
    }

    FragmentTracker fragments() { return fragments; }

    /** Called before each batch from one port. */
    void beginBatch(PacketPort port, long nowNanos) {
        this.rxPort = port;
        this.now = nowNanos;
    }

    @Override
    public void onFrame(MemorySegment seg, long offset, int length, int status) {
        frameStatus = status;
        if (PacketParser.parse(seg, offset, length, flow) != ParseStatus.OK) {
            drops.count(DropReason.MALFORMED);
            return;
        }
        ServiceIndex services = plane.services();
        if (flow.etherType == Ethernet.TYPE_ARP) {
            responder.onArp(seg, flow, rxPort, services);
            return;
        }
        // A checksum the kernel left partial, or one a backend cannot vouch for, is recomputed in full: an
        // incremental update of a partial sum would be wrong. Never in a fragment: the kernel completes the
        // checksum before it fragments, and it covers the whole datagram, which no fragment holds.
        boolean partial = (status & (PacketPort.CSUM_PARTIAL | PacketPort.CSUM_UNKNOWN)) != 0 && !flow.fragment;
        if (flow.ipVersion == 6) {
            ipv6.onFrame(seg, offset, length, partial, rxPort, now);
            return;
        }
        if (flow.ipVersion != 4) {
            drops.count(DropReason.UNSUPPORTED);
            return;
        }
        if (flow.fragment && (flow.protocol == TCP || flow.protocol == UDP)
                && !fragments.admit(seg, offset, length, flow, status, rxPort, now)) {
            return; // held until its first fragment comes, or dropped
        }
        int dst = flow.dstV4();
        if (services.isLocalAddress(dst) && (flow.protocol != ICMP || flow.icmpError)) { // ping: as for a VIP
            if (flow.protocol == ICMP) fullNatIcmp.fromServerSide(seg, offset, length, services, partial, now);
            else fullNat.fromRealServer(seg, offset, length, services, partial, now);
            return;
        }
        if (services.isVip(dst) || routedToMarkRule(services, dst)) {
            if (services.isStandby(dst)) {
                drops.count(DropReason.STANDBY);
                return;
            }
            inbound(seg, offset, length, services, partial);
        } else {
            outbound(seg, offset, length, services, partial);
        }
    }

    // ---------------------------------------------------------------- client -> VIP

    private void inbound(MemorySegment seg, long offset, int length, ServiceIndex services, boolean partial) {
        int proto = flow.protocol;
        if (proto == ICMP) {
            if (flow.icmpError) {
                if (aboutKernelPort(services)) {
                    drops.count(DropReason.KERNEL_PORT);
                } else {
                    inboundIcmpError(seg, offset, length, partial);
                }
            } else {
                responder.onIcmpToVip(seg, flow, rxPort);
            }
            return;
        }
        if (proto != TCP && proto != UDP) {
            drops.count(DropReason.UNSUPPORTED);
            return;
        }
        if (proto == TCP && services.isKernelPort(flow.dstV4(), flow.dstPort)) {
            // A layer-7 listener's: the kernel has its own copy (the socket filter usually keeps this one out).
            drops.count(DropReason.KERNEL_PORT);
            return;
        }
        key.protocol(proto).client(flow.srcHi, flow.srcLo, flow.srcPort).virtual(flow.dstHi, flow.dstLo, flow.dstPort);
        long conn = conns.lookup(key, ConnectionTable.DIR_INPUT, entry);
        boolean reused = conn >= 0 && proto == TCP
                && ((flow.tcpFlags & SYN) != 0 ? reusedTuple() : reusedBehindKernelSyn(services, seg));
        if (reused) {
            conns.removeNow(conn);
            conn = -1;
        }
        boolean created = conn < 0;
        if (created) {
            if (!flow.firstFragment) { // only a first fragment, which holds the ports, may open a connection
                laterFragmentWithoutConnection(seg, offset, length, partial);
                return;
            }
            conn = newConnection(seg, offset, length, services, proto, partial);
            if (conn < 0) return; // dropped, or a one-packet service forwarded it without a connection
        }
        // From here on the entry is the connection's copy, valid as a whole (lookup or create filled it).
        RuntimeDest dest = plane.dest(entry.destId());
        if (dest == null || dest.removed) {
            // IPVS drops packets of connections whose server was deleted; with expire_nodest_conn the
            // housekeeping thread removes those connections (IpvsRuntime.releaseDrained).
            drops.count(DropReason.NO_SERVER);
            return;
        }
        if (ConnFlags.spliced(entry)
                && !proxied.towardServer(conn, entry, seg, offset, length, frameStatus, partial, rxPort, now)) {
            return;
        }
        int method = ConnFlags.method(entry);
        boolean masq = method == ConnFlags.MASQ || method == ConnFlags.FULLNAT;
        // A datagram counts once for the connection's state and timeout: by its first fragment (later ones have no
        // TCP flags, and no effect on the fast path).
        boolean whole = flow.firstFragment;
        int state = whole ? conns.onPacket(conn, masq ? ConnectionTable.DIR_INPUT : ConnectionTable.DIR_INPUT_ONLY,
                flow.tcpFlags, now, changes) : 0;
        dest.counters.inbound(worker, length);
        dest.service.counters.inbound(worker, length);
        if (method == ConnFlags.FULLNAT) {
            fullNat.toRealServer(seg, offset, length, conn, partial, now);
        } else if (masq) {
            if (proto == TCP && (flow.tcpFlags & (SYN | RST)) == SYN) dest.counters.synForwarded(worker);
            nat.toRealServer(seg, offset, length, (int) entry.realLo(), entry.realPort(), partial, now);
        } else {
            transmitInputOnly(seg, offset, length, method, (int) entry.realLo(), dest, partial);
        }
        if (whole) fastPath.afterInbound(conn, entry, state, created, partial);
    }

    /** DR and TUN: the packet itself goes on unchanged (but for the TTL); the server answers the client directly. */
    private void transmitInputOnly(MemorySegment seg, long offset, int length, int method, int real, RuntimeDest dest,
                                   boolean partial) {
        switch (method) {
            case ConnFlags.ROUTE -> directRoute.transmit(seg, offset, length, flow, real, partial);
            case ConnFlags.TUNNEL -> tunnel.transmit(seg, offset, flow, real, partial, rxPort,
                    dest == null ? Integer.MAX_VALUE : dest.tunnelPathMtu.get(now));
            default -> drops.count(DropReason.UNSUPPORTED);
        }
    }

    /**
     * Schedules a new flow and creates its connection. Returns the connection, its entry in {@link #entry}, or -1
     * when the packet was dropped (counted) or, for a one-packet service, already forwarded without one.
     */
    private long newConnection(MemorySegment seg, long offset, int length, ServiceIndex services, int proto,
                               boolean partial) {
        RuntimeService service = services.lookup(proto, flow.dstV4(), flow.dstPort);
        if (service == null) service = services.lookupMarked(proto, flow.dstV4(), flow.dstPort);
        if (service == null) {
            drops.count(DropReason.NO_SERVICE);
            return -1;
        }
        int mssIndex = -1;
        if (service.synproxy && proto == TCP) {
            // The SYN proxy: a SYN is answered with a cookie and creates nothing; only an ACK that returns a valid
            // cookie opens a connection.
            mssIndex = synProxy.admit(seg, flow, rxPort);
            if (mssIndex < 0) return -1;
        } else if (proto == TCP && ((flow.tcpFlags & RST) != 0
                || (flow.tcpFlags & SYN) == 0 && !service.sloppyTcp && !plane.knobs().sloppyTcp())) {
            // IPVS schedules a TCP connection only on a SYN, with sloppy_tcp (or the service's --sloppy-tcp) on any
            // segment; never on a RST.
            drops.count(DropReason.NOT_SYN);
            return -1;
        }
        RuntimeDest dest = serverChoice.choose(service, proto, seg, offset, length, now);
        if (dest == null) return -1;
        Destination server = dest.server;
        if (service.onePacket && proto == UDP) {
            forwardOnePacket(seg, offset, length, service, dest, partial);
            return -1;
        }
        boolean proxied = mssIndex >= 0;
        ForwardMethod method = dest.method; // read once: the binding and the local port follow the same method
        if (proxied && method != ForwardMethod.MASQ) {
            drops.count(DropReason.UNSUPPORTED); // the server's replies must pass the director to be spliced
            return -1;
        }
        key.protocol(proto).client(flow.srcHi, flow.srcLo, flow.srcPort).virtual(flow.dstHi, flow.dstLo, flow.dstPort)
                .real(server.addrHi(), server.addrLo(), rport(dest))
                .binding(service.id, server.id(), ConnFlags.of(method) | (proxied ? ConnFlags.SPLICED : 0))
                .fwmark(service.key.fwmark());
        boolean fullNatFlow = method == ForwardMethod.FULLNAT;
        if (fullNatFlow && !fullNat.reserve(service, dest, proto, rport(dest), now)) return -1;
        long conn = conns.create(key, now, entry, changes);
        if (fullNatFlow) {
            if (conn >= 0) fullNat.opened(conn, proto, dest, seg);
            else fullNat.abandon();
        }
        if (conn < 0) {
            // Full, or another worker created the same connection a moment ago.
            conn = conns.lookup(key, ConnectionTable.DIR_INPUT, entry);
            if (conn < 0) drops.count(DropReason.TABLE_FULL);
            return conn;
        }
        dest.counters.connection(worker);
        service.counters.connection(worker);
        // Start resolving the client's next hop now, so the first reply (NAT), or an ICMP error about a tunnel
        // packet that must reach the client (TUN), does not find it missing.
        if (dest.method != ForwardMethod.ROUTE) nextHops.lookup(flow.srcV4());
        if (proxied) {
            // The client's ACK ends its handshake with the director; the server's handshake starts now.
            conns.onPacket(conn, ConnectionTable.DIR_INPUT, SYN, now, changes);
            synProxy.open(plane.synProxyStates(), (int) conn, seg, flow, mssIndex, (int) entry.realLo(),
                    entry.realPort());
            if (flow.fragment) fragments.refuseLaterFragments(); // the ACK goes no further, nor its datagram
            return -1;
        }
        return conn;
    }


    /**
     * -o (IPVS's IP_VS_CONN_F_ONE_PACKET): the packet is counted as a connection of its own and forwarded, and no
     * entry is made, so the next packet of the same flow is scheduled afresh. NAT replies find no connection; they
     * are rewritten from the service instead (see {@link #outbound}).
     */
    private void forwardOnePacket(MemorySegment seg, long offset, int length, RuntimeService service, RuntimeDest dest,
                                  boolean partial) {
        dest.counters.connection(worker);
        service.counters.connection(worker);
        if (flow.fragment) fragments.rememberServer(dest.server.id()); // the later fragments follow it
        sendOnePacket(seg, offset, length, dest, partial);
    }

    /**
     * A later fragment whose datagram has no connection: one of a -o datagram follows its first fragment to the
     * server that took it; any other is dropped and counted (its first fragment was).
     */
    private void laterFragmentWithoutConnection(MemorySegment seg, long offset, int length, boolean partial) {
        int destId = fragments.rememberedServer();
        RuntimeDest dest = destId < 0 ? null : plane.dest(destId);
        if (dest == null || dest.removed) {
            drops.count(DropReason.FRAGMENT);
            return;
        }
        sendOnePacket(seg, offset, length, dest, partial);
    }

    /** -o: forwards the packet to {@code dest} by its method, without a connection. */
    private void sendOnePacket(MemorySegment seg, long offset, int length, RuntimeDest dest, boolean partial) {
        RuntimeService service = dest.service;
        dest.counters.inbound(worker, length);
        service.counters.inbound(worker, length);
        int real = dest.addressV4();
        if (dest.method == ForwardMethod.MASQ) {
            nat.toRealServer(seg, offset, length, real, rport(dest), partial, now);
        } else {
            transmitInputOnly(seg, offset, length, ConnFlags.of(dest.method), real, dest, partial);
        }
    }

    /**
     * A destination inside a mark rule wider than /32 is routed to the director; it is inbound unless it is the
     * NAT reply of a known connection to a client that happens to sit inside the prefix.
     */
    private boolean routedToMarkRule(ServiceIndex services, int dst) {
        if (!services.coveredByRoutedMarkRule(dst)) return false;
        if (flow.protocol != TCP && flow.protocol != UDP) return true;
        key.protocol(flow.protocol).real(flow.srcHi, flow.srcLo, flow.srcPort)
                .client(flow.dstHi, flow.dstLo, flow.dstPort);
        return conns.lookup(key, ConnectionTable.DIR_OUTPUT) < 0;
    }

    /**
     * conn_reuse_mode: a SYN on the tuple of a closing connection (the one in {@link #entry}) starts a new one
     * (see ConnectionReuse).
     */
    private boolean reusedTuple() {
        Knobs knobs = plane.knobs();
        RuntimeDest dest = plane.dest(entry.destId());
        int weight = dest == null ? 0 : dest.server.weight();
        boolean inputOnly = ConnFlags.method(entry) != ConnFlags.MASQ;
        return ConnectionReuse.reschedules(knobs.connReuseMode(), knobs.expireNodestConn(), entry.state(), inputOnly,
                weight);
    }

    /**
     * A client that reused its port toward a --synproxy service whose SYNs the XDP fast path answers: the SYN that
     * would have expired the closing entry (conn_reuse_mode) never came here, so its ACK returning a valid cookie
     * does. Asked for segments without SYN that found a connection; the cookie is checked only for a closing one.
     */
    private boolean reusedBehindKernelSyn(ServiceIndex services, MemorySegment seg) {
        if ((flow.tcpFlags & (SYN | ACK | RST | Tcp.FIN)) != ACK || !ConnFlags.spliced(entry) || plane.xdpSynProxy() == null
                || !reusedTuple()) {
            return false;
        }
        RuntimeService service = services.lookup(TCP, flow.dstV4(), flow.dstPort);
        return service != null && service.synproxy && synProxy.returnsCookie(seg, flow, System.currentTimeMillis());
    }

    private int rport(RuntimeDest dest) {
        // DR and TUN cannot change the port: IPVS forces the real port to the virtual one.
        int port = dest.server.port();
        boolean translated = dest.method == ForwardMethod.MASQ || dest.method == ForwardMethod.FULLNAT;
        return port == 0 || !translated ? flow.dstPort : port;
    }

    /** Whether the ICMP error to a VIP quotes a segment the kernel sent from one of its ports there (it has its copy). */
    private boolean aboutKernelPort(ServiceIndex services) {
        return flow.innerProtocol == TCP && services.isKernelPort((int) flow.innerSrcLo, flow.innerSrcPort);
    }

    private void inboundIcmpError(MemorySegment seg, long offset, int length, boolean partial) {
        // The quoted packet is one we sent to the client: VIP:vport -> client:cport.
        long conn = quoted.find(true);
        if (conn < 0) return;
        int method = ConnFlags.method(entry);
        if (method == ConnFlags.FULLNAT) {
            fullNatIcmp.fromClientSide(seg, offset, length, conn, partial, now);
            return;
        }
        if (method != ConnFlags.MASQ) {
            // DR/TUN: the error goes to the server as it is
            transmitInputOnly(seg, offset, length, method, (int) entry.realLo(), plane.dest(entry.destId()), false);
            return;
        }
        nat.icmpErrorToRealServer(seg, offset, length, (int) entry.realLo(), entry.realPort(), partial, now);
    }

    // ---------------------------------------------------------------- real server -> client (NAT replies)

    private void outbound(MemorySegment seg, long offset, int length, ServiceIndex services, boolean partial) {
        int proto = flow.protocol;
        if (proto == ICMP) {
            if (flow.icmpError) outboundIcmpError(seg, offset, length, partial);
            else drops.count(DropReason.NOT_HANDLED);
            return;
        }
        if (proto != TCP && proto != UDP) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        key.protocol(proto).real(flow.srcHi, flow.srcLo, flow.srcPort).client(flow.dstHi, flow.dstLo, flow.dstPort);
        long conn = conns.lookup(key, ConnectionTable.DIR_OUTPUT, entry);
        if (conn < 0) {
            RuntimeDest oneShot = proto == UDP ? services.onePacketNatServer(flow.srcV4(), flow.srcPort) : null;
            if (oneShot != null) {
                onePacketReply(seg, offset, length, oneShot, partial);
            } else if (flow.firstFragment && plane.knobs().natIcmpSend() && !(proto == TCP && (flow.tcpFlags & RST) != 0)
                    && services.isNatRealServer(proto, flow.srcV4(), flow.srcPort)) {
                natIcmp.sendPortUnreachable(seg, offset, flow, rxPort);
            } else {
                drops.count(DropReason.NOT_HANDLED);
            }
            return;
        }
        if (services.isStandby((int) entry.virtualLo())) {
            drops.count(DropReason.STANDBY);
            return;
        }
        if (ConnFlags.spliced(entry) && !proxied.towardClient(conn, entry, seg, partial, now)) return;
        boolean whole = flow.firstFragment;
        int state = whole ? conns.onPacket(conn, ConnectionTable.DIR_OUTPUT, flow.tcpFlags, now, changes) : 0;
        RuntimeDest.countReply(plane.dest(entry.destId()), worker, length);
        nat.replyToClient(seg, offset, length, (int) entry.virtualLo(), entry.virtualPort(), partial, now);
        if (whole && ConnFlags.method(entry) == ConnFlags.MASQ) fastPath.afterOutbound(conn, entry, state, partial);
    }

    /**
     * The reply of a NAT real server of a one-packet service: no connection holds the virtual address, so the
     * service does (IPVS lets such replies leave un-NATed; the index gives a server endpoint to at most one
     * one-packet service, so the rewrite is never a guess).
     */
    private void onePacketReply(MemorySegment seg, long offset, int length, RuntimeDest dest, boolean partial) {
        dest.counters.outbound(worker, length);
        dest.service.counters.outbound(worker, length);
        int vport = dest.service.key.port();
        nat.replyToClient(seg, offset, length, (int) dest.service.key.addrLo(), vport != 0 ? vport : flow.srcPort,
                partial, now);
    }

    private void outboundIcmpError(MemorySegment seg, long offset, int length, boolean partial) {
        if (flow.innerProtocol == TunnelIcmpErrors.IPIP) { // about one of our tunnel packets (TUN)
            tunnelIcmpErrors.onError(seg, offset, flow, now);
            return;
        }
        // The quoted packet is one we sent to the real server: client:cport -> real:rport.
        if (quoted.find(false) < 0) return;
        nat.icmpErrorToClient(seg, offset, length, (int) entry.realLo(), (int) entry.virtualLo(), entry.virtualPort(),
                partial, now);
    }
}
