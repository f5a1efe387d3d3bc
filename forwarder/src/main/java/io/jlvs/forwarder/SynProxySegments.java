package io.jlvs.forwarder;

import io.jlvs.connections.ChangeRing;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Tcp;
import io.jlvs.platform.packetio.PacketPort;

import java.lang.foreign.MemorySegment;

/**
 * The segments of connections the SYN proxy opened, on the per-frame path of either family: a client's moved into
 * the server's sequence and timestamp spaces (held while the server has not answered), a server's SYN-ACK answered
 * by the director, its later segments moved into the client's spaces. Reads the worker's {@link FlowDescription} of
 * the current frame; the caller's connection entry is passed in. One per worker; allocation-free.
 */
final class SynProxySegments {
    private static final int SYN = Tcp.SYN, ACK = Tcp.ACK, RST = Tcp.RST;

    private final DataPlane plane;
    private final ConnectionTable conns;
    private final ChangeRing changes;
    private final FlowDescription flow;
    private final SynProxy synProxy;
    private final HeldSegments held;
    private final DropCounters drops;

    SynProxySegments(DataPlane plane, ChangeRing changes, FlowDescription flow, SynProxy synProxy, HeldSegments held,
                     DropCounters drops) {
        this.plane = plane;
        this.conns = plane.connections();
        this.changes = changes;
        this.flow = flow;
        this.synProxy = synProxy;
        this.held = held;
        this.drops = drops;
    }

    /**
     * A client's segment of a connection the SYN proxy opened: moved into the server's spaces. False while the
     * server has not answered yet: a segment with data is held until it has (HeldSegments), a second one (the
     * client retransmitting) or one that finds no room is dropped and counted, and the server's SYN is repeated.
     *
     * @param frameStatus the frame's status bits, kept with a held copy
     */
    boolean towardServer(long conn, ConnectionView entry, MemorySegment seg, long offset, int length, int frameStatus,
                         boolean partial, PacketPort rxPort, long now) {
        SynProxyStates states = plane.synProxyStates();
        int slot = (int) conn;
        if (flow.fragment) { // its sequence numbers are rewritten, and a later fragment has none
            drops.count(DropReason.FRAGMENT);
            return false;
        }
        if (spliceLost(states, slot) || !synProxy.readOptions(seg, flow)) return false;
        if (states.state(slot) != SynProxyStates.SPLICED) {
            boolean carries = flow.payloadOffset < flow.l4Offset + flow.l4Length || (flow.tcpFlags & Tcp.FIN) != 0;
            if (carries && !held.holds(conn) && held.hold(conn, seg, offset, length, frameStatus, rxPort, now)) {
                return false;
            }
            drops.count(DropReason.SYNPROXY_OPENING);
            if (carries) synProxy.sendServerSyn(states, slot, flow, entry);
            return false;
        }
        synProxy.towardServer(states, slot, seg, flow, partial);
        return true;
    }

    /**
     * A server's segment of a connection the SYN proxy opened: its SYN-ACK completes the server's handshake (the
     * director answers it, the client never sees it); later segments move into the client's spaces. False when
     * the segment goes no further.
     */
    boolean towardClient(long conn, ConnectionView entry, MemorySegment seg, boolean partial, long now) {
        SynProxyStates states = plane.synProxyStates();
        int slot = (int) conn;
        if (flow.fragment) {
            drops.count(DropReason.FRAGMENT);
            return false;
        }
        if (spliceLost(states, slot) || !synProxy.readOptions(seg, flow)) return false;
        if (states.state(slot) == SynProxyStates.SPLICED) {
            synProxy.towardClient(states, slot, seg, flow, partial);
            return true;
        }
        if ((flow.tcpFlags & (SYN | ACK | RST)) == (SYN | ACK)) {
            conns.onPacket(conn, ConnectionTable.DIR_OUTPUT, flow.tcpFlags, now, changes);
            synProxy.serverAnswered(states, slot, seg, flow, entry);
            conns.onPacket(conn, ConnectionTable.DIR_INPUT, ACK, now, changes);
        } else {
            drops.count(DropReason.SYNPROXY_OPENING);
        }
        return false;
    }

    /**
     * Whether a connection the SYN proxy opened has no record of its splice (learnt from a sync master that sent
     * none, or re-attached from a daemon that kept none): it cannot be joined (counted; it ends when it times out).
     */
    private boolean spliceLost(SynProxyStates states, int slot) {
        if (states != null && states.state(slot) != SynProxyStates.NONE) return false;
        drops.count(DropReason.SYNPROXY_LOST);
        return true;
    }
}
