package io.jlvs.forwarder;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.SipCallId;
import io.jlvs.schedulers.Destination;

import java.lang.foreign.MemorySegment;

/**
 * A new flow's real server by its service's scheduler, for the IPv4 and IPv6 paths alike: first drop_packet
 * (ip_vs_todrop: one new connection in the defence's rate is dropped, counted down per worker); with {@code --pe sip} the
 * datagram's Call-ID places it (one without a Call-ID cannot be placed, as in IPVS), and a packet no server can take
 * is dropped and counted. One per pipeline: it reads the pipeline's parsed flow and keeps the Call-ID in its own
 * buffer, so choosing allocates nothing.
 */
final class ServerChoice {
    private static final int UDP = Ipv4.PROTO_UDP;

    private final DataPlane plane;
    private final FlowDescription flow;
    private final DropCounters drops;
    private int dropCountdown;
    private final byte[] callId = new byte[SipCallId.MAX_LENGTH];

    ServerChoice(DataPlane plane, FlowDescription flow, DropCounters drops) {
        this.plane = plane;
        this.flow = flow;
        this.drops = drops;
    }

    /** The server for the flow parsed from the frame at {@code offset}, or null when it was dropped (counted). */
    RuntimeDest choose(RuntimeService service, int proto, MemorySegment seg, long offset, int length, long now) {
        int dropRate = plane.defense().dropRate();
        if (dropRate > 0 && --dropCountdown <= 0) {
            dropCountdown = dropRate;
            drops.count(DropReason.DEFENSE);
            return null;
        }
        Destination server;
        if (service.sipPersistence) {
            int n = proto == UDP ? callIdLength(seg, offset, length) : -1;
            if (n < 0) {
                drops.count(DropReason.NO_CALL_ID);
                return null;
            }
            server = service.scheduler.schedule(flow, callId, n, now);
        } else {
            server = service.scheduler.schedule(flow, now);
        }
        if (server == null) {
            drops.count(DropReason.NO_SERVER);
            return null;
        }
        return (RuntimeDest) server.attachment();
    }

    private int callIdLength(MemorySegment seg, long offset, int length) {
        long end = Math.min(flow.l4Offset + flow.l4Length, offset + length);
        long payload = flow.payloadOffset;
        return payload < 0 || payload >= end ? -1 : SipCallId.find(seg, payload, (int) (end - payload), callId);
    }
}
