package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Tcp;

import java.lang.foreign.MemorySegment;

/**
 * A new FullNAT connection's local address and port, of either family: taken from the service's pool before the
 * connection is made ({@link #reserve}), then bound to it so that the server's replies find it ({@link #opened}) or
 * given back ({@link #abandon}). The pool's local addresses are tried in turn from a rotating start, so a service's
 * connections spread over them; exhaustion is counted (LADDR_EXHAUSTED) and the flow refused. One per worker and
 * path; allocation-free.
 */
final class LocalPortReservation {
    private final DataPlane plane;
    private final FlowDescription flow;
    private final DropCounters drops;
    /** The port {@link #reserve} took, until {@link #opened} or {@link #abandon}. */
    private LocalAddressPorts reservedAt;
    private int reservedPort;
    /** Rotates the first local address tried. */
    private int nextAddress;

    LocalPortReservation(DataPlane plane, FlowDescription flow, DropCounters drops) {
        this.plane = plane;
        this.flow = flow;
        this.drops = drops;
    }

    /**
     * Takes a local address of the service and a free port of it for a new connection. False, counted as
     * LADDR_EXHAUSTED, when every port of every local address of the service is held.
     */
    boolean reserve(RuntimeService service, int proto, long now) {
        LocalAddressPorts[] pool = service.localAddresses;
        for (int i = 0; i < pool.length; i++) {
            LocalAddressPorts at = pool[Math.floorMod(nextAddress + i, pool.length)];
            int port = at.reserve(proto, plane.connections(), now);
            if (port > 0) {
                nextAddress += i + 1;
                reservedAt = at;
                reservedPort = port;
                return true;
            }
        }
        drops.count(DropReason.LADDR_EXHAUSTED);
        return false;
    }

    /**
     * The connection was made with the reserved port: its record is written (with the PROXY header when
     * {@code proxied}, placed by the client's initial sequence number in {@code seg}) and the port leads replies to it.
     */
    void opened(long conn, int proto, boolean proxied, MemorySegment seg) {
        int clientIsn = proto == Ipv4.PROTO_TCP ? Layouts.u32(seg, flow.l4Offset + Tcp.SEQ) : 0;
        plane.fullNatStates().open((int) conn, reservedAt.address, reservedPort, proxied, clientIsn);
        reservedAt.bind(proto, reservedPort, conn);
        reservedAt = null;
    }

    /** The connection could not be made (table full, or another worker made it): the port goes back. */
    void abandon(int proto) {
        if (reservedAt != null) reservedAt.release(proto, reservedPort);
        reservedAt = null;
    }
}
