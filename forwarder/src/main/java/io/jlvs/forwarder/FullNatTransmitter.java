package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.NatRewrite;

import java.lang.foreign.MemorySegment;

/**
 * FullNAT (DPVS's FULLNAT), the transmit function of FULLNAT connections: toward the real server both endpoints
 * are rewritten, the client's into one of the service's local addresses and a port of it
 * ({@link LocalAddressPorts}), the VIP's into the server's; the server answers the local address, which the
 * director owns as it owns VIPs, so it needs no route back through the director and may sit several hops away.
 * Its replies are found through the local address's port and the server they come from, and rewritten back (VIP to client). With
 * --proxy-protocol the TCP stream toward the server opens with a PROXY v2 header ({@link ProxyHeaderInsertion}).
 * One per worker; allocation-free.
 */
final class FullNatTransmitter {
    private final DataPlane plane;
    private final FlowDescription flow;
    private final ConnectionView entry;
    private final NatTransmitter nat;
    private final ProxyHeaderInsertion proxyHeader;
    private final DropCounters drops;
    private final int worker;
    private final ChangeRing changes;
    private final LocalPortReservation reservation;

    FullNatTransmitter(DataPlane plane, FlowDescription flow, ConnectionView entry, NatTransmitter nat,
                       ProxyHeaderInsertion proxyHeader, DropCounters drops, int worker, ChangeRing changes) {
        this.plane = plane;
        this.flow = flow;
        this.entry = entry;
        this.nat = nat;
        this.proxyHeader = proxyHeader;
        this.drops = drops;
        this.worker = worker;
        this.changes = changes;
        this.reservation = new LocalPortReservation(plane, flow, drops);
    }

    /**
     * A local address and port of the service, free toward {@code dest}'s server at {@code realPort}, for a new
     * connection ({@link LocalPortReservation#reserve}).
     */
    boolean reserve(RuntimeService service, RuntimeDest dest, int proto, int realPort, long now) {
        return reservation.reserve(service, dest, proto, realPort, now);
    }

    /** The connection was made with the reserved port: the port now leads replies to it. */
    void opened(long conn, int proto, RuntimeDest dest, MemorySegment seg) {
        reservation.opened(conn, proto, proto == Ipv4.PROTO_TCP && dest.config.proxyProtocol(), seg);
    }

    /** The connection could not be made: the port goes back. */
    void abandon() { reservation.abandon(); }

    /**
     * Client to real server, for the connection in the pipeline's entry: the source becomes its local address and
     * port, the destination the server's address and port.
     */
    void toRealServer(MemorySegment seg, long offset, int length, long conn, boolean partial, long now) {
        FullNatStates states = plane.fullNatStates();
        int slot = (int) conn;
        int local = states == null ? 0 : states.localAddress(slot);
        if (local == 0) {
            drops.count(DropReason.FULLNAT_LOST);
            return;
        }
        int real = (int) entry.realLo();
        NatRewrite.setIpv4Endpoints(seg, flow, local, states.localPort(slot), real, entry.realPort(), partial);
        if (!states.proxyHeader(slot)) {
            nat.route(seg, offset, length, real, now);
            return;
        }
        // The rewrite completed a partial checksum: the header's shift updates it.
        int inserted = proxyHeader.towardServer(seg, offset, length, flow, states.clientIsn(slot), entry);
        if (inserted > 0) nat.send(proxyHeader.inserted(), 0, inserted, real, now);
        if (inserted != 0) return;
        if (proxyHeader.ahead() > 0) nat.send(proxyHeader.inserted(), 0, proxyHeader.ahead(), real, now);
        nat.route(seg, offset, length, real, now);
    }

    /**
     * A packet to a local address: a real server's reply of a FullNAT connection, found by the port it is sent to
     * and the server it comes from, rewritten to come from the VIP and go to the client. Anything else sent there is counted and dropped.
     */
    void fromRealServer(MemorySegment seg, long offset, int length, ServiceIndex services, boolean partial, long now) {
        int proto = flow.protocol;
        LocalAddressPorts ports = services.localAddressPorts(flow.dstV4());
        if (ports == null || (proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP)) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        ConnectionTable conns = plane.connections();
        long conn = ports.fullNatConnection(proto, flow.dstPort, flow.srcHi, flow.srcLo, flow.srcPort, conns, entry,
                now);
        if (conn < 0 || entry.realLo() != flow.srcLo || entry.realPort() != flow.srcPort) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        FullNatStates states = plane.fullNatStates();
        int slot = (int) conn;
        if (states.localAddress(slot) != flow.dstV4() || states.localPort(slot) != flow.dstPort) {
            drops.count(DropReason.FULLNAT_LOST);
            return;
        }
        int vip = (int) entry.virtualLo();
        if (services.isStandby(vip)) {
            drops.count(DropReason.STANDBY);
            return;
        }
        // A later fragment (its ports from the FragmentTracker) leaves the connection's state to the first.
        if (flow.firstFragment) conns.onPacket(conn, ConnectionTable.DIR_OUTPUT, flow.tcpFlags, now, changes);
        RuntimeDest.countReply(plane.dest(entry.destId()), worker, length);
        if (states.proxyHeader(slot) && !proxyHeader.towardClient(seg, flow, states.clientIsn(slot), partial)) return;
        int client = (int) entry.clientLo();
        NatRewrite.setIpv4Endpoints(seg, flow, vip, entry.virtualPort(), client, entry.clientPort(), partial);
        nat.route(seg, offset, length, client, now);
    }
}
