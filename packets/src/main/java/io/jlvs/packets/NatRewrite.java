package io.jlvs.packets;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put64;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u64;
import static io.jlvs.packets.Layouts.u8;

import java.lang.foreign.MemorySegment;

/**
 * In-place IPv4 NAT rewrites of a parsed packet with incremental (RFC 1624) checksum updates, as IPVS's
 * masquerading does. The {@link FlowDescription} is kept in step with the bytes.
 *
 * <p>A packet whose transport checksum is CHECKSUM_PARTIAL holds only the pseudo-header sum in its checksum
 * field, so an incremental update of it would be wrong: for those, the caller passes {@code l4ChecksumPartial}
 * and the full checksum is computed after the rewrite.
 */
public final class NatRewrite {
    private NatRewrite() {}

    /** Rewrites destination address and (TCP/UDP) port. ICMP and other protocols get only the address. */
    public static void setIpv4Destination(MemorySegment seg, FlowDescription f, int newAddr, int newPort,
                                          boolean l4ChecksumPartial) {
        if (f.ipVersion != 4) return; // IPv4 offsets written into anything else would corrupt it
        if (!l4ChecksumPartial && f.protocol == Ipv4.PROTO_TCP && f.l4Offset == f.l3Offset + Ipv4.MIN_HEADER_LENGTH
                && f.l4Length >= Tcp.MIN_HEADER_LENGTH) {
            setTcpDestinationNoOptions(seg, f, newAddr, newPort);
        } else {
            setIpv4DestinationAnyShape(seg, f, newAddr, newPort, l4ChecksumPartial);
        }
    }

    /** {@link #setIpv4Destination} for any IPv4 packet (options, UDP, ICMP, partial checksums); tests call it too. */
    static void setIpv4DestinationAnyShape(MemorySegment seg, FlowDescription f, int newAddr, int newPort,
                                           boolean l4ChecksumPartial) {
        rewriteEndpoint(seg, f, true, newAddr, newPort, l4ChecksumPartial);
    }

    /**
     * The common case of a TCP segment after an IPv4 header without options: the address and both ports are one
     * 8-byte store, each checksum one 8-byte read and write. (Through the packet's own segment: a constant-length
     * slice saves bounds checks only where C2 scalar-replaces it, and costs an allocation per packet elsewhere.)
     */
    private static void setTcpDestinationNoOptions(MemorySegment seg, FlowDescription f, int newAddr, int newPort) {
        long l3 = f.l3Offset;
        int addrDelta = Checksums.addressDelta((int) f.dstLo, newAddr);
        int delta = addrDelta + Checksums.wordDelta(f.dstPort, newPort);
        long ipAt = l3 + Ipv4.CHECKSUM - 6;
        put64(seg, ipAt, Checksums.applyDeltaToWord(u64(seg, ipAt), addrDelta));
        put64(seg, l3 + Ipv4.DST, (long) newAddr << 32 | (long) f.srcPort << 16 | newPort);
        long tcpAt = l3 + Ipv4.MIN_HEADER_LENGTH + Tcp.CHECKSUM - 6;
        put64(seg, tcpAt, Checksums.applyDeltaToWord(u64(seg, tcpAt), delta));
        f.dstLo = FlowDescription.mappedLo(newAddr);
        f.dstPort = newPort;
    }

    /**
     * Rewrites both endpoints (FullNAT: the source to a local address, the destination to a server, and back). The
     * common TCP shape takes one 8-byte store for the addresses, one 4-byte store for the ports and one update of
     * each checksum; any other shape is rewritten as {@link #setIpv4Source} then {@link #setIpv4Destination}.
     */
    public static void setIpv4Endpoints(MemorySegment seg, FlowDescription f, int newSrc, int newSrcPort, int newDst,
                                        int newDstPort, boolean l4ChecksumPartial) {
        if (f.ipVersion != 4) return;
        if (l4ChecksumPartial || f.protocol != Ipv4.PROTO_TCP || f.l4Offset != f.l3Offset + Ipv4.MIN_HEADER_LENGTH
                || f.l4Length < Tcp.MIN_HEADER_LENGTH) {
            rewriteEndpoint(seg, f, false, newSrc, newSrcPort, l4ChecksumPartial);
            rewriteEndpoint(seg, f, true, newDst, newDstPort, l4ChecksumPartial);
            return;
        }
        long l3 = f.l3Offset;
        int addrDelta = Checksums.addressDelta((int) f.srcLo, newSrc) + Checksums.addressDelta((int) f.dstLo, newDst);
        int delta = addrDelta + Checksums.wordDelta(f.srcPort, newSrcPort) + Checksums.wordDelta(f.dstPort, newDstPort);
        updateHeaderChecksum(seg, l3, addrDelta);
        put64(seg, l3 + Ipv4.SRC, (long) newSrc << 32 | (newDst & 0xFFFF_FFFFL));
        put32(seg, l3 + Ipv4.MIN_HEADER_LENGTH, newSrcPort << 16 | newDstPort);
        long tcpAt = l3 + Ipv4.MIN_HEADER_LENGTH + Tcp.CHECKSUM - 6;
        put64(seg, tcpAt, Checksums.applyDeltaToWord(u64(seg, tcpAt), delta));
        f.srcLo = FlowDescription.mappedLo(newSrc);
        f.srcPort = newSrcPort;
        f.dstLo = FlowDescription.mappedLo(newDst);
        f.dstPort = newDstPort;
    }

    /** Rewrites source address and (TCP/UDP) port, e.g. a real server's reply leaving as the VIP. */
    public static void setIpv4Source(MemorySegment seg, FlowDescription f, int newAddr, int newPort,
                                     boolean l4ChecksumPartial) {
        if (f.ipVersion != 4) return;
        rewriteEndpoint(seg, f, false, newAddr, newPort, l4ChecksumPartial);
    }

    /**
     * Rewrites the destination or the source address and (TCP/UDP) port of an IPv4 packet of any shape. The old
     * values come from the parse (FlowDescription is kept in step with the bytes): no re-read.
     */
    private static void rewriteEndpoint(MemorySegment seg, FlowDescription f, boolean destination, int newAddr,
                                        int newPort, boolean l4ChecksumPartial) {
        int addrDelta = Checksums.addressDelta((int) (destination ? f.dstLo : f.srcLo), newAddr);
        long l3 = f.l3Offset;
        updateHeaderChecksum(seg, l3, addrDelta);
        put32(seg, l3 + (destination ? Ipv4.DST : Ipv4.SRC), newAddr);
        if (destination) f.dstLo = FlowDescription.mappedLo(newAddr); else f.srcLo = FlowDescription.mappedLo(newAddr);
        if (!hasPorts(f)) return;
        put16(seg, f.l4Offset + (destination ? Tcp.DST_PORT : Tcp.SRC_PORT), newPort);
        int portDelta = Checksums.wordDelta(destination ? f.dstPort : f.srcPort, newPort);
        if (destination) f.dstPort = newPort; else f.srcPort = newPort;
        updateTransportChecksum(seg, f, addrDelta + portDelta, l4ChecksumPartial);
    }

    /**
     * TCP and UDP only: a later fragment has no transport header (the first fragment's checksum covers it), and
     * ICMPv4 has no pseudo-header, so an address change leaves its checksum valid.
     */
    private static boolean hasPorts(FlowDescription f) {
        return f.l4Offset >= 0 && (f.protocol == Ipv4.PROTO_TCP || f.protocol == Ipv4.PROTO_UDP);
    }

    // The checksum updates read and write the 8 bytes that end with the checksum field rather than the field
    // alone: Layouts' 8-byte accessors are the cheapest segment accesses in JIT IR (each access is several
    // hundred nodes, and C2 stops inlining at 18000), which decides whether parse and rewrite compile into the
    // worker's loop as one piece.

    /** The IPv4 header checksum is the last 2 of the 8 bytes from offset 4 (identification ... checksum). */
    private static void updateHeaderChecksum(MemorySegment seg, long l3, int delta) {
        long at = l3 + Ipv4.CHECKSUM - 6;
        put64(seg, at, Checksums.applyDeltaToWord(u64(seg, at), delta));
    }

    /**
     * Updates the TCP/UDP checksum for {@code delta}, the change of the fields it covers (ports and, through the
     * pseudo-header, addresses); when the field holds only the pseudo-header sum (CHECKSUM_PARTIAL) the full
     * checksum is computed instead. The field ends the 8 bytes read: from 10 in TCP (acknowledgment ... checksum,
     * inside the 20-byte minimum header), from 0 in UDP (the whole header).
     */
    private static void updateTransportChecksum(MemorySegment seg, FlowDescription f, int delta, boolean partial) {
        if (partial) {
            Checksums.completePartial(seg, f);
            return;
        }
        boolean udp = f.protocol == Ipv4.PROTO_UDP;
        long at = f.l4Offset + (udp ? Udp.CHECKSUM : Tcp.CHECKSUM) - 6;
        long word = u64(seg, at);
        if (udp && (word & 0xFFFF) == 0) return; // the sender computed no UDP checksum: keep it so
        long updated = Checksums.applyDeltaToWord(word, delta);
        put64(seg, at, udp && (updated & 0xFFFF) == 0 ? updated | 0xFFFF : updated); // UDP sends 0 as 0xFFFF
    }

    /**
     * Decrements the IPv4 TTL (with the header checksum) or the IPv6 hop limit. Returns false, changing nothing,
     * when the packet must not be forwarded (TTL 1 or 0).
     */
    public static boolean decrementTtl(MemorySegment seg, FlowDescription f) {
        long l3 = f.l3Offset;
        if (f.ipVersion == 4) {
            int ttl = u8(seg, l3 + Ipv4.TTL);
            if (ttl <= 1) return false;
            int protocol = u8(seg, l3 + Ipv4.PROTOCOL);
            put8(seg, l3 + Ipv4.TTL, ttl - 1);
            put16(seg, l3 + Ipv4.CHECKSUM, Checksums.update16(u16(seg, l3 + Ipv4.CHECKSUM),
                    (ttl << 8) | protocol, ((ttl - 1) << 8) | protocol));
            f.ttl = ttl - 1;
            return true;
        }
        if (f.ipVersion == 6) {
            int hopLimit = u8(seg, l3 + Ipv6.HOP_LIMIT);
            if (hopLimit <= 1) return false;
            put8(seg, l3 + Ipv6.HOP_LIMIT, hopLimit - 1);
            f.ttl = hopLimit - 1;
            return true;
        }
        return false;
    }

    /**
     * In an ICMPv4 error, rewrites the quoted packet's source address and port (the packet the client's side
     * quotes was sent from the VIP; the real server must see its own address). Fixes the quoted IP header
     * checksum, the quoted transport checksum when it is within the quote, and the ICMP checksum. The outer IP
     * header's bytes are untouched, so its checksum stays valid; its destination is rewritten separately with
     * {@link #setIpv4Destination}. Does nothing when the packet is not a parsed IPv4 ICMP error.
     */
    public static void setIcmpInnerIpv4Source(MemorySegment seg, FlowDescription f, int newAddr, int newPort) {
        if (rewriteQuoted(seg, f, Ipv4.SRC, 0, newAddr, newPort)) {
            f.innerSrcLo = FlowDescription.mappedLo(newAddr);
            if (quotedHasPorts(f)) f.innerSrcPort = newPort;
        }
    }

    /** As {@link #setIcmpInnerIpv4Source} for the quoted packet's destination address and port. */
    public static void setIcmpInnerIpv4Destination(MemorySegment seg, FlowDescription f, int newAddr, int newPort) {
        if (rewriteQuoted(seg, f, Ipv4.DST, 2, newAddr, newPort)) {
            f.innerDstLo = FlowDescription.mappedLo(newAddr);
            if (quotedHasPorts(f)) f.innerDstPort = newPort;
        }
    }

    private static boolean quotedHasPorts(FlowDescription f) {
        return f.innerL4Offset >= 0 && (f.innerProtocol == Ipv4.PROTO_TCP || f.innerProtocol == Ipv4.PROTO_UDP);
    }

    private static boolean rewriteQuoted(MemorySegment seg, FlowDescription f, int addrField, int portField,
                                         int newAddr, int newPort) {
        if (!f.icmpError || f.ipVersion != 4 || f.innerIpVersion != 4 || f.innerL3Offset < 0) return false;
        long q = f.innerL3Offset;
        int oldAddr = u32(seg, q + addrField);
        put32(seg, q + addrField, newAddr);
        put16(seg, q + Ipv4.CHECKSUM, Checksums.update32(u16(seg, q + Ipv4.CHECKSUM), oldAddr, newAddr));
        long ql4 = f.innerL4Offset;
        if (quotedHasPorts(f)) {
            int oldPort = u16(seg, ql4 + portField);
            put16(seg, ql4 + portField, newPort);
            long quoteEnd = q + f.icmpQuoteLength;
            int field = Checksums.checksumFieldOffset(f.innerProtocol);
            if (ql4 + field + 2 <= quoteEnd) {
                int old = u16(seg, ql4 + field);
                if (!(f.innerProtocol == Ipv4.PROTO_UDP && old == 0)) {
                    int sum = Checksums.update16(Checksums.update32(old, oldAddr, newAddr), oldPort, newPort);
                    put16(seg, ql4 + field, sum == 0 && f.innerProtocol == Ipv4.PROTO_UDP ? 0xFFFF : sum);
                }
            }
        }
        // Errors are rare and short (at most 576 bytes): a full ICMP recomputation is simplest and exact.
        put16(seg, f.l4Offset + Icmp.CHECKSUM,
                Checksums.transportIpv4(seg, f.l3Offset, f.l4Offset, f.l4Length, Ipv4.PROTO_ICMP));
        return true;
    }
}
