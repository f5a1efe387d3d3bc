package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Ipv6;
import io.jlvs.packets.Nat66Rewrite;
import io.jlvs.packets.NatRewrite;
import io.jlvs.packets.NeighbourDiscovery;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.schedulers.Destination;

import java.lang.foreign.MemorySegment;

/**
 * One worker's path for IPv6 frames, to which {@link PacketPipeline} hands every frame its parse found IPv6:
 * Neighbour Discovery and echo for the IPv6 VIPs ({@link NeighbourResponder}), then TCP and UDP to a VIP found or
 * scheduled in the connection table (128-bit keys), forwarded by the connection's method: NAT66 (destination
 * rewritten, {@link Nat66Rewrite}), FullNAT (source and destination rewritten, {@link Fullnat6Transmitter}; its
 * replies come to the service's local addresses), direct routing (the real server's MAC) or IPv6-in-IPv6
 * ({@link Ipv6TunnelTransmitter}); replies of NAT real servers rewritten
 * back to the VIP; a --synproxy service's SYNs answered with cookies and its connections spliced as on the IPv4 path
 * ({@link SynProxy}, {@link SynProxySegments}); ICMPv6 errors about a connection forwarded both ways with their
 * quoted packet rewritten (FullNAT's: {@link Fullnat6IcmpErrors}).
 * Reads the worker's {@link FlowDescription} of the current frame. One per worker; allocation-free.
 */
final class Ipv6Path {
    private static final int TCP = Ipv4.PROTO_TCP, UDP = Ipv4.PROTO_UDP, ICMPV6 = Ipv4.PROTO_ICMPV6;
    /** What {@link #route} does with a packet too big for its egress link. */
    private static final int TOO_BIG_DROPPED = 0, TOO_BIG_TO_CLIENT = 1, TOO_BIG_TO_SERVER = 2,
            FULLNAT_TOO_BIG_TO_CLIENT = 3, FULLNAT_TOO_BIG_TO_SERVER = 4;

    private final FlowDescription flow;
    private final ConnectionParam key = new ConnectionParam();
    private final ConnectionView entry = new ConnectionView();
    /** A new flow's server (drop_packet, --pe sip's Call-ID, the scheduler). */
    private final ServerChoice serverChoice;
    /** The connection an ICMPv6 error's quoted packet belongs to, read into {@link #entry}. */
    private final QuotedConnection quoted;
    private final int worker;
    private final DataPlane plane;
    private final ConnectionTable conns;
    private final ChangeRing changes;
    private final Egress egress;
    private final PendingFrames pending;
    private final DropCounters drops;
    private final NeighbourResponder responder;
    private final DirectRouteTransmitter directRoute;
    private final Ipv6TunnelTransmitter tunnel;
    private final Ipv6TunnelIcmpErrors tunnelErrors;
    /** Packet Too Big and nat_icmp_send's port unreachable for NAT66. */
    private final Nat66IcmpErrors natErrors;
    private final Fullnat6Transmitter fullNat;
    private final Fullnat6IcmpErrors fullNatErrors;
    /** A new FullNAT connection's local address and port. */
    private final LocalPortReservation localPorts;
    /** The worker's fragment tracker, shared with the IPv4 path: later fragments get their ports there. */
    private final FragmentTracker fragments;
    /** The worker's SYN proxy and its connections' segments, shared with the IPv4 path. */
    private final SynProxy synProxy;
    private final SynProxySegments proxied;
    /** The worker's XDP fast-path hook, shared with the IPv4 path: NAT66 and DR connections enter and leave it. */
    private final FastPathHook fastPath;
    private PacketPort rxPort;
    private long now;
    private boolean partial;

    Ipv6Path(DataPlane plane, FlowDescription flow, Egress egress, PendingFrames pending,
             ProxyHeaderInsertion proxyHeader, DropCounters drops, int worker, FragmentTracker fragments,
             SynProxy synProxy, SynProxySegments proxied, FastPathHook fastPath) {
        this.plane = plane;
        this.fastPath = fastPath;
        this.fragments = fragments;
        this.synProxy = synProxy;
        this.proxied = proxied;
        this.flow = flow;
        this.conns = plane.connections();
        this.changes = plane.changes().ring(worker);
        this.egress = egress;
        this.pending = pending;
        this.drops = drops;
        this.serverChoice = new ServerChoice(plane, flow, drops);
        this.quoted = new QuotedConnection(flow, conns, key, entry, drops);
        this.worker = worker;
        this.responder = new NeighbourResponder(drops);
        this.directRoute = new DirectRouteTransmitter(plane.nextHops(), egress, drops);
        this.tunnel = new Ipv6TunnelTransmitter((hi, lo) -> plane.ipv6NextHops().lookup(hi, lo), egress, drops);
        this.tunnelErrors = new Ipv6TunnelIcmpErrors(plane, egress, drops);
        this.natErrors = new Nat66IcmpErrors(flow, drops);
        this.fullNat = new Fullnat6Transmitter(plane, flow, entry, proxyHeader, drops, worker, changes);
        this.fullNatErrors = new Fullnat6IcmpErrors(plane, flow, entry, quoted, drops);
        this.localPorts = new LocalPortReservation(plane, flow, drops);
    }

    NeighbourResponder responder() { return responder; }

    /** A parsed IPv6 frame; {@code partialChecksum}: its transport checksum must be recomputed in full. */
    void onFrame(MemorySegment seg, long offset, int length, boolean partialChecksum, PacketPort port, long nowNanos) {
        this.rxPort = port;
        this.now = nowNanos;
        this.partial = partialChecksum;
        Ipv6Services services = plane.services().ipv6();
        if (services.isEmpty()) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        int proto = flow.protocol;
        boolean toVip = services.isVip(flow.dstHi, flow.dstLo);
        if (proto == ICMPV6 && NeighbourDiscovery.isSolicitation(flow)) {
            responder.onSolicitation(seg, flow, port, services);
            return;
        }
        if (toVip && services.isStandby(flow.dstHi, flow.dstLo)) { // a VRRP address another director owns now
            drops.count(DropReason.STANDBY);
            return;
        }
        if (proto == ICMPV6) {
            if (flow.icmpError) {
                LocalAddressPorts local = toVip ? services.localAddressPorts(flow.dstHi, flow.dstLo) : null;
                if (local != null) fullNatIcmpError(seg, offset, length, local);
                else if (toVip || services.coveredByRoutedMarkRule(flow.dstHi, flow.dstLo)) {
                    inboundIcmpError(seg, offset, length);
                }
                else outboundIcmpError(seg, offset, length);
            } else if (toVip) {
                responder.onIcmpToVip(seg, flow, port);
            } else {
                drops.count(DropReason.NOT_HANDLED);
            }
            return;
        }
        // A later fragment whose fragmentable part opened with an extension header (destination options) names that
        // header, not its transport protocol: the tracker lends it the first fragment's, with the ports.
        boolean behindExtensions = flow.fragment && !flow.firstFragment && Ipv6.isExtensionHeader(proto);
        if (proto != TCP && proto != UDP && !behindExtensions) {
            drops.count(toVip ? DropReason.UNSUPPORTED : DropReason.NOT_HANDLED);
            return;
        }
        // Status 0: a fragment's checksum is never treated as partial (see PacketPipeline.onFrame).
        if (flow.fragment && !fragments.admit(seg, offset, length, flow, 0, port, now)) return;
        LocalAddressPorts local = toVip ? services.localAddressPorts(flow.dstHi, flow.dstLo) : null;
        if (local != null) {
            if (fullNat.fromRealServer(seg, length, local, services, partial, now)) {
                route(seg, offset, length, flow.dstHi, flow.dstLo, FULLNAT_TOO_BIG_TO_SERVER);
            }
        } else if (toVip || routedToMarkRule(services)) {
            inbound(seg, offset, length, services);
        } else {
            outbound(seg, offset, length, services);
        }
    }

    /**
     * A destination inside an IPv6 mark rule wider than /128 is routed to the director; it is inbound unless it is
     * the NAT66 reply of a known connection to a client that happens to sit inside the prefix.
     */
    private boolean routedToMarkRule(Ipv6Services services) {
        if (!services.coveredByRoutedMarkRule(flow.dstHi, flow.dstLo)) return false;
        key.protocol(flow.protocol).real(flow.srcHi, flow.srcLo, flow.srcPort).client(flow.dstHi, flow.dstLo, flow.dstPort);
        return conns.lookup(key, ConnectionTable.DIR_OUTPUT) < 0;
    }

    // ---------------------------------------------------------------- client -> VIP

    private void inbound(MemorySegment seg, long offset, int length, Ipv6Services services) {
        int proto = flow.protocol;
        key.protocol(proto).client(flow.srcHi, flow.srcLo, flow.srcPort).virtual(flow.dstHi, flow.dstLo, flow.dstPort);
        long conn = conns.lookup(key, ConnectionTable.DIR_INPUT, entry);
        if (conn >= 0 && proto == TCP && (flow.tcpFlags & Tcp.SYN) != 0 && reusedTuple()) {
            conns.removeNow(conn);
            conn = -1;
        }
        boolean created = conn < 0;
        if (created) {
            if (!flow.firstFragment) { // only a first fragment, which holds the ports, may open a connection
                int destId = fragments.rememberedServer(); // a -o datagram's: where its first fragment went
                RuntimeDest oneShot = destId < 0 ? null : plane.dest(destId);
                if (oneShot == null || oneShot.removed) drops.count(DropReason.FRAGMENT);
                else sendOnePacket(seg, offset, length, oneShot);
                return;
            }
            conn = newConnection(seg, offset, length, services, proto);
            if (conn < 0) return;
        }
        RuntimeDest dest = plane.dest(entry.destId());
        if (dest == null || dest.removed) {
            drops.count(DropReason.NO_SERVER);
            return;
        }
        // The status a held copy is handed back with: only whether its checksum must be completed matters here.
        if (ConnFlags.spliced(entry) && !proxied.towardServer(conn, entry, seg, offset, length,
                partial ? PacketPort.CSUM_UNKNOWN : 0, partial, rxPort, now)) {
            return;
        }
        int method = ConnFlags.method(entry);
        boolean fullNatFlow = method == ConnFlags.FULLNAT;
        boolean masq = method == ConnFlags.MASQ || fullNatFlow;
        // A datagram counts once for the state and timeout, and for the fast path: by its first fragment.
        boolean whole = flow.firstFragment;
        int state = whole ? conns.onPacket(conn, masq ? ConnectionTable.DIR_INPUT : ConnectionTable.DIR_INPUT_ONLY,
                flow.tcpFlags, now, changes) : 0;
        dest.counters.inbound(worker, length);
        dest.service.counters.inbound(worker, length);
        if (fullNatFlow) {
            int inserted = fullNat.toRealServer(seg, offset, length, conn, partial);
            if (inserted == 0 && fullNat.headerAhead() > 0) {
                send(fullNat.inserted(), 0, fullNat.headerAhead(), entry.realHi(), entry.realLo(), TOO_BIG_DROPPED);
            }
            if (inserted == 0) route(seg, offset, length, entry.realHi(), entry.realLo(), FULLNAT_TOO_BIG_TO_CLIENT);
            else if (inserted > 0) send(fullNat.inserted(), 0, inserted, entry.realHi(), entry.realLo(), TOO_BIG_DROPPED);
        } else if (masq) {
            if (proto == TCP && (flow.tcpFlags & (Tcp.SYN | Tcp.RST)) == Tcp.SYN) dest.counters.synForwarded(worker);
            Nat66Rewrite.setDestination(seg, flow, entry.realHi(), entry.realLo(), entry.realPort(), partial);
            route(seg, offset, length, entry.realHi(), entry.realLo(), TOO_BIG_TO_CLIENT);
        } else {
            transmitInputOnly(seg, offset, length, method, dest);
        }
        if (whole) fastPath.afterInbound(conn, entry, state, created, partial);
    }

    /** DR and TUN: the packet goes on unchanged (but for the hop limit); the server answers the client directly. */
    private void transmitInputOnly(MemorySegment seg, long offset, int length, int method, RuntimeDest dest) {
        switch (method) {
            case ConnFlags.ROUTE -> directRoute(seg, offset, length, entry.realHi(), entry.realLo());
            case ConnFlags.TUNNEL -> tunnel.transmit(seg, offset, flow, entry.realHi(), entry.realLo(), partial, rxPort,
                    dest == null ? Integer.MAX_VALUE : dest.tunnelPathMtu.get(now));
            default -> drops.count(DropReason.UNSUPPORTED);
        }
    }

    /** Schedules a new flow and creates its connection (its entry in {@link #entry}), or -1 when dropped (counted). */
    private long newConnection(MemorySegment seg, long offset, int length, Ipv6Services services, int proto) {
        RuntimeService service = services.lookup(proto, flow.dstHi, flow.dstLo, flow.dstPort);
        if (service == null) service = services.lookupMarked(proto, flow.dstHi, flow.dstLo, flow.dstPort);
        if (service == null) {
            drops.count(DropReason.NO_SERVICE);
            return -1;
        }
        int mssIndex = SynProxy.NOT_ADMITTED;
        if (service.synproxy && proto == TCP) {
            // A SYN is answered with a cookie and creates nothing; only an ACK returning a valid one opens.
            mssIndex = synProxy.admit(seg, flow, rxPort);
            if (mssIndex < 0) return -1;
        } else if (proto == TCP && (flow.tcpFlags & (Tcp.SYN | Tcp.RST)) != Tcp.SYN
                && ((flow.tcpFlags & Tcp.RST) != 0 || !service.sloppyTcp && !plane.knobs().sloppyTcp())) {
            drops.count(DropReason.NOT_SYN);
            return -1;
        }
        RuntimeDest dest = serverChoice.choose(service, proto, seg, offset, length, now);
        if (dest == null) return -1;
        Destination server = dest.server;
        if (service.onePacket && proto == UDP) {
            forwardOnePacket(seg, offset, length, service, dest);
            return -1;
        }
        int port = dest.server.port();
        ForwardMethod method = dest.method; // read once: the binding and the local port follow the same method
        boolean proxiedFlow = mssIndex >= 0;
        if (proxiedFlow && method != ForwardMethod.MASQ) {
            drops.count(DropReason.UNSUPPORTED); // the server's replies must pass the director to be spliced
            return -1;
        }
        boolean translated = method == ForwardMethod.MASQ || method == ForwardMethod.FULLNAT;
        int rport = port == 0 || !translated ? flow.dstPort : port;
        key.protocol(proto).client(flow.srcHi, flow.srcLo, flow.srcPort).virtual(flow.dstHi, flow.dstLo, flow.dstPort)
                .real(server.addrHi(), server.addrLo(), rport)
                .binding(service.id, server.id(), ConnFlags.of(method) | (proxiedFlow ? ConnFlags.SPLICED : 0))
                .fwmark(service.key.fwmark());
        boolean fullNatFlow = method == ForwardMethod.FULLNAT;
        if (fullNatFlow && !localPorts.reserve(service, dest, proto, rport, now)) return -1;
        long conn = conns.create(key, now, entry, changes);
        if (fullNatFlow) {
            if (conn >= 0) localPorts.opened(conn, proto, proto == TCP && dest.config.proxyProtocol(), seg);
            else localPorts.abandon();
        }
        if (conn < 0) {
            conn = conns.lookup(key, ConnectionTable.DIR_INPUT, entry);
            if (conn < 0) drops.count(DropReason.TABLE_FULL);
            return conn;
        }
        dest.counters.connection(worker);
        service.counters.connection(worker);
        // Resolve the client's next hop now, so the first NAT reply does not find it missing.
        if (translated) plane.ipv6NextHops().lookup(flow.srcHi, flow.srcLo);
        if (proxiedFlow) {
            // The client's ACK ends its handshake with the director; the server's handshake starts now.
            conns.onPacket(conn, ConnectionTable.DIR_INPUT, Tcp.SYN, now, changes);
            synProxy.open(plane.synProxyStates(), (int) conn, seg, flow, mssIndex, entry);
            if (flow.fragment) fragments.refuseLaterFragments(); // the ACK goes no further, nor its datagram
            return -1;
        }
        return conn;
    }


    /**
     * -o: the datagram counts as a connection of its own and is forwarded; no entry is made, so the next one is
     * scheduled afresh. NAT replies are rewritten from the service ({@link #outbound}).
     */
    private void forwardOnePacket(MemorySegment seg, long offset, int length, RuntimeService service,
                                  RuntimeDest dest) {
        dest.counters.connection(worker);
        service.counters.connection(worker);
        if (flow.fragment) fragments.rememberServer(dest.server.id()); // the later fragments follow it
        sendOnePacket(seg, offset, length, dest);
    }

    /** -o: forwards the datagram (or a fragment of it) to {@code dest} by its method, without a connection. */
    private void sendOnePacket(MemorySegment seg, long offset, int length, RuntimeDest dest) {
        dest.counters.inbound(worker, length);
        dest.service.counters.inbound(worker, length);
        long realHi = dest.server.addrHi(), realLo = dest.server.addrLo();
        switch (dest.method) {
            case MASQ -> {
                int port = dest.server.port();
                Nat66Rewrite.setDestination(seg, flow, realHi, realLo, port == 0 ? flow.dstPort : port, partial);
                route(seg, offset, length, realHi, realLo, TOO_BIG_DROPPED);
            }
            case ROUTE -> directRoute(seg, offset, length, realHi, realLo);
            case TUNNEL -> tunnel.transmit(seg, offset, flow, realHi, realLo, partial, rxPort,
                    dest.tunnelPathMtu.get(now));
            default -> drops.count(DropReason.UNSUPPORTED);
        }
    }

    /** conn_reuse_mode: a SYN on the tuple of a closing connection (in {@link #entry}) starts a new one. */
    private boolean reusedTuple() {
        Knobs knobs = plane.knobs();
        RuntimeDest dest = plane.dest(entry.destId());
        int weight = dest == null ? 0 : dest.server.weight();
        return ConnectionReuse.reschedules(knobs.connReuseMode(), knobs.expireNodestConn(), entry.state(),
                ConnFlags.method(entry) != ConnFlags.MASQ, weight);
    }

    // ---------------------------------------------------------------- real server -> client (NAT replies)

    private void outbound(MemorySegment seg, long offset, int length, Ipv6Services services) {
        int proto = flow.protocol;
        key.protocol(proto).real(flow.srcHi, flow.srcLo, flow.srcPort).client(flow.dstHi, flow.dstLo, flow.dstPort);
        long conn = conns.lookup(key, ConnectionTable.DIR_OUTPUT, entry);
        if (conn < 0) {
            RuntimeDest oneShot = proto == UDP ? services.onePacketNatServer(flow.srcHi, flow.srcLo, flow.srcPort) : null;
            if (oneShot == null) {
                strayFromServer(seg, offset, services);
                return;
            }
            // The reply of a one-packet service's server: no connection holds the VIP, its service does.
            oneShot.counters.outbound(worker, length);
            oneShot.service.counters.outbound(worker, length);
            int vport = oneShot.service.key.port();
            Nat66Rewrite.setSource(seg, flow, oneShot.service.key.addrHi(), oneShot.service.key.addrLo(),
                    vport != 0 ? vport : flow.srcPort, partial);
            route(seg, offset, length, flow.dstHi, flow.dstLo, TOO_BIG_DROPPED);
            return;
        }
        if (services.isStandby(entry.virtualHi(), entry.virtualLo())) { // the VRRP master replies for its VIP
            drops.count(DropReason.STANDBY);
            return;
        }
        if (ConnFlags.spliced(entry) && !proxied.towardClient(conn, entry, seg, partial, now)) return;
        boolean whole = flow.firstFragment;
        int state = whole ? conns.onPacket(conn, ConnectionTable.DIR_OUTPUT, flow.tcpFlags, now, changes) : 0;
        RuntimeDest.countReply(plane.dest(entry.destId()), worker, length);
        Nat66Rewrite.setSource(seg, flow, entry.virtualHi(), entry.virtualLo(), entry.virtualPort(), partial);
        route(seg, offset, length, flow.dstHi, flow.dstLo, TOO_BIG_TO_SERVER);
        if (whole && ConnFlags.method(entry) == ConnFlags.MASQ) fastPath.afterOutbound(conn, entry, state, partial);
    }

    /**
     * nat_icmp_send, as for IPv4: a TCP or UDP packet from a NAT real server's address and port that matches no
     * connection (but a TCP RST, which needs no answer) gets port unreachable, so the server gives up on the flow at
     * once; anything else is dropped as not handled.
     */
    private void strayFromServer(MemorySegment seg, long offset, Ipv6Services services) {
        int proto = flow.protocol;
        if (!flow.firstFragment || !plane.knobs().natIcmpSend() || proto == TCP && (flow.tcpFlags & Tcp.RST) != 0
                || !services.isNatRealServer(proto, flow.srcHi, flow.srcLo, flow.srcPort)) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        NextHop back = plane.ipv6NextHops().lookup(flow.srcHi, flow.srcLo);
        if (back == null || (back.sourceHi() | back.sourceLo()) == 0) {
            drops.count(DropReason.NO_ROUTE);
            return;
        }
        natErrors.portUnreachable(seg, offset, rxPort, back.sourceHi(), back.sourceLo());
    }

    // ---------------------------------------------------------------- ICMPv6 errors about connections

    /** From the client's side, quoting a packet the director sent the client (VIP:vport to client:cport). */
    private void inboundIcmpError(MemorySegment seg, long offset, int length) {
        long conn = quoted.find(true);
        if (conn < 0) return;
        int method = ConnFlags.method(entry);
        if (method == ConnFlags.FULLNAT) {
            if (fullNatErrors.fromClientSide(seg, conn)) {
                route(seg, offset, length, entry.realHi(), entry.realLo(), TOO_BIG_DROPPED);
            }
            return;
        }
        if (method != ConnFlags.MASQ) {
            // DR/TUN: the error goes to the server as it is
            transmitInputOnly(seg, offset, length, method, plane.dest(entry.destId()));
            return;
        }
        Nat66Rewrite.setQuotedSource(seg, flow, entry.realHi(), entry.realLo(), entry.realPort());
        Nat66Rewrite.setDestination(seg, flow, entry.realHi(), entry.realLo(), 0, false);
        Nat66Rewrite.refreshIcmpChecksum(seg, flow);
        route(seg, offset, length, entry.realHi(), entry.realLo(), TOO_BIG_DROPPED);
    }

    /** Sent to a FullNAT local address, quoting a packet the director sent a server from it (local to real:rport). */
    private void fullNatIcmpError(MemorySegment seg, long offset, int length, LocalAddressPorts local) {
        if (fullNatErrors.fromServerSide(seg, local, now)) {
            route(seg, offset, length, entry.clientHi(), entry.clientLo(), TOO_BIG_DROPPED);
        }
    }

    /** From the real server's side, quoting a packet the director sent a NAT server (client to real:rport). */
    private void outboundIcmpError(MemorySegment seg, long offset, int length) {
        if (flow.innerProtocol == Ipv6TunnelIcmpErrors.IPV6_IN_IPV6) { // about one of our tunnel packets (TUN)
            tunnelErrors.onError(seg, flow, now);
            return;
        }
        if (quoted.find(false) < 0) return;
        Nat66Rewrite.setQuotedDestination(seg, flow, entry.virtualHi(), entry.virtualLo(), entry.virtualPort());
        if (flow.srcHi == entry.realHi() && flow.srcLo == entry.realLo()) {
            Nat66Rewrite.setSource(seg, flow, entry.virtualHi(), entry.virtualLo(), 0, false);
        }
        Nat66Rewrite.refreshIcmpChecksum(seg, flow);
        route(seg, offset, length, flow.dstHi, flow.dstLo, TOO_BIG_DROPPED);
    }

    // ---------------------------------------------------------------- transmit

    /**
     * Routes a rewritten frame: hop limit, next hop (parked while the neighbour resolves), egress. A packet too big
     * for the egress link is answered as {@code tooBig} says: Packet Too Big to the client or to the real server
     * (a connection's packet, in {@link #entry}), or only counted (errors, one-packet datagrams).
     */
    private void route(MemorySegment seg, long offset, int length, long dstHi, long dstLo, int tooBig) {
        if (!NatRewrite.decrementTtl(seg, flow)) {
            drops.count(DropReason.TTL_EXPIRED);
            return;
        }
        send(seg, offset, length, dstHi, dstLo, tooBig);
    }

    /**
     * {@link #route} for a frame whose hop limit is already decremented; it may be a copy of the current one (at
     * another offset, its headers at the same distances from it).
     */
    private void send(MemorySegment seg, long offset, int length, long dstHi, long dstLo, int tooBig) {
        int ipLength = length - (int) (flow.l3Offset - offset);
        NextHop hop = plane.ipv6NextHops().lookup(dstHi, dstLo);
        if (Egress.unresolved(hop)) {
            if (!pending.parkIpv6(seg, offset, length, ipLength, dstHi, dstLo, now)) drops.count(DropReason.NO_ROUTE);
            return;
        }
        PacketPort out = egress.portToward(hop);
        if (out == null) return;
        if (ipLength > out.mtu()) {
            packetTooBig(seg, offset, out.mtu(), tooBig);
            return;
        }
        Egress.writeMacs(seg, offset, hop, out);
        egress.send(out, seg, offset, length);
    }

    /**
     * Packet Too Big about a rewritten NAT66 or FullNAT packet: the rewrite is undone first, so its sender finds its
     * own packet quoted. To the client from the VIP; to a real server from the director's address toward it (NAT66)
     * or from the connection's local address (FullNAT).
     */
    private void packetTooBig(MemorySegment seg, long offset, int mtu, int tooBig) {
        if (tooBig == FULLNAT_TOO_BIG_TO_CLIENT) { // FullNAT adds nothing: the egress MTU is the client's
            fullNat.restoreClientPacket(seg);
            natErrors.packetTooBig(seg, offset, rxPort, entry.virtualHi(), entry.virtualLo(), mtu);
            return;
        }
        if (tooBig == FULLNAT_TOO_BIG_TO_SERVER) {
            fullNat.restoreServerPacket(seg);
            natErrors.packetTooBig(seg, offset, rxPort, fullNat.localHi(), fullNat.localLo(), mtu);
            return;
        }
        if (tooBig == TOO_BIG_TO_CLIENT) {
            Nat66Rewrite.setDestination(seg, flow, entry.virtualHi(), entry.virtualLo(), entry.virtualPort(), partial);
            natErrors.packetTooBig(seg, offset, rxPort, entry.virtualHi(), entry.virtualLo(), mtu);
            return;
        }
        NextHop back = tooBig == TOO_BIG_TO_SERVER ? plane.ipv6NextHops().lookup(entry.realHi(), entry.realLo()) : null;
        if (back == null || (back.sourceHi() | back.sourceLo()) == 0) {
            drops.count(DropReason.OVERSIZE);
            return;
        }
        Nat66Rewrite.setSource(seg, flow, entry.realHi(), entry.realLo(), entry.realPort(), partial);
        natErrors.packetTooBig(seg, offset, rxPort, back.sourceHi(), back.sourceLo(), mtu);
    }

    /** Direct routing ({@link DirectRouteTransmitter}) to the IPv6 real server's own MAC. */
    private void directRoute(MemorySegment seg, long offset, int length, long realHi, long realLo) {
        directRoute.transmit(seg, offset, length, flow, plane.ipv6NextHops().lookup(realHi, realLo), partial);
    }
}
