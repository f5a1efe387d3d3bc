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
 * by the director, its later segments moved into the client's spaces. A fragmented segment is spliced in its first
 * fragment, which holds the whole TCP header: the shifts and their incremental checksum update are right for the
 * datagram, since the checksum covers it all; later fragments carry no TCP header and go on with their first's
 * ports and the NAT rewrite alone. A first fragment that goes no further (the server has not answered yet: it is
 * not held, since its later fragments are already on their way) takes its datagram's later fragments with it
 * ({@link FragmentTracker#refuseLaterFragments}). Reads the worker's {@link FlowDescription} of the current frame;
 * the caller's connection entry is passed in. One per worker; allocation-free.
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
    private final FragmentTracker fragments;

    SynProxySegments(DataPlane plane, ChangeRing changes, FlowDescription flow, SynProxy synProxy, HeldSegments held,
                     FragmentTracker fragments, DropCounters drops) {
        this.plane = plane;
        this.conns = plane.connections();
        this.changes = changes;
        this.flow = flow;
        this.synProxy = synProxy;
        this.held = held;
        this.fragments = fragments;
        this.drops = drops;
    }

    /**
     * A client's segment of a connection the SYN proxy opened: moved into the server's spaces. False while the
     * server has not answered yet: a segment with data is held until it has (HeldSegments), a second one (the
     * client retransmitting), a fragment, or one that finds no room is dropped and counted, and the server's SYN is
     * repeated.
     *
     * @param frameStatus the frame's status bits, kept with a held copy
     */
    boolean towardServer(long conn, ConnectionView entry, MemorySegment seg, long offset, int length, int frameStatus,
                         boolean partial, PacketPort rxPort, long now) {
        boolean forwarded = spliceTowardServer(conn, entry, seg, offset, length, frameStatus, partial, rxPort, now);
        if (!forwarded && flow.fragment) fragments.refuseLaterFragments();
        return forwarded;
    }

    private boolean spliceTowardServer(long conn, ConnectionView entry, MemorySegment seg, long offset, int length,
                                       int frameStatus, boolean partial, PacketPort rxPort, long now) {
        SynProxyStates states = plane.synProxyStates();
        int slot = (int) conn;
        if (spliceLost(states, slot)) return false;
        if (!flow.firstFragment) return laterFragmentSpliced(states, slot);
        if (!synProxy.readOptions(seg, flow)) return false;
        if (states.state(slot) != SynProxyStates.SPLICED) {
            boolean carries = flow.fragment || flow.payloadOffset < flow.l4Offset + flow.l4Length
                    || (flow.tcpFlags & Tcp.FIN) != 0;
            if (carries && !flow.fragment && !held.holds(conn)
                    && held.hold(conn, seg, offset, length, frameStatus, rxPort, now)) {
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
        boolean forwarded = spliceTowardClient(conn, entry, seg, partial, now);
        if (!forwarded && flow.fragment) fragments.refuseLaterFragments();
        return forwarded;
    }

    private boolean spliceTowardClient(long conn, ConnectionView entry, MemorySegment seg, boolean partial, long now) {
        SynProxyStates states = plane.synProxyStates();
        int slot = (int) conn;
        if (spliceLost(states, slot)) return false;
        if (!flow.firstFragment) return laterFragmentSpliced(states, slot);
        if (!synProxy.readOptions(seg, flow)) return false;
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
     * A later fragment (no TCP header) goes on, with the NAT rewrite alone, once its connection is spliced: its first
     * fragment then was (any other first fragment refused it, {@link FragmentTracker#refuseLaterFragments}).
     * Otherwise it is dropped and counted.
     */
    private boolean laterFragmentSpliced(SynProxyStates states, int slot) {
        if (states.state(slot) == SynProxyStates.SPLICED) return true;
        drops.count(DropReason.FRAGMENT);
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
