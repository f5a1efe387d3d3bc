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
 * pseudo-header). With --proxy-protocol the TCP stream toward the server opens with a PROXY v2 header of the
 * AF_INET6 family ({@link ProxyHeaderInsertion}, shared with the IPv4 path). {@link Ipv6Path} takes the new
 * connection's local port ({@link LocalPortReservation}) and routes the rewritten packet. One per worker;
 * allocation-free.
 */
final class Fullnat6Transmitter {
    private final DataPlane plane;
    private final FlowDescription flow;
    private final ConnectionView entry;
    private final ProxyHeaderInsertion proxyHeader;
    private final DropCounters drops;
    private final int worker;
    private final ChangeRing changes;
    /** The length of the PROXY header's own segment to be sent ahead of the packet last rewritten; 0 for none. */
    private int headerAhead;
    /** The local address and port of the connection last rewritten, for a Packet Too Big about its packet. */
    private long localHi, localLo;
    private int localPort;

    Fullnat6Transmitter(DataPlane plane, FlowDescription flow, ConnectionView entry, ProxyHeaderInsertion proxyHeader,
                        DropCounters drops, int worker, ChangeRing changes) {
        this.plane = plane;
        this.flow = flow;
        this.entry = entry;
        this.proxyHeader = proxyHeader;
        this.drops = drops;
        this.worker = worker;
        this.changes = changes;
    }

    /**
     * Client to real server, for the connection in the path's entry: source to its local address and port,
     * destination to the server's address and port, and the PROXY header's insertion or shift when the connection
     * has one. Returns 0 when the packet is to be routed as it is; the length of the frame with the header, in
     * {@link #inserted()} from 0, its hop limit already decremented; or -1 when it goes no further (counted, as
     * FULLNAT_LOST when this daemon holds no record of the connection's local address). On 0, a first fragment of
     * the segment the header opens has the header's own segment to be sent ahead of it ({@link #headerAhead()}).
     */
    int toRealServer(MemorySegment seg, long offset, int length, long conn, boolean partial) {
        headerAhead = 0;
        FullNatStates states = plane.fullNatStates();
        int slot = (int) conn;
        LocalAddressPorts local = states == null ? null : plane.localAddresses().ipv6ByNumber(states.localAddress(slot));
        if (local == null) {
            drops.count(DropReason.FULLNAT_LOST);
            return -1;
        }
        localHi = local.hi;
        localLo = local.lo;
        localPort = states.localPort(slot);
        Nat66Rewrite.setSource(seg, flow, local.hi, local.lo, localPort, partial);
        // A partial checksum was completed by the first rewrite: the second and the header's shift update it.
        Nat66Rewrite.setDestination(seg, flow, entry.realHi(), entry.realLo(), entry.realPort(), false);
        if (!states.proxyHeader(slot)) return 0;
        int inserted = proxyHeader.towardServer(seg, offset, length, flow, states.clientIsn(slot), entry);
        if (inserted == 0) headerAhead = proxyHeader.ahead();
        return inserted;
    }

    /** The buffer {@link #toRealServer} writes a segment with the PROXY header, or the header's own, into. */
    MemorySegment inserted() { return proxyHeader.inserted(); }

    /**
     * After {@link #toRealServer} returned 0: the length of the PROXY header's own segment in {@link #inserted()},
     * its hop limit decremented, to be sent ahead of the packet; 0 for none.
     */
    int headerAhead() { return headerAhead; }

    /**
     * A TCP or UDP packet to the IPv6 local address {@code ports}: a real server's reply of a FullNAT connection,
     * found by the port it is sent to and the server it comes from (read into the entry), rewritten to come from
     * the VIP and go to the client; true when it is to be routed to the client. Anything else sent there, and the
     * replies of a VIP on VRRP standby, are counted and dropped.
     */
    boolean fromRealServer(MemorySegment seg, int length, LocalAddressPorts ports, Ipv6Services services,
                           boolean partial, long now) {
        int proto = flow.protocol;
        if ((proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP)) {
            drops.count(DropReason.NOT_HANDLED);
            return false;
        }
        ConnectionTable conns = plane.connections();
        long conn = ports.fullNatConnection(proto, flow.dstPort, flow.srcHi, flow.srcLo, flow.srcPort, conns, entry,
                now);
        if (conn < 0 || entry.realHi() != flow.srcHi || entry.realLo() != flow.srcLo || entry.realPort() != flow.srcPort) {
            drops.count(DropReason.NOT_HANDLED);
            return false;
        }
        FullNatStates states = plane.fullNatStates();
        int slot = (int) conn;
        if (states.localAddress(slot) != ports.address || states.localPort(slot) != flow.dstPort) {
            drops.count(DropReason.FULLNAT_LOST);
            return false;
        }
        if (services.isStandby(entry.virtualHi(), entry.virtualLo())) { // the VRRP master replies for its VIP
            drops.count(DropReason.STANDBY);
            return false;
        }
        // A later fragment (its ports from the FragmentTracker) leaves the connection's state to the first.
        if (flow.firstFragment) conns.onPacket(conn, ConnectionTable.DIR_OUTPUT, flow.tcpFlags, now, changes);
        RuntimeDest.countReply(plane.dest(entry.destId()), worker, length);
        if (states.proxyHeader(slot) && !proxyHeader.towardClient(seg, flow, states.clientIsn(slot), partial)) {
            return false;
        }
        localHi = flow.dstHi;
        localLo = flow.dstLo;
        localPort = flow.dstPort;
        Nat66Rewrite.setSource(seg, flow, entry.virtualHi(), entry.virtualLo(), entry.virtualPort(), partial);
        Nat66Rewrite.setDestination(seg, flow, entry.clientHi(), entry.clientLo(), entry.clientPort(), false);
        return true;
    }

    /**
     * Undoes {@link #toRealServer}'s rewrite of the packet just rewritten in place (client:cport to VIP:vport
     * again), so that a Packet Too Big for the server's link quotes the packet the client sent.
     */
    void restoreClientPacket(MemorySegment seg) {
        Nat66Rewrite.setSource(seg, flow, entry.clientHi(), entry.clientLo(), entry.clientPort(), false);
        Nat66Rewrite.setDestination(seg, flow, entry.virtualHi(), entry.virtualLo(), entry.virtualPort(), false);
    }

    /**
     * Undoes {@link #fromRealServer}'s rewrite of the reply just rewritten (server:rport to local:lport again), so
     * that a Packet Too Big for the client's link quotes the packet the server sent; it comes from
     * {@link #localHi()}/{@link #localLo()}, the server's only peer.
     */
    void restoreServerPacket(MemorySegment seg) {
        Nat66Rewrite.setSource(seg, flow, entry.realHi(), entry.realLo(), entry.realPort(), false);
        Nat66Rewrite.setDestination(seg, flow, localHi, localLo, localPort, false);
    }

    long localHi() { return localHi; }

    long localLo() { return localLo; }
}
