package io.jlvs.forwarder;

import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.net.NextHop;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.Layouts;

import java.lang.foreign.MemorySegment;

/**
 * The last steps every forwarding path shares once its next hop is known: the worker's port toward it, the
 * egress MTU check, the Ethernet address rewrite and the send, each failure counted under its drop reason.
 * Used by the NAT path, parked frames, direct routing and the tunnel. One per worker; allocation-free.
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
