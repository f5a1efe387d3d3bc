package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.net.NextHop;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Layouts;
import io.jlvs.packets.NatRewrite;

import java.lang.foreign.MemorySegment;

/**
 * The last steps every forwarding path shares once its next hop is known, for IPv4 and IPv6 alike: the worker's
 * port toward it, the egress MTU check, the TTL or hop limit, the Ethernet address rewrite and the send, each
 * failure counted under its drop reason; and the send of a reply built in a worker's buffer. Used by the NAT path,
 * parked frames, direct routing, the tunnels, their ICMP errors and the responders. One per worker;
 * allocation-free.
 */
final class Egress {
    private final WorkerPorts ports;
    private final DropCounters drops;

    Egress(WorkerPorts ports, DropCounters drops) {
        this.ports = ports;
        this.drops = drops;
    }

    /** True when {@code hop} cannot be used yet: no route, or its neighbour's MAC is still being resolved. */
    static boolean unresolved(NextHop hop) {
        return hop == null || hop.dstMac() == 0;
    }

    /** This worker's port toward {@code hop}, or null (counted as NO_ROUTE) when the worker has no such port. */
    PacketPort portToward(NextHop hop) {
        PacketPort out = ports.byIfIndex(hop.ifIndex());
        if (out == null) drops.count(DropReason.NO_ROUTE);
        return out;
    }

    /**
     * This worker's port toward {@code hop}, or null, counted as NO_ROUTE, when the hop is not resolved (no route,
     * or its neighbour's MAC still unknown) or the worker has no port there.
     */
    PacketPort portTowardResolved(NextHop hop) {
        if (unresolved(hop)) {
            drops.count(DropReason.NO_ROUTE);
            return null;
        }
        return portToward(hop);
    }

    /** The MTU of the path through {@code hop} and {@code out}, no more than {@code learntPathMtu}. */
    static int pathMtu(NextHop hop, PacketPort out, int learntPathMtu) {
        return Math.min(Math.min(hop.mtu() > 0 ? hop.mtu() : out.mtu(), out.mtu()), learntPathMtu);
    }

    /**
     * Readies a parsed packet that goes on with its addresses unchanged (direct routing, the tunnels' inner packet):
     * TTL or hop limit decremented, false (counted TTL_EXPIRED) when it ran out; a partial transport checksum (a
     * local sender's offload) completed, since the server would drop it otherwise.
     */
    boolean passesOn(MemorySegment seg, FlowDescription flow, boolean partialChecksum) {
        if (!NatRewrite.decrementTtl(seg, flow)) {
            drops.count(DropReason.TTL_EXPIRED);
            return false;
        }
        if (partialChecksum) Checksums.completePartial(seg, flow);
        return true;
    }

    /**
     * Queues a frame built in a worker-private buffer: {@code length} at most 0 means the builder refused it
     * (counted MALFORMED); otherwise counted under {@code sent} (unless null), and TX_FULL when out's ring is full.
     */
    static void sendBuilt(PacketPort out, MemorySegment frame, int length, DropCounters drops, DropReason sent) {
        if (length <= 0) {
            drops.count(DropReason.MALFORMED);
            return;
        }
        if (sent != null) drops.count(sent);
        if (!out.send(frame, 0, length)) drops.count(DropReason.TX_FULL);
    }

    /** Whether an IP packet of {@code ipLength} bytes fits {@code out}'s MTU; counts OVERSIZE when not. */
    boolean fits(PacketPort out, int ipLength) {
        if (ipLength <= out.mtu()) return true;
        drops.count(DropReason.OVERSIZE);
        return false;
    }

    /** Addresses the frame at {@code frame} from {@code out} to the next hop's MAC. */
    static void writeMacs(MemorySegment seg, long frame, NextHop hop, PacketPort out) {
        Layouts.putMac(seg, frame + Ethernet.DST_MAC, hop.dstMac());
        Layouts.putMac(seg, frame + Ethernet.SRC_MAC, out.mac());
    }

    /** Queues the frame on {@code out}; counts TX_FULL when its ring has no room. */
    void send(PacketPort out, MemorySegment seg, long frame, int length) {
        if (!out.send(seg, frame, length)) drops.count(DropReason.TX_FULL);
    }

    /** For a frame ready but for its MACs, toward a resolved {@code hop}: port, MTU check, MACs, send. */
    void forward(MemorySegment seg, long frame, int length, int ipLength, NextHop hop) {
        PacketPort out = portToward(hop);
        if (out == null || !fits(out, ipLength)) return;
        writeMacs(seg, frame, hop, out);
        send(out, seg, frame, length);
    }
}
