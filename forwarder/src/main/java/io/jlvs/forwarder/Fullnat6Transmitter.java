package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Nat66Rewrite;

import java.lang.foreign.MemorySegment;

/**
 * FullNAT for IPv6 services (IPv6 client, VIP, local address and real server), the IPv6 twin of
 * {@link FullNatTransmitter}: toward the real server the source becomes one of the service's IPv6 local addresses
 * and a port of it, the destination the server's address and port; the server answers the local address, which the
 * director owns through Neighbour Discovery as it owns its VIPs, and its reply is found through the local port and
 * rewritten back (VIP to client). Both rewrites are NAT66's ({@link Nat66Rewrite}: incremental checksums over the
 * pseudo-header). {@link Ipv6Path} routes the rewritten packet. No PROXY header (refused by the control plane for
 * IPv6). One per worker; allocation-free.
 */
final class Fullnat6Transmitter {
    private final DataPlane plane;
    private final FlowDescription flow;
    private final ConnectionView entry;
    private final DropCounters drops;
    private final int worker;
    private final ChangeRing changes;
    private final LocalPortReservation reservation;

    Fullnat6Transmitter(DataPlane plane, FlowDescription flow, ConnectionView entry, DropCounters drops, int worker,
                        ChangeRing changes) {
        this.plane = plane;
        this.flow = flow;
        this.entry = entry;
        this.drops = drops;
        this.worker = worker;
        this.changes = changes;
        this.reservation = new LocalPortReservation(plane, flow, drops);
    }

    /** A local address and port of the service for a new connection ({@link LocalPortReservation#reserve}). */
    boolean reserve(RuntimeService service, int proto, long now) { return reservation.reserve(service, proto, now); }

    /** The connection was made with the reserved port: the port now leads replies to it. */
    void opened(long conn, int proto, MemorySegment seg) { reservation.opened(conn, proto, false, seg); }

    /** The connection could not be made: the port goes back. */
    void abandon(int proto) { reservation.abandon(proto); }

    /**
     * Client to real server, for the connection in the path's entry: source to its local address and port,
     * destination to the server's address and port. False, counted as FULLNAT_LOST, when this daemon holds no
     * record of the connection's local address.
     */
    boolean toRealServer(MemorySegment seg, long conn, boolean partial) {
        FullNatStates states = plane.fullNatStates();
        int slot = (int) conn;
        LocalAddressPorts local = states == null ? null : plane.localAddresses().ipv6ByNumber(states.localAddress(slot));
        if (local == null) {
            drops.count(DropReason.FULLNAT_LOST);
            return false;
        }
        Nat66Rewrite.setSource(seg, flow, local.hi, local.lo, states.localPort(slot), partial);
        // A partial checksum was completed by the first rewrite: the second updates it.
        Nat66Rewrite.setDestination(seg, flow, entry.realHi(), entry.realLo(), entry.realPort(), false);
        return true;
    }

    /**
     * A TCP or UDP packet to the IPv6 local address {@code ports}: a real server's reply of a FullNAT connection,
     * found by the port it is sent to (read into the entry), rewritten to come from the VIP and go to the client;
     * true when it is to be routed to the client. Anything else sent there is counted and dropped.
     */
    boolean fromRealServer(MemorySegment seg, int length, LocalAddressPorts ports, boolean partial, long now) {
        int proto = flow.protocol;
        if ((proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP) || flow.fragment) {
            drops.count(DropReason.NOT_HANDLED);
            return false;
        }
        ConnectionTable conns = plane.connections();
        long conn = ports.connection(proto, flow.dstPort);
        if (conn < 0 || !conns.read(conn, entry, now) || entry.protocol() != proto
                || entry.realHi() != flow.srcHi || entry.realLo() != flow.srcLo || entry.realPort() != flow.srcPort
                || ConnFlags.method(entry) != ConnFlags.FULLNAT) {
            drops.count(DropReason.NOT_HANDLED);
            return false;
        }
        FullNatStates states = plane.fullNatStates();
        int slot = (int) conn;
        if (states.localAddress(slot) != ports.address || states.localPort(slot) != flow.dstPort) {
            drops.count(DropReason.FULLNAT_LOST);
            return false;
        }
        conns.onPacket(conn, ConnectionTable.DIR_OUTPUT, flow.tcpFlags, now, changes);
        RuntimeDest dest = plane.dest(entry.destId());
        if (dest != null) {
            dest.counters.outbound(worker, length);
            dest.service.counters.outbound(worker, length);
            dest.counters.replySeen(worker);
        }
        Nat66Rewrite.setSource(seg, flow, entry.virtualHi(), entry.virtualLo(), entry.virtualPort(), partial);
        Nat66Rewrite.setDestination(seg, flow, entry.clientHi(), entry.clientLo(), entry.clientPort(), false);
        return true;
    }
}
