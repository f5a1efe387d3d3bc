package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.forwarder.fastpath.FlowMirror;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.net.Ipv6NextHopLookup;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.platform.packetio.PacketPort;

/**
 * What the XDP fast path forwarded, brought back into the Java side (the housekeeping's sweep, and a connection
 * taken back to the Java path): the real server's and the service's counters (ipvsadm --stats, the rates), and the
 * connection's timeout, re-armed as a packet would (an ACK of an established connection: its state stays), so that
 * expiry sees the activity. A connection that left the table, whose server was removed or whose VIP is on standby
 * here is not wanted in the fast path, nor one whose next hops or egress MTUs changed (an entry carries the longest
 * packet it lets through): its next packets reach the Java path, which handles them as IPVS does.
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
    public boolean wanted(long handle, int destId, long toReal, long toClient, int toRealMtu, int toClientMtu) {
        RuntimeDest dest = plane.dest(destId);
        if (dest == null || dest.removed) return false;
        if (!plane.connections().read(handle, entry, System.nanoTime())) return false;
        if (!FlowDescription.isV4Mapped(entry.virtualHi(), entry.virtualLo())) {
            return wantedIpv6(dest, toReal, toClient, toRealMtu, toClientMtu);
        }
        // A VIP whose VRRP instance is not MASTER here: the Java path drops its packets (STANDBY), so must the kernel.
        if (plane.services().isStandby((int) entry.virtualLo())) return false;
        // Next hops or egress MTUs that changed (a neighbour's new MAC, a route to another device, an interface's
        // MTU): the Java path, which looks them up per packet, mirrors the connection again with the new ones at its
        // next packet.
        NextHopLookup hops = plane.nextHops();
        boolean tunnel = ConnFlags.method(entry) == ConnFlags.TUNNEL;
        return same(toReal, toRealMtu, hops.lookup((int) entry.realLo()), tunnel, dest)
                && (toClient == 0 || same(toClient, toClientMtu, hops.lookup((int) entry.clientLo()), false, dest));
    }

    /** {@link #wanted} for an IPv6 connection (in {@link #entry}): the same rules, IPv6's VIPs and next hops. */
    private boolean wantedIpv6(RuntimeDest dest, long toReal, long toClient, int toRealMtu, int toClientMtu) {
        if (plane.services().ipv6().isStandby(entry.virtualHi(), entry.virtualLo())) return false;
        Ipv6NextHopLookup hops = plane.ipv6NextHops();
        return same(toReal, toRealMtu, hops.lookup(entry.realHi(), entry.realLo()), false, dest)
                && (toClient == 0 || same(toClient, toClientMtu, hops.lookup(entry.clientHi(), entry.clientLo()),
                        false, dest));
    }

    /**
     * Whether the next hop {@code now} is still the {@code mirrored} one and the entry's longest packet
     * ({@code mirroredMtu}) still what the Java path takes toward it ({@link FastPathHook#entryMtu}); a hop being
     * resolved again counts as unchanged.
     */
    private boolean same(long mirrored, int mirroredMtu, NextHop now, boolean tunnel, RuntimeDest dest) {
        if (Egress.unresolved(now)) return true;
        if (FlowMirror.hop(now.dstMac(), now.ifIndex()) != mirrored) return false;
        WorkerPorts ports = plane.egressPorts();
        PacketPort port = ports == null ? null : ports.byIfIndex(now.ifIndex());
        return port == null || FastPathHook.entryMtu(tunnel, now, port, dest, System.nanoTime()) == mirroredMtu;
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
