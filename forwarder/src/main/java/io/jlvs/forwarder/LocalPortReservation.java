package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.Tcp;

import java.lang.foreign.MemorySegment;

/**
 * A new FullNAT connection's local address and port, of either family: taken from the service's pool toward the
 * connection's real server before the connection is made ({@link #reserve}), then bound to it so that the server's
 * replies find it ({@link #opened}) or given back ({@link #abandon}). The pool's local addresses are tried in turn
 * from a rotating start, so a service's connections spread over them; exhaustion (every port of every local
 * address held toward that server) is counted (LADDR_EXHAUSTED) and the flow refused. One per worker and path;
 * allocation-free.
 */
final class LocalPortReservation {
    /** After every local address was full toward a server: its new flows are refused at once for this long. */
    private static final long FULL_BACKOFF_NANOS = 10_000_000L;

    private final DataPlane plane;
    private final FlowDescription flow;
    private final DropCounters drops;
    /** The reservation {@link #reserve} took, until {@link #opened} or {@link #abandon}. */
    private LocalAddressPorts reservedAt;
    private int reservedSlot;
    /** Rotates the first local address tried. */
    private int nextAddress;

    LocalPortReservation(DataPlane plane, FlowDescription flow, DropCounters drops) {
        this.plane = plane;
        this.flow = flow;
        this.drops = drops;
    }

    /**
     * Takes a local address of the service and a port of it free toward {@code dest}'s server at {@code realPort}
     * for a new connection. False, counted as LADDR_EXHAUSTED, when every port of every local address of the
     * service is held toward that server.
     */
    boolean reserve(RuntimeService service, RuntimeDest dest, int proto, int realPort, long now) {
        int space = proto == Ipv4.PROTO_UDP ? 1 : 0;
        long backOff = dest.localPortsFullUntil[space];
        if (backOff == 0 || now - backOff >= 0) {
            long realHi = dest.server.addrHi(), realLo = dest.server.addrLo();
            LocalAddressPorts[] pool = service.localAddresses;
            for (int i = 0; i < pool.length; i++) {
                LocalAddressPorts at = pool[Math.floorMod(nextAddress + i, pool.length)];
                int slot = at.reserve(proto, realHi, realLo, realPort, plane.connections());
                if (slot >= 0) {
                    nextAddress += i + 1;
                    reservedAt = at;
                    reservedSlot = slot;
                    return true;
                }
            }
            // Written and read without ordering: a worker that misses it only scans once more.
            dest.localPortsFullUntil[space] = (now + FULL_BACKOFF_NANOS) | 1;
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
        plane.fullNatStates().open((int) conn, reservedAt, reservedAt.port(reservedSlot), proxied, clientIsn);
        reservedAt.bind(reservedSlot, conn);
        reservedAt = null;
    }

    /** The connection could not be made (table full, or another worker made it): the port goes back. */
    void abandon() {
        if (reservedAt != null) reservedAt.release(reservedSlot);
        reservedAt = null;
    }
}
