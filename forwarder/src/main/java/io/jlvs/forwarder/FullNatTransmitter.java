package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.NatRewrite;
import io.jlvs.packets.Tcp;

import java.lang.foreign.MemorySegment;

/**
 * FullNAT (DPVS's FULLNAT), the transmit function of FULLNAT connections: toward the real server both endpoints
 * are rewritten, the client's into one of the service's local addresses and a port of it
 * ({@link LocalAddressPorts}), the VIP's into the server's; the server answers the local address, which the
 * director owns as it owns VIPs, so it needs no route back through the director and may sit several hops away.
 * Its replies are found through the local address's port and rewritten back (VIP to client). With
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
    /** The port {@link #reserve} took, until {@link #opened} or {@link #abandon}. */
    private LocalAddressPorts reservedAt;
    private int reservedPort;
    /** Rotates the first local address tried, so a service's connections spread over its pool. */
    private int nextAddress;

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

    /** The connection was made with the reserved port: the port now leads replies to it. */
    void opened(long conn, int proto, RuntimeDest dest, MemorySegment seg) {
        boolean proxied = proto == Ipv4.PROTO_TCP && dest.config.proxyProtocol();
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
        if (states.proxyHeader(slot)) {
            proxyHeader.towardServer(seg, offset, length, flow, states.clientIsn(slot), (int) entry.clientLo(),
                    entry.clientPort(), (int) entry.virtualLo(), entry.virtualPort(), partial, real, now);
            return;
        }
        nat.route(seg, offset, length, real, now);
    }

    /**
     * A packet to a local address: a real server's reply of a FullNAT connection, found by the port it is sent to,
     * rewritten to come from the VIP and go to the client. Anything else sent there is counted and dropped.
     */
    void fromRealServer(MemorySegment seg, long offset, int length, ServiceIndex services, boolean partial, long now) {
        int proto = flow.protocol;
        LocalAddressPorts ports = services.localAddressPorts(flow.dstV4());
        if (ports == null || (proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP) || flow.fragment) {
            drops.count(DropReason.NOT_HANDLED);
            return;
        }
        ConnectionTable conns = plane.connections();
        long conn = ports.connection(proto, flow.dstPort);
        if (conn < 0 || !conns.read(conn, entry, now) || entry.protocol() != proto
                || entry.realLo() != flow.srcLo || entry.realPort() != flow.srcPort
                || ConnFlags.method(entry) != ConnFlags.FULLNAT) {
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
        conns.onPacket(conn, ConnectionTable.DIR_OUTPUT, flow.tcpFlags, now, changes);
        RuntimeDest dest = plane.dest(entry.destId());
        if (dest != null) {
            dest.counters.outbound(worker, length);
            dest.service.counters.outbound(worker, length);
            dest.counters.replySeen(worker);
        }
        if (states.proxyHeader(slot) && !proxyHeader.towardClient(seg, flow, states.clientIsn(slot), partial)) return;
        int client = (int) entry.clientLo();
        NatRewrite.setIpv4Endpoints(seg, flow, vip, entry.virtualPort(), client, entry.clientPort(), partial);
        nat.route(seg, offset, length, client, now);
    }
}
