package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.Checksums;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.IpFragments;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Ipv6;
import io.jlvs.packets.NatRewrite;
import io.jlvs.packets.Tcp;
import io.jlvs.packets.TcpOptions;
import io.jlvs.packets.TcpSplice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put64;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u8;

/**
 * The PROXY protocol v2 header (as HAProxy's send-proxy-v2) at the start of a FullNAT TCP stream toward the real
 * server, carrying the client's address and port and the VIP's, for IPv4 and IPv6 connections alike (TCP over
 * AF_INET, {@value #IPV4_HEADER_BYTES} bytes, or AF_INET6, {@value #IPV6_HEADER_BYTES}: the family of the client,
 * which is the server's). The header takes the server's sequence numbers ISN+1 .. ISN+length: the client's first
 * segment that carries data (or its FIN, if it sends none) goes out with the header before its payload, and so does
 * every retransmission of it (the same header, so the server sees one consistent stream); every later segment's
 * sequence number moves up by the header's length, and every acknowledgement (SACK edges included) from the server
 * moves down by it. The server's MSS announced to the client is lowered by the header's length, so the first
 * segment still fits the path with the header. A fragmented segment is shifted in its first fragment, which holds
 * the TCP header (the incremental checksum update is right for the whole datagram, which the checksum covers); its
 * later fragments have no TCP header and pass as they are. A fragmented segment the header would open cannot take
 * it (it would move every later fragment's offset): the header goes ahead in a segment of its own at the client's
 * first sequence number, and the fragmented segment follows it, shifted as every later segment is. One per worker
 * and path; a segment that grows, or the header's own segment, is written in a scratch buffer; allocation-free.
 */
final class ProxyHeaderInsertion {
    /** Signature, version and command, family and protocol, length, then two IPv4 addresses and two ports. */
    static final int IPV4_HEADER_BYTES = 16 + 12;
    /** The same with two IPv6 addresses. */
    static final int IPV6_HEADER_BYTES = 16 + 36;
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int VERSION_2_PROXY = 0x21, TCP_OVER_IPV4 = 0x11, TCP_OVER_IPV6 = 0x21;

    private final DropCounters drops;
    private final TcpOptions options = new TcpOptions();
    private MemorySegment scratch;
    /** The length of the header's own segment {@link #towardServer} last wrote ahead of a fragment; 0 for none. */
    private int ahead;

    ProxyHeaderInsertion(DropCounters drops) {
        this.drops = drops;
    }

    /** The header's length in a stream of IP version {@code ipVersion}. */
    static int headerBytes(int ipVersion) {
        return ipVersion == 6 ? IPV6_HEADER_BYTES : IPV4_HEADER_BYTES;
    }

    /** Writes the IPv4 header at {@code at}: client and VIP endpoints, as the client sent them. */
    static void write(MemorySegment seg, long at, int client, int clientPort, int vip, int vport) {
        writeStart(seg, at, TCP_OVER_IPV4, IPV4_HEADER_BYTES);
        put32(seg, at + 16, client);
        put32(seg, at + 20, vip);
        put16(seg, at + 24, clientPort);
        put16(seg, at + 26, vport);
    }

    /** Writes the IPv6 header at {@code at}: client and VIP endpoints, as the client sent them. */
    static void write6(MemorySegment seg, long at, long clientHi, long clientLo, int clientPort, long vipHi, long vipLo,
                       int vport) {
        writeStart(seg, at, TCP_OVER_IPV6, IPV6_HEADER_BYTES);
        put64(seg, at + 16, clientHi);
        put64(seg, at + 24, clientLo);
        put64(seg, at + 32, vipHi);
        put64(seg, at + 40, vipLo);
        put16(seg, at + 48, clientPort);
        put16(seg, at + 50, vport);
    }

    private static void writeStart(MemorySegment seg, long at, int familyAndProtocol, int headerBytes) {
        for (int i = 0; i < SIGNATURE.length; i++) put8(seg, at + i, SIGNATURE[i]);
        put8(seg, at + 12, VERSION_2_PROXY);
        put8(seg, at + 13, familyAndProtocol);
        put16(seg, at + 14, headerBytes - 16);
    }

    /**
     * A client's segment of the connection in {@code entry}, addresses already rewritten toward its server, its
     * checksum complete: the header inserted (the first byte of the stream), or the sequence number moved past it.
     * Returns the length of the frame with the header, written from 0 of {@link #inserted()} with the hop limit
     * (TTL) already decremented, to be sent as it is; 0 when the segment is to be routed as it is, in place; -1 when
     * it goes no further (counted). On 0, {@link #ahead()} tells whether the header's own segment is to be sent
     * first.
     */
    int towardServer(MemorySegment seg, long offset, int length, FlowDescription flow, int clientIsn,
                     ConnectionView entry) {
        ahead = 0;
        if (!flow.firstFragment) return 0; // no TCP header: its first fragment moved the datagram's numbers
        long l4 = flow.l4Offset;
        int flags = flow.tcpFlags;
        int relative = u32(seg, l4 + Tcp.SEQ) - (clientIsn + 1);
        long end = Math.min(flow.l4Offset + flow.l4Length, offset + length);
        // A first fragment carries data: its later fragments hold more of the segment.
        boolean carries = flow.fragment || flow.payloadOffset < end || (flags & Tcp.FIN) != 0;
        if ((flags & Tcp.SYN) != 0 || relative < 0 || (relative == 0 && !carries)) return 0;
        if (relative > 0 || flow.fragment) {
            if (!readOptions(seg, flow)) return -1;
            // A fragmented first segment: the header goes ahead on its own, with this segment's sequence number.
            if (relative == 0) writeAhead(seg, offset, flow, entry);
            TcpSplice.towardClient(seg, l4, options, -headerBytes(flow.ipVersion), 0, 0, false);
            return 0;
        }
        return insert(seg, offset, end, flow, entry);
    }

    /** The buffer {@link #towardServer} writes a segment with the header, or the header's own segment, into. */
    MemorySegment inserted() { return scratch(); }

    /**
     * After {@link #towardServer} returned 0: the length of the header's own segment, from 0 of {@link #inserted()},
     * to be sent ahead of the fragment, its hop limit (TTL) already decremented; 0 when there is none.
     */
    int ahead() { return ahead; }

    /**
     * The header's own segment, ahead of the first fragment of the segment it would open: the fragment's IP and TCP
     * headers, whole (no fragment header, no more-fragments flag), without FIN, carrying the header at the client's
     * first sequence number, its checksums computed over it. None when the hop limit runs out here: the fragment is
     * dropped for it too.
     */
    private void writeAhead(MemorySegment seg, long offset, FlowDescription flow, ConnectionView entry) {
        if (flow.ttl <= 1) return;
        boolean ipv6 = flow.ipVersion == 6;
        int header = headerBytes(flow.ipVersion);
        int tcpHeader = (int) (flow.payloadOffset - flow.l4Offset);
        MemorySegment out = scratch();
        long l3 = flow.l3Offset - offset;
        long l4;
        if (ipv6) { // the fragment header left out, the Next Header field that named it naming what it named
            long fragmentHeader = IpFragments.ipv6FragmentHeader(seg, flow);
            long naming = IpFragments.ipv6FieldNamingFragmentHeader(seg, flow);
            int before = (int) (fragmentHeader - offset);
            MemorySegment.copy(seg, offset, out, 0, before);
            long after = fragmentHeader + Ipv6.FRAGMENT_HEADER_LENGTH;
            MemorySegment.copy(seg, after, out, before, flow.payloadOffset - after);
            put8(out, naming - offset, u8(seg, fragmentHeader + Ipv6.FRAG_NEXT_HEADER));
            l4 = flow.l4Offset - offset - Ipv6.FRAGMENT_HEADER_LENGTH;
            put16(out, l3 + Ipv6.PAYLOAD_LENGTH, (int) (l4 - l3 - Ipv6.HEADER_LENGTH) + tcpHeader + header);
            put8(out, l3 + Ipv6.HOP_LIMIT, flow.ttl - 1);
            write6(out, l4 + tcpHeader, entry.clientHi(), entry.clientLo(), entry.clientPort(), entry.virtualHi(),
                    entry.virtualLo(), entry.virtualPort());
        } else {
            MemorySegment.copy(seg, offset, out, 0, flow.payloadOffset - offset);
            l4 = flow.l4Offset - offset;
            put16(out, l3 + Ipv4.TOTAL_LENGTH, flow.ipHeaderLength + tcpHeader + header);
            put16(out, l3 + Ipv4.FLAGS_FRAGMENT, u16(out, l3 + Ipv4.FLAGS_FRAGMENT) & Ipv4.FLAG_DF);
            put8(out, l3 + Ipv4.TTL, flow.ttl - 1);
            Checksums.fillIpv4Header(out, l3, flow.ipHeaderLength);
            write(out, l4 + tcpHeader, (int) entry.clientLo(), entry.clientPort(), (int) entry.virtualLo(),
                    entry.virtualPort());
        }
        put8(out, l4 + Tcp.FLAGS, u8(out, l4 + Tcp.FLAGS) & ~Tcp.FIN);
        put16(out, l4 + Tcp.CHECKSUM, 0);
        put16(out, l4 + Tcp.CHECKSUM, ipv6 ? Checksums.transportIpv6(out, l3, l4, tcpHeader + header, Ipv4.PROTO_TCP)
                : Checksums.transportIpv4(out, l3, l4, tcpHeader + header, Ipv4.PROTO_TCP));
        ahead = (int) (l4 + tcpHeader + header);
    }

    private int insert(MemorySegment seg, long offset, long end, FlowDescription flow, ConnectionView entry) {
        if (!NatRewrite.decrementTtl(seg, flow)) {
            drops.count(DropReason.TTL_EXPIRED);
            return -1;
        }
        boolean ipv6 = flow.ipVersion == 6;
        int header = headerBytes(flow.ipVersion);
        int before = (int) (flow.payloadOffset - offset);
        int payload = (int) (end - flow.payloadOffset);
        int grown = before + header + payload;
        MemorySegment out = scratch();
        if (grown > out.byteSize()) {
            drops.count(DropReason.OVERSIZE);
            return -1;
        }
        MemorySegment.copy(seg, offset, out, 0, before);
        if (ipv6) {
            write6(out, before, entry.clientHi(), entry.clientLo(), entry.clientPort(), entry.virtualHi(),
                    entry.virtualLo(), entry.virtualPort());
        } else {
            write(out, before, (int) entry.clientLo(), entry.clientPort(), (int) entry.virtualLo(), entry.virtualPort());
        }
        MemorySegment.copy(seg, flow.payloadOffset, out, before + header, payload);
        long l3 = flow.l3Offset - offset, l4 = flow.l4Offset - offset;
        int l4Length = (int) (grown - l4);
        put16(out, l4 + Tcp.CHECKSUM, 0);
        if (ipv6) {
            put16(out, l3 + Ipv6.PAYLOAD_LENGTH, u16(out, l3 + Ipv6.PAYLOAD_LENGTH) + header);
            put16(out, l4 + Tcp.CHECKSUM, Checksums.transportIpv6(out, l3, l4, l4Length, Ipv4.PROTO_TCP));
        } else {
            put16(out, l3 + Ipv4.TOTAL_LENGTH, u16(out, l3 + Ipv4.TOTAL_LENGTH) + header);
            Checksums.fillIpv4Header(out, l3, (u8(out, l3) & 0x0F) * 4);
            put16(out, l4 + Tcp.CHECKSUM, Checksums.transportIpv4(out, l3, l4, l4Length, Ipv4.PROTO_TCP));
        }
        return grown;
    }

    /**
     * A server's segment toward the client: its acknowledgement and SACK edges moved back below the header (an
     * acknowledgement of part of the header becomes one of the client's first byte), and on its SYN-ACK the MSS
     * lowered by the header's length. False when the segment goes no further (counted).
     */
    boolean towardClient(MemorySegment seg, FlowDescription flow, int clientIsn, boolean partial) {
        if (!flow.firstFragment) return true; // no TCP header: its first fragment moved the datagram's numbers
        long l4 = flow.l4Offset;
        int flags = flow.tcpFlags;
        if ((flags & Tcp.ACK) == 0) return true;
        if (!readOptions(seg, flow)) return false;
        int header = headerBytes(flow.ipVersion);
        if ((flags & Tcp.SYN) != 0) {
            if (options.mssAt >= 0 && options.mss > header) {
                int checksum = Checksums.update16(u16(seg, l4 + Tcp.CHECKSUM), options.mss, options.mss - header);
                put16(seg, options.mssAt, options.mss - header);
                if (!partial) put16(seg, l4 + Tcp.CHECKSUM, checksum);
            }
            return true;
        }
        int relative = u32(seg, l4 + Tcp.ACK_NUMBER) - (clientIsn + 1);
        if (relative <= 0) return true;
        TcpSplice.towardServer(seg, l4, options, -Math.min(relative, header), 0, partial);
        return true;
    }

    /**
     * In an ICMP or ICMPv6 error about a segment the director sent the server, the quoted segment as the client sent
     * it: a sequence number past the header moves back by the header's length (the segment that carried the header
     * kept the client's), the quoted TCP checksum with it when quoted. The error's own checksum is the caller's.
     */
    static void unshiftQuotedSequence(MemorySegment seg, FlowDescription flow, int clientIsn) {
        long ql4 = flow.innerL4Offset;
        long quoteEnd = flow.innerL3Offset + flow.icmpQuoteLength;
        if (ql4 < 0 || ql4 + Tcp.SEQ + 4 > quoteEnd) return;
        int header = headerBytes(flow.innerIpVersion);
        int seq = u32(seg, ql4 + Tcp.SEQ);
        if (seq - (clientIsn + 1) < header) return;
        int original = seq - header;
        put32(seg, ql4 + Tcp.SEQ, original);
        if (ql4 + Tcp.CHECKSUM + 2 <= quoteEnd) {
            put16(seg, ql4 + Tcp.CHECKSUM, Checksums.update32(u16(seg, ql4 + Tcp.CHECKSUM), seq, original));
        }
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
