package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.net.NextHop;

/**
 * What the XDP fast path forwarded, brought back into the Java side (the housekeeping's sweep, and a connection
 * taken back to the Java path): the real server's and the service's counters (ipvsadm --stats, the rates), and the
 * connection's timeout, re-armed as a packet would (an ACK of an established connection: its state stays), so that
 * expiry sees the activity. A connection that left the table, whose server was removed or whose VIP is on standby
 * here is not wanted in the fast path, nor one whose next hops changed: its next packets reach the Java path, which
 * handles them as IPVS does.
 *
 * <p>The re-armed connection is offered to the sync as a worker's packet would offer it, through a ring of the
 * sweep's own, so that a backup keeps refreshing a long connection the kernel forwards. One sweep that found client
 * packets counts as one packet towards sync_threshold: a busy fast-path connection is offered about every
 * period-th second (50 s by default) instead of every period-th packet, well inside the 15-minute established
 * timeout the backup gives it.
 */
final class FastPathCounters implements FlowMirror.SweepVisitor {
    private final DataPlane plane;
    private final ChangeRing syncOffers;
    private final ConnectionView entry = new ConnectionView();

    /** @param syncOffers the sweep's ring of the sync feed (the sweep is its only producer) */
    FastPathCounters(DataPlane plane, ChangeRing syncOffers) {
        this.plane = plane;
        this.syncOffers = syncOffers;
    }

    @Override
    public boolean wanted(long handle, int destId, long toReal, long toClient) {
        RuntimeDest dest = plane.dest(destId);
        if (dest == null || dest.removed) return false;
        if (!plane.connections().read(handle, entry, System.nanoTime())) return false;
        if (!FlowDescription.isV4Mapped(entry.virtualHi(), entry.virtualLo())) return wantedIpv6(toReal, toClient);
        // A VIP whose VRRP instance is not MASTER here: the Java path drops its packets (STANDBY), so must the kernel.
        if (plane.services().isStandby((int) entry.virtualLo())) return false;
        // Next hops that changed (a neighbour's new MAC, a route to another device): the Java path, which looks
        // them up per packet, mirrors the connection again with the new ones at its next packet.
        return sameHop(toReal, (int) entry.realLo())
                && (toClient == 0 || sameHop(toClient, (int) entry.clientLo()));
    }

    /** {@link #wanted} for an IPv6 connection (in {@link #entry}): the same rules, IPv6's VIPs and next hops. */
    private boolean wantedIpv6(long toReal, long toClient) {
        if (plane.services().ipv6().isStandby(entry.virtualHi(), entry.virtualLo())) return false;
        return sameHop6(toReal, entry.realHi(), entry.realLo())
                && (toClient == 0 || sameHop6(toClient, entry.clientHi(), entry.clientLo()));
    }

    private boolean sameHop6(long mirrored, long hi, long lo) {
        NextHop now = plane.ipv6NextHops().lookup(hi, lo);
        return Egress.unresolved(now) || FlowMirror.hop(now.dstMac(), now.ifIndex()) == mirrored;
    }

    /** Whether the next hop toward {@code address} is still {@code mirrored}; one being resolved again counts as so. */
    private boolean sameHop(long mirrored, int address) {
        NextHop now = plane.nextHops().lookup(address);
        return Egress.unresolved(now) || FlowMirror.hop(now.dstMac(), now.ifIndex()) == mirrored;
    }

    @Override
    public void visit(long handle, int destId, long inPackets, long inBytes, long outPackets, long outBytes) {
        RuntimeDest dest = plane.dest(destId);
        if (dest != null) {
            dest.counters.forwardedByKernel(inPackets, inBytes, outPackets, outBytes);
            dest.service.counters.forwardedByKernel(inPackets, inBytes, outPackets, outBytes);
        }
        ConnectionTable conns = plane.connections();
        long now = System.nanoTime();
        if (!conns.read(handle, entry, now)) return;
        if (inPackets != 0) {
            int direction = ConnFlags.method(entry) == ConnFlags.MASQ ? ConnectionTable.DIR_INPUT
                    : ConnectionTable.DIR_INPUT_ONLY;
            conns.onPacket(handle, direction, Tcp.ACK, now, syncOffers);
        }
        if (outPackets != 0) conns.onPacket(handle, ConnectionTable.DIR_OUTPUT, Tcp.ACK, now);
    }
}
