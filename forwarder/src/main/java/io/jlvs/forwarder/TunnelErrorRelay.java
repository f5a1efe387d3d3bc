package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Icmpv6Errors;
import io.jlvs.packets.ParseStatus;
import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.MemorySegment;

/**
 * What the IPv4 and IPv6 handlers of errors about our tunnel packets share ({@link TunnelIcmpErrors},
 * {@link Ipv6TunnelIcmpErrors}): the tunnelled connection of the client packet an error quotes, the path MTU learnt
 * for its real server ({@link TunnelPathMtu}), and the error passed on to the client, written from the quoted packet
 * into a private buffer. The handlers keep what is of their family: reading the quote, the reply's format. One per
 * handler; allocation-free.
 */
final class TunnelErrorRelay {
    /** The quoted client packet's connection, as the handler fills it: protocol, client and virtual address. */
    final ConnectionParam key = new ConnectionParam();
    private final ConnectionView entry = new ConnectionView();
    private final FlowDescription quoted = new FlowDescription();
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[Icmpv6Errors.MAX_IP_LENGTH + 64]);
    private final DataPlane plane;
    private final ConnectionTable conns;
    private final Egress egress;
    private final DropCounters drops;

    TunnelErrorRelay(DataPlane plane, Egress egress, DropCounters drops) {
        this.plane = plane;
        this.conns = plane.connections();
        this.egress = egress;
        this.drops = drops;
    }

    /**
     * Learns {@code pathMtu} for the real server [realHi realLo] the error came about, when {@link #key}'s connection
     * is tunnelled to it and the MTU is at least {@code minPathMtu}: true then; false, counted as ICMP_UNRELATED,
     * otherwise (no such connection, another method or server, a forged or broken MTU).
     */
    boolean learn(long realHi, long realLo, int pathMtu, int minPathMtu, long now) {
        long conn = conns.lookup(key, ConnectionTable.DIR_INPUT, entry);
        if (conn < 0 || ConnFlags.method(entry) != ConnFlags.TUNNEL || entry.realHi() != realHi
                || entry.realLo() != realLo || pathMtu < minPathMtu) {
            drops.count(DropReason.ICMP_UNRELATED);
            return false;
        }
        RuntimeDest dest = plane.dest(entry.destId());
        if (dest != null) dest.tunnelPathMtu.learn(pathMtu, now);
        return true;
    }

    /** The worker's port toward the client's next hop, or null (counted NO_ROUTE). */
    PacketPort portToward(NextHop clientHop) {
        return egress.portTowardResolved(clientHop);
    }

    /** The quoted client packet at {@code inner}, {@code length} bytes of IP version {@code ipVersion}, as a flow. */
    FlowDescription quote(long inner, int length, int ipVersion) {
        quoted.reset();
        quoted.status = ParseStatus.OK;
        quoted.ipVersion = ipVersion;
        quoted.vlanId = -1;
        quoted.l3Offset = inner;
        quoted.ipTotalLength = length;
        return quoted;
    }

    /** The buffer the client's error is written into. */
    MemorySegment scratch() { return scratch; }

    /** Sends the client's error written into {@link #scratch()}, counted under {@code sent}. */
    void send(PacketPort out, int length, DropReason sent) {
        Egress.sendBuilt(out, scratch, length, drops, sent);
    }
}
