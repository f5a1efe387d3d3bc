package io.jlvs.forwarder;

import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.NatRewrite;
import io.jlvs.packets.Tcp;
import io.jlvs.packets.TcpOptions;
import io.jlvs.packets.TcpSplice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u8;

/**
 * The PROXY protocol v2 header (as HAProxy's send-proxy-v2) at the start of a FullNAT TCP stream toward the real
 * server, carrying the client's address and port and the VIP's. The header takes the server's sequence numbers
 * ISN+1 .. ISN+{@value #HEADER_BYTES}: the client's first segment that carries data (or its FIN, if it sends
 * none) goes out with the header before its payload, and so does every retransmission of it (the same header,
 * so the server sees one consistent stream); every later segment's sequence number moves up by the header's
 * length, and every acknowledgement (SACK edges included) from the server moves down by it. The server's MSS
 * announced to the client is lowered by the header's length, so the first segment still fits the path with
 * the header. One per worker; a segment that grows is written in a scratch buffer of its own; allocation-free.
 */
final class ProxyHeaderInsertion {
    /** Signature, version and command, family and protocol, length, then two IPv4 addresses and two ports. */
    static final int HEADER_BYTES = 16 + 12;
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int VERSION_2_PROXY = 0x21, TCP_OVER_IPV4 = 0x11;

    private final NatTransmitter nat;
    private final DropCounters drops;
    private final TcpOptions options = new TcpOptions();
    private MemorySegment scratch;

    ProxyHeaderInsertion(NatTransmitter nat, DropCounters drops) {
        this.nat = nat;
        this.drops = drops;
    }

    /** Writes the header at {@code at}: client and VIP endpoints, as the client sent them. */
    static void write(MemorySegment seg, long at, int client, int clientPort, int vip, int vport) {
        for (int i = 0; i < SIGNATURE.length; i++) put8(seg, at + i, SIGNATURE[i]);
        put8(seg, at + 12, VERSION_2_PROXY);
        put8(seg, at + 13, TCP_OVER_IPV4);
        put16(seg, at + 14, 12);
        put32(seg, at + 16, client);
        put32(seg, at + 20, vip);
        put16(seg, at + 24, clientPort);
        put16(seg, at + 26, vport);
    }

    /**
     * A client's segment, addresses already rewritten toward the server at {@code real}: the header inserted (the
     * first byte of the stream), or the sequence number moved past it, then routed.
     */
    void towardServer(MemorySegment seg, long offset, int length, FlowDescription flow, int clientIsn, int client,
                      int clientPort, int vip, int vport, boolean partial, int real, long now) {
        long l4 = flow.l4Offset;
        int flags = flow.tcpFlags;
        int relative = u32(seg, l4 + Tcp.SEQ) - (clientIsn + 1);
        long end = Math.min(flow.l4Offset + flow.l4Length, offset + length);
        boolean carries = flow.payloadOffset < end || (flags & Tcp.FIN) != 0;
        if ((flags & Tcp.SYN) != 0 || relative < 0 || (relative == 0 && !carries)) {
            nat.route(seg, offset, length, real, now);
            return;
        }
        if (relative > 0) {
            if (!readOptions(seg, flow)) return;
            TcpSplice.towardClient(seg, l4, options, -HEADER_BYTES, 0, 0, partial);
            nat.route(seg, offset, length, real, now);
            return;
        }
        insert(seg, offset, length, end, flow, client, clientPort, vip, vport, real, now);
    }

    private void insert(MemorySegment seg, long offset, int length, long end, FlowDescription flow, int client,
                        int clientPort, int vip, int vport, int real, long now) {
        if (!NatRewrite.decrementTtl(seg, flow)) {
            drops.count(DropReason.TTL_EXPIRED);
            return;
        }
        int before = (int) (flow.payloadOffset - offset);
        int payload = (int) (end - flow.payloadOffset);
        int grown = before + HEADER_BYTES + payload;
        MemorySegment out = scratch();
        if (grown > out.byteSize()) {
            drops.count(DropReason.OVERSIZE);
            return;
        }
        MemorySegment.copy(seg, offset, out, 0, before);
        write(out, before, client, clientPort, vip, vport);
        MemorySegment.copy(seg, flow.payloadOffset, out, before + HEADER_BYTES, payload);
        long l3 = flow.l3Offset - offset, l4 = flow.l4Offset - offset;
        int ipHeader = (u8(out, l3) & 0x0F) * 4;
        put16(out, l3 + Ipv4.TOTAL_LENGTH, u16(out, l3 + Ipv4.TOTAL_LENGTH) + HEADER_BYTES);
        Checksums.fillIpv4Header(out, l3, ipHeader);
        int l4Length = (int) (grown - l4);
        put16(out, l4 + Tcp.CHECKSUM, 0);
        put16(out, l4 + Tcp.CHECKSUM, Checksums.transportIpv4(out, l3, l4, l4Length, Ipv4.PROTO_TCP));
        nat.send(out, 0, grown, real, now);
    }

    /**
     * A server's segment toward the client: its acknowledgement and SACK edges moved back below the header (an
     * acknowledgement of part of the header becomes one of the client's first byte), and on its SYN-ACK the MSS
     * lowered by the header's length. False when the segment goes no further (counted).
     */
    boolean towardClient(MemorySegment seg, FlowDescription flow, int clientIsn, boolean partial) {
        long l4 = flow.l4Offset;
        int flags = flow.tcpFlags;
        if ((flags & Tcp.ACK) == 0) return true;
        if (!readOptions(seg, flow)) return false;
        if ((flags & Tcp.SYN) != 0) {
            if (options.mssAt >= 0 && options.mss > HEADER_BYTES) {
                int checksum = Checksums.update16(u16(seg, l4 + Tcp.CHECKSUM), options.mss, options.mss - HEADER_BYTES);
                put16(seg, options.mssAt, options.mss - HEADER_BYTES);
                if (!partial) put16(seg, l4 + Tcp.CHECKSUM, checksum);
            }
            return true;
        }
        int relative = u32(seg, l4 + Tcp.ACK_NUMBER) - (clientIsn + 1);
        if (relative <= 0) return true;
        TcpSplice.towardServer(seg, l4, options, -Math.min(relative, HEADER_BYTES), 0, partial);
        return true;
    }

    private boolean readOptions(MemorySegment seg, FlowDescription flow) {
        if (options.parse(seg, flow.l4Offset, (int) (flow.payloadOffset - flow.l4Offset))) return true;
        drops.count(DropReason.MALFORMED);
        return false;
    }

    private MemorySegment scratch() {
        if (scratch == null) scratch = Arena.global().allocate(65536 + 128, 64);
        return scratch;
    }
}
