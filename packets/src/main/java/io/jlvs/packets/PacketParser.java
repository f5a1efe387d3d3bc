package io.jlvs.packets;

import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u64;
import static io.jlvs.packets.Layouts.u8;

import java.lang.foreign.MemorySegment;

/**
 * One pass over a frame that fills a {@link FlowDescription}. Reads in place, allocates nothing, and never reads
 * outside {@code [frameOffset, frameOffset + frameLength)}: every header is bounds-checked against the frame (and
 * IP packets against their own length field) before a byte of it is read. Malformed input yields a
 * {@link ParseStatus} reason code; nothing is thrown.
 *
 * <p>Cost discipline: each header is read with a few wide loads, and every field of the description is stored
 * once per parse. The JIT cannot drop a store that precedes a raw memory read (it may alias), so a blanket
 * {@code reset()} followed by the real values would store every field twice: instead each layer writes all of
 * its fields on every path (values or defaults), and the groups a typical frame does not touch (ARP, quoted
 * packet of an ICMP error) are cleared only when the previous parse filled them.
 */
public final class PacketParser {
    /** The fast path reads the 24 bytes from the IPv4 header on (TCP: 34) before it knows the frame holds them. */
    private static final int FAST_MIN_FRAME = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH + 4;
    /** What {@link #walkIpv6Extensions} returns for a chain it refuses; every other result is non-negative. */
    private static final long TOO_MANY_EXTENSIONS = -1, TRUNCATED_EXTENSION = -2;
    private static final int WALK_PROTOCOL_SHIFT = 32, WALK_FRAGMENT_OFFSET_SHIFT = 41;
    private static final long WALK_FRAGMENT_SEEN = 1L << 40;

    private PacketParser() {}

    /** Parses an Ethernet frame (optionally 802.1Q tagged). Returns the status, also stored in {@code out.status}. */
    public static int parse(MemorySegment seg, long frameOffset, int frameLength, FlowDescription out) {
        clearDirtyGroups(out);
        if (frameLength >= FAST_MIN_FRAME && frameOffset >= 0
                && frameOffset + frameLength <= seg.byteSize()
                && parseCommonShape(seg, frameOffset, frameLength, out)) {
            return ParseStatus.OK;
        }
        return parseAnyShape(seg, frameOffset, frameLength, out);
    }

    /**
     * The frame almost every packet is: untagged Ethernet, IPv4 without options, not a later fragment, TCP or UDP
     * with a valid header. Five reads and straight-line stores (four reads for UDP), with no call that C2 might
     * not inline: it stays small enough to compile into its caller with a NAT rewrite after it. Anything else,
     * valid or not, returns false having stored nothing, and the general parser (the reference: tests check that
     * both give the same description) takes the frame. The caller has checked the frame is inside the segment
     * and at least {@link #FAST_MIN_FRAME} bytes long.
     */
    private static boolean parseCommonShape(MemorySegment seg, long frame, int frameLength, FlowDescription out) {
        long l3 = frame + Ethernet.HEADER_LENGTH;
        int type = u16(seg, frame + Ethernet.ETHER_TYPE);
        long w0 = u64(seg, l3);                 // version|IHL, TOS, total length, identification, flags|offset
        long w1 = u64(seg, l3 + Ipv4.TTL);      // TTL, protocol, checksum, source
        long w2 = u64(seg, l3 + Ipv4.DST);      // destination, then (IHL 5) the transport's two ports
        int totalLength = (int) (w0 >>> 32) & 0xFFFF;
        int protocol = (int) (w1 >>> 48) & 0xFF;
        int flagsFragment = (int) w0 & 0xFFFF;
        if (type != Ethernet.TYPE_IPV4 || (int) (w0 >>> 56) != 0x45
                || totalLength > frameLength - Ethernet.HEADER_LENGTH
                || (flagsFragment & Ipv4.FRAGMENT_OFFSET_MASK) != 0) {
            return false;
        }
        return parseCommonTransport(seg, frame, frameLength, w0, w1, w2, totalLength, protocol, out);
    }

    // Apart from parseCommonShape so that each stays under C2's hot-inlining size (FreqInlineSize, 325 bytes).
    private static boolean parseCommonTransport(MemorySegment seg, long frame, int frameLength, long w0, long w1,
                                                long w2, int totalLength, int protocol, FlowDescription out) {
        long l3 = frame + Ethernet.HEADER_LENGTH;
        long l4 = l3 + Ipv4.MIN_HEADER_LENGTH;
        int l4Length = totalLength - Ipv4.MIN_HEADER_LENGTH;
        int tcpFlags;
        long payload;
        if (protocol == Ipv4.PROTO_TCP) {
            if (l4Length < Tcp.MIN_HEADER_LENGTH) return false;
            int offsetFlags = u16(seg, l4 + Tcp.DATA_OFFSET); // inside the frame: total length <= available
            int dataOffset = (offsetFlags >>> 12) << 2;
            if (dataOffset < Tcp.MIN_HEADER_LENGTH || dataOffset > l4Length) return false;
            tcpFlags = offsetFlags & 0xFF;
            payload = l4 + dataOffset;
        } else if (protocol == Ipv4.PROTO_UDP) {
            if (l4Length < Udp.HEADER_LENGTH) return false;
            tcpFlags = 0;
            payload = l4 + Udp.HEADER_LENGTH;
        } else {
            return false;
        }
        if (!out.commonShapeSet) setCommonShapeConstants(out);
        int flagsFragment = (int) w0 & 0xFFFF;
        int ports = (int) w2;
        out.frameOffset = frame;
        out.frameLength = frameLength;
        out.l3Offset = l3;
        out.ipTotalLength = totalLength;
        out.tos = (int) (w0 >>> 48) & 0xFF;
        out.ttl = (int) (w1 >>> 56);
        out.protocol = protocol;
        out.srcLo = FlowDescription.mappedLo((int) w1);
        out.dstLo = FlowDescription.mappedLo((int) (w2 >>> 32));
        out.dontFragment = (flagsFragment & Ipv4.FLAG_DF) != 0;
        out.fragment = (flagsFragment & Ipv4.FLAG_MF) != 0; // a first fragment: its transport header is here
        out.l4Offset = l4;
        out.l4Length = l4Length;
        out.srcPort = ports >>> 16;
        out.dstPort = ports & 0xFFFF;
        out.tcpFlags = tcpFlags;
        out.payloadOffset = payload;
        return true;
    }

    /**
     * The fields every frame of the common shape has the same value in. A store costs about a cycle on these
     * machines, a third of the fast path: they are written when the previous parse was not of the common shape
     * (FlowDescription.commonShapeSet, cleared by the general parser and by reset), not for every frame.
     */
    private static void setCommonShapeConstants(FlowDescription out) {
        out.status = ParseStatus.OK;
        out.vlanId = -1;
        out.etherType = Ethernet.TYPE_IPV4;
        out.ipVersion = 4;
        out.ipHeaderLength = Ipv4.MIN_HEADER_LENGTH;
        out.srcHi = 0;
        out.dstHi = 0;
        out.fragmentOffset = 0;
        out.firstFragment = true;
        out.icmpType = 0;
        out.icmpCode = 0;
        out.commonShapeSet = true;
    }

    /**
     * Parses any frame: the reference that {@link #parse} hands every frame to that is not of the common shape.
     * Package-private so that tests can compare the two.
     */
    static int parseAnyShape(MemorySegment seg, long frameOffset, int frameLength, FlowDescription out) {
        out.commonShapeSet = false;
        out.frameOffset = frameOffset;
        out.frameLength = frameLength;
        clearDirtyGroups(out);
        int status;
        if (frameOffset < 0 || frameLength < 0 || frameOffset + frameLength > seg.byteSize()) {
            status = clearFromLink(out, ParseStatus.BAD_FRAME_BOUNDS);
        } else {
            try {
                status = parseEthernet(seg, frameOffset, frameLength, out);
            } catch (RuntimeException bug) {
                // The checks make this unreachable; kept so a parser bug cannot kill a worker thread.
                status = internalError(out, frameOffset, frameLength);
            }
        }
        out.status = status;
        return status;
    }

    /**
     * Parses a bare IP packet (no link header), e.g. the inner packet of a tunnel. The version nibble chooses
     * IPv4 or IPv6; etherType is set accordingly.
     */
    public static int parseIp(MemorySegment seg, long l3Offset, int length, FlowDescription out) {
        out.commonShapeSet = false;
        out.frameOffset = l3Offset;
        out.frameLength = length;
        clearDirtyGroups(out);
        int status;
        if (l3Offset < 0 || length < 1 || l3Offset + length > seg.byteSize()) {
            status = clearFromLink(out, length < 1 ? ParseStatus.TRUNCATED_IPV4 : ParseStatus.BAD_FRAME_BOUNDS);
        } else {
            try {
                out.vlanId = -1;
                out.l3Offset = l3Offset;
                int version = u8(seg, l3Offset) >>> 4;
                if (version == 4) {
                    out.etherType = Ethernet.TYPE_IPV4;
                    status = parseIpv4(seg, l3Offset, length, out);
                } else if (version == 6) {
                    out.etherType = Ethernet.TYPE_IPV6;
                    status = parseIpv6(seg, l3Offset, length, out);
                } else {
                    out.etherType = 0;
                    status = failIp(out, ParseStatus.BAD_IP_VERSION);
                }
            } catch (RuntimeException bug) {
                status = internalError(out, l3Offset, length);
            }
        }
        out.status = status;
        return status;
    }

    private static void clearDirtyGroups(FlowDescription out) {
        int dirty = out.dirtyGroups;
        if (dirty != 0) {
            if ((dirty & FlowDescription.DIRTY_ARP) != 0) out.clearArp();
            if ((dirty & FlowDescription.DIRTY_ICMP_ERROR) != 0) out.clearIcmpError();
            out.dirtyGroups = 0;
        }
    }

    private static int clearFromLink(FlowDescription out, int status) {
        out.vlanId = -1;
        out.etherType = 0;
        out.l3Offset = 0;
        return failIp(out, status);
    }

    private static int failIp(FlowDescription out, int status) {
        out.clearIp();
        out.clearTransport();
        return status;
    }

    private static int internalError(FlowDescription out, long offset, int length) {
        out.reset();
        out.frameOffset = offset;
        out.frameLength = length;
        return ParseStatus.INTERNAL_ERROR;
    }

    private static int parseEthernet(MemorySegment seg, long frame, int frameLength, FlowDescription out) {
        if (frameLength < Ethernet.HEADER_LENGTH) return clearFromLink(out, ParseStatus.TRUNCATED_ETHERNET);
        int type = u16(seg, frame + Ethernet.ETHER_TYPE);
        long l3 = frame + Ethernet.HEADER_LENGTH;
        int vlanId = -1;
        if (type == Ethernet.TYPE_VLAN || type == Ethernet.TYPE_QINQ) {
            if (frameLength < Ethernet.VLAN_HEADER_LENGTH) return clearFromLink(out, ParseStatus.TRUNCATED_VLAN);
            int tag = u32(seg, frame + Ethernet.VLAN_TCI); // TCI, then the EtherType after the tag
            vlanId = (tag >>> 16) & 0x0FFF;
            type = tag & 0xFFFF;
            l3 = frame + Ethernet.VLAN_HEADER_LENGTH;
        }
        out.vlanId = vlanId;
        out.etherType = type;
        out.l3Offset = l3;
        int available = (int) (frame + frameLength - l3);
        return switch (type) {
            case Ethernet.TYPE_IPV4 -> parseIpv4(seg, l3, available, out);
            case Ethernet.TYPE_IPV6 -> parseIpv6(seg, l3, available, out);
            case Ethernet.TYPE_ARP -> parseArp(seg, l3, available, out);
            default -> failIp(out, ParseStatus.NOT_IP);
        };
    }

    private static int parseArp(MemorySegment seg, long arp, int available, FlowDescription out) {
        out.clearIp();
        out.clearTransport();
        if (available < Arp.LENGTH) return ParseStatus.TRUNCATED_ARP;
        if (u16(seg, arp + Arp.HARDWARE_TYPE) != Arp.HTYPE_ETHERNET
                || u16(seg, arp + Arp.PROTOCOL_TYPE) != Ethernet.TYPE_IPV4
                || u8(seg, arp + Arp.HARDWARE_LENGTH) != 6 || u8(seg, arp + Arp.PROTOCOL_LENGTH) != 4) {
            return ParseStatus.UNSUPPORTED_ARP;
        }
        out.arpOperation = u16(seg, arp + Arp.OPERATION);
        out.arpSenderIp = u32(seg, arp + Arp.SENDER_IP);
        out.arpTargetIp = u32(seg, arp + Arp.TARGET_IP);
        out.dirtyGroups |= FlowDescription.DIRTY_ARP;
        return ParseStatus.OK;
    }

    private static int parseIpv4(MemorySegment seg, long l3, int available, FlowDescription out) {
        if (available < Ipv4.MIN_HEADER_LENGTH) return failIp(out, ParseStatus.TRUNCATED_IPV4);
        // Three wide reads cover the fixed header; fields are cut out of registers.
        long w0 = u64(seg, l3);                 // version|IHL, TOS, total length, identification, flags|offset
        long w1 = u64(seg, l3 + Ipv4.TTL);      // TTL, protocol, checksum, source
        int dst = u32(seg, l3 + Ipv4.DST);
        int versionIhl = (int) (w0 >>> 56);
        if (versionIhl >>> 4 != 4) return failIp(out, ParseStatus.BAD_IP_VERSION);
        int headerLength = (versionIhl & 0x0F) << 2;
        if (headerLength < Ipv4.MIN_HEADER_LENGTH) return failIp(out, ParseStatus.BAD_IHL);
        if (headerLength > available) return failIp(out, ParseStatus.TRUNCATED_IPV4);
        int totalLength = (int) (w0 >>> 32) & 0xFFFF;
        // Shorter than the frame is normal (Ethernet pads to 60 bytes); longer means a lie or a truncated frame.
        if (totalLength < headerLength || totalLength > available) {
            return failIp(out, ParseStatus.BAD_IPV4_TOTAL_LENGTH);
        }
        int protocol = (int) (w1 >>> 48) & 0xFF;
        int fragmentOffset = ((int) w0 & Ipv4.FRAGMENT_OFFSET_MASK) << 3;
        storeIpv4(out, w0, w1, dst, headerLength, totalLength, fragmentOffset);
        if (fragmentOffset != 0) { // no transport header in this fragment
            out.clearTransport();
            return ParseStatus.OK;
        }
        return parseTransport(seg, l3 + headerLength, totalLength - headerLength, protocol, 4, out);
    }

    // Kept apart from parseIpv4 so that both stay under the JIT's hot-inlining size (FreqInlineSize): the whole
    // parse then compiles into the caller's loop instead of as out-of-line calls.
    private static void storeIpv4(FlowDescription out, long w0, long w1, int dst, int headerLength, int totalLength,
                                  int fragmentOffset) {
        int flagsFragment = (int) w0 & 0xFFFF;
        out.ipVersion = 4;
        out.ipHeaderLength = headerLength;
        out.ipTotalLength = totalLength;
        out.tos = (int) (w0 >>> 48) & 0xFF;
        out.ttl = (int) (w1 >>> 56);
        out.protocol = (int) (w1 >>> 48) & 0xFF;
        out.srcHi = 0;
        out.srcLo = FlowDescription.mappedLo((int) w1);
        out.dstHi = 0;
        out.dstLo = FlowDescription.mappedLo(dst);
        out.dontFragment = (flagsFragment & Ipv4.FLAG_DF) != 0;
        out.fragment = (flagsFragment & Ipv4.FLAG_MF) != 0 || fragmentOffset != 0;
        out.fragmentOffset = fragmentOffset;
        out.firstFragment = fragmentOffset == 0;
    }

    private static int parseIpv6(MemorySegment seg, long l3, int available, FlowDescription out) {
        if (available < Ipv6.HEADER_LENGTH) return failIp(out, ParseStatus.TRUNCATED_IPV6);
        long w0 = u64(seg, l3); // version|class|flow label, payload length, next header, hop limit
        if (w0 >>> 60 != 6) return failIp(out, ParseStatus.BAD_IP_VERSION);
        int payloadLength = (int) (w0 >>> 16) & 0xFFFF;
        if (Ipv6.HEADER_LENGTH + payloadLength > available) return failIp(out, ParseStatus.BAD_IPV6_PAYLOAD_LENGTH);
        int totalLength = Ipv6.HEADER_LENGTH + payloadLength;
        long end = l3 + totalLength;
        int nextHeader = (int) (w0 >>> 8) & 0xFF;
        long walk = walkIpv6Extensions(seg, l3 + Ipv6.HEADER_LENGTH, end, nextHeader);
        if (walk == TOO_MANY_EXTENSIONS) return failIp(out, ParseStatus.TOO_MANY_IPV6_EXTENSIONS);
        if (walk == TRUNCATED_EXTENSION) return failIp(out, ParseStatus.TRUNCATED_IPV6_EXTENSION);
        long at = l3 + Ipv6.HEADER_LENGTH + walkedBytes(walk);
        nextHeader = transportProtocol(walk);
        boolean fragment = sawFragment(walk);
        int fragmentOffset = fragmentOffset(walk);
        out.srcHi = u64(seg, l3 + Ipv6.SRC);
        out.srcLo = u64(seg, l3 + Ipv6.SRC + 8);
        out.dstHi = u64(seg, l3 + Ipv6.DST);
        out.dstLo = u64(seg, l3 + Ipv6.DST + 8);
        out.ipVersion = 6;
        out.ipHeaderLength = (int) (at - l3);
        out.ipTotalLength = totalLength;
        out.tos = (int) (w0 >>> 52) & 0xFF;
        out.ttl = (int) w0 & 0xFF;
        out.protocol = nextHeader;
        out.dontFragment = false;
        out.fragment = fragment;
        out.fragmentOffset = fragmentOffset;
        out.firstFragment = fragmentOffset == 0;
        if (fragmentOffset != 0) {
            out.clearTransport();
            return ParseStatus.OK;
        }
        return parseTransport(seg, at, (int) (end - at), nextHeader, 6, out);
    }

    /** Stores every transport field exactly once. */
    private static int transport(FlowDescription out, int status, long l4, int l4Length, int srcPort, int dstPort,
                                 int tcpFlags, long payloadOffset, int icmpType, int icmpCode) {
        out.l4Offset = l4;
        out.l4Length = l4Length;
        out.srcPort = srcPort;
        out.dstPort = dstPort;
        out.tcpFlags = tcpFlags;
        out.payloadOffset = payloadOffset;
        out.icmpType = icmpType;
        out.icmpCode = icmpCode;
        return status;
    }

    private static int parseTransport(MemorySegment seg, long l4, int l4Length, int protocol, int ipVersion,
                                      FlowDescription out) {
        if (protocol == Ipv4.PROTO_TCP) return parseTcp(seg, l4, l4Length, out);
        if (protocol == Ipv4.PROTO_UDP) return parseUdp(seg, l4, l4Length, out);
        return parseOtherTransport(seg, l4, l4Length, protocol, ipVersion, out);
    }

    private static int parseTcp(MemorySegment seg, long l4, int l4Length, FlowDescription out) {
        if (l4Length < Tcp.MIN_HEADER_LENGTH) return transport(out, ParseStatus.TRUNCATED_TCP, l4, l4Length, 0, 0, 0, -1, 0, 0);
        int ports = u32(seg, l4 + Tcp.SRC_PORT);
        int offsetFlags = u16(seg, l4 + Tcp.DATA_OFFSET);
        int dataOffset = (offsetFlags >>> 12) << 2;
        if (dataOffset < Tcp.MIN_HEADER_LENGTH || dataOffset > l4Length) {
            return transport(out, ParseStatus.BAD_TCP_DATA_OFFSET, l4, l4Length, 0, 0, 0, -1, 0, 0);
        }
        return transport(out, ParseStatus.OK, l4, l4Length, ports >>> 16, ports & 0xFFFF, offsetFlags & 0xFF,
                l4 + dataOffset, 0, 0);
    }

    private static int parseUdp(MemorySegment seg, long l4, int l4Length, FlowDescription out) {
        if (l4Length < Udp.HEADER_LENGTH) return transport(out, ParseStatus.TRUNCATED_UDP, l4, l4Length, 0, 0, 0, -1, 0, 0);
        int ports = u32(seg, l4 + Udp.SRC_PORT);
        return transport(out, ParseStatus.OK, l4, l4Length, ports >>> 16, ports & 0xFFFF, 0, l4 + Udp.HEADER_LENGTH, 0, 0);
    }

    private static int parseOtherTransport(MemorySegment seg, long l4, int l4Length, int protocol, int ipVersion,
                                           FlowDescription out) {
        switch (protocol) {
            case Ipv4.PROTO_ICMP, Ipv4.PROTO_ICMPV6 -> {
                boolean v6 = protocol == Ipv4.PROTO_ICMPV6;
                if (v6 != (ipVersion == 6)) { // ICMP of the other family: opaque payload
                    return transport(out, ParseStatus.OK, l4, l4Length, 0, 0, 0, -1, 0, 0);
                }
                return parseIcmp(seg, l4, l4Length, v6, out);
            }
            case Ipv4.PROTO_IPIP, Ipv4.PROTO_IPV6 -> {
                int innerMinimum = protocol == Ipv4.PROTO_IPIP ? Ipv4.MIN_HEADER_LENGTH : Ipv6.HEADER_LENGTH;
                int status = l4Length < innerMinimum ? ParseStatus.TRUNCATED_TUNNEL : ParseStatus.OK;
                return transport(out, status, l4, l4Length, 0, 0, 0, status == ParseStatus.OK ? l4 : -1, 0, 0);
            }
            default -> {
                return transport(out, ParseStatus.OK, l4, l4Length, 0, 0, 0, -1, 0, 0);
            }
        }
    }

    private static int parseIcmp(MemorySegment seg, long l4, int l4Length, boolean v6, FlowDescription out) {
        if (l4Length < Icmp.HEADER_LENGTH) return transport(out, ParseStatus.TRUNCATED_ICMP, l4, l4Length, 0, 0, 0, -1, 0, 0);
        long header = u64(seg, l4); // type, code, checksum, identifier, sequence
        int type = (int) (header >>> 56);
        int code = (int) (header >>> 48) & 0xFF;
        long payload = l4 + Icmp.HEADER_LENGTH;
        if (v6 ? Icmp.isV6Echo(type) : Icmp.isV4Echo(type)) {
            int identifier = (int) (header >>> 16) & 0xFFFF;
            return transport(out, ParseStatus.OK, l4, l4Length, identifier, identifier, 0, payload, type, code);
        }
        transport(out, ParseStatus.OK, l4, l4Length, 0, 0, 0, payload, type, code);
        if (!(v6 ? Icmp.isV6Error(type) : Icmp.isV4Error(type))) return ParseStatus.OK;
        out.icmpError = true;
        out.dirtyGroups |= FlowDescription.DIRTY_ICMP_ERROR;
        int quoteLength = l4Length - Icmp.HEADER_LENGTH;
        return v6 ? parseQuotedIpv6(seg, payload, quoteLength, out) : parseQuotedIpv4(seg, payload, quoteLength, out);
    }

    private static int parseQuotedIpv4(MemorySegment seg, long q, int quoteLength, FlowDescription out) {
        if (quoteLength < Ipv4.MIN_HEADER_LENGTH) return ParseStatus.TRUNCATED_ICMP_QUOTE;
        int versionIhl = u8(seg, q);
        int headerLength = (versionIhl & 0x0F) << 2;
        if (versionIhl >>> 4 != 4 || headerLength < Ipv4.MIN_HEADER_LENGTH) return ParseStatus.BAD_ICMP_QUOTE;
        if (headerLength + Icmp.QUOTED_TRANSPORT_BYTES > quoteLength) return ParseStatus.TRUNCATED_ICMP_QUOTE;
        out.innerL3Offset = q;
        out.innerIpVersion = 4;
        out.innerIpHeaderLength = headerLength;
        out.icmpQuoteLength = quoteLength;
        int protocol = u8(seg, q + Ipv4.PROTOCOL);
        out.innerProtocol = protocol;
        out.innerSrcLo = FlowDescription.mappedLo(u32(seg, q + Ipv4.SRC));
        out.innerDstLo = FlowDescription.mappedLo(u32(seg, q + Ipv4.DST));
        if ((u16(seg, q + Ipv4.FLAGS_FRAGMENT) & Ipv4.FRAGMENT_OFFSET_MASK) != 0) return ParseStatus.OK;
        out.innerL4Offset = q + headerLength;
        quotedPorts(seg, q + headerLength, protocol, out);
        return ParseStatus.OK;
    }

    /**
     * Walks the IPv6 extension headers that start at {@code at}, the first of type {@code nextHeader}, up to
     * {@code end}. Returns {@link #TOO_MANY_EXTENSIONS}, {@link #TRUNCATED_EXTENSION} (a header that does not fit
     * before {@code end}), or the outcome packed into one non-negative long so that nothing is allocated: read it
     * with {@link #walkedBytes}, {@link #transportProtocol}, {@link #sawFragment} and {@link #fragmentOffset}.
     */
    private static long walkIpv6Extensions(MemorySegment seg, long at, long end, int nextHeader) {
        long start = at;
        long fragmentBits = 0;
        for (int walked = 0; Ipv6.isExtensionHeader(nextHeader); walked++) {
            if (walked == Ipv6.MAX_EXTENSION_HEADERS) return TOO_MANY_EXTENSIONS;
            if (at + 8 > end) return TRUNCATED_EXTENSION;
            int following = u8(seg, at);
            int length;
            if (nextHeader == Ipv6.EXT_FRAGMENT) {
                length = Ipv6.FRAGMENT_HEADER_LENGTH;
                int offset = u16(seg, at + Ipv6.FRAG_OFFSET_FIELD) & 0xFFF8;
                fragmentBits = WALK_FRAGMENT_SEEN | (long) offset << WALK_FRAGMENT_OFFSET_SHIFT; // the last one counts
                if (offset != 0) { // a later fragment: what follows is data, not headers, whatever Next Header says
                    if (at + length > end) return TRUNCATED_EXTENSION;
                    return (at + length - start) | (long) following << WALK_PROTOCOL_SHIFT | fragmentBits;
                }
            } else if (nextHeader == Ipv6.EXT_AH) {
                length = (u8(seg, at + 1) + 2) << 2;
            } else {
                length = (u8(seg, at + 1) + 1) << 3;
            }
            if (at + length > end) return TRUNCATED_EXTENSION;
            at += length;
            nextHeader = following;
        }
        return (at - start) | (long) nextHeader << WALK_PROTOCOL_SHIFT | fragmentBits;
    }

    /** Bytes of extension headers walked (bits 0-31 of a walk). */
    private static int walkedBytes(long walk) { return (int) walk; }

    /** The header after the extension headers: the transport protocol (bits 32-39). */
    private static int transportProtocol(long walk) { return (int) (walk >>> WALK_PROTOCOL_SHIFT) & 0xFF; }

    /** Whether a fragment header was among them (bit 40). */
    private static boolean sawFragment(long walk) { return (walk & WALK_FRAGMENT_SEEN) != 0; }

    /** The fragment offset in bytes from the last fragment header, 0 without one (bits 41-56). */
    private static int fragmentOffset(long walk) { return (int) (walk >>> WALK_FRAGMENT_OFFSET_SHIFT) & 0xFFFF; }

    private static int parseQuotedIpv6(MemorySegment seg, long q, int quoteLength, FlowDescription out) {
        if (quoteLength < Ipv6.HEADER_LENGTH) return ParseStatus.TRUNCATED_ICMP_QUOTE;
        if (u8(seg, q) >>> 4 != 6) return ParseStatus.BAD_ICMP_QUOTE;
        long end = q + quoteLength;
        int nextHeader = u8(seg, q + Ipv6.NEXT_HEADER);
        long walk = walkIpv6Extensions(seg, q + Ipv6.HEADER_LENGTH, end, nextHeader);
        if (walk == TOO_MANY_EXTENSIONS) return ParseStatus.BAD_ICMP_QUOTE;
        if (walk == TRUNCATED_EXTENSION) return ParseStatus.TRUNCATED_ICMP_QUOTE;
        long at = q + Ipv6.HEADER_LENGTH + walkedBytes(walk);
        nextHeader = transportProtocol(walk);
        boolean laterFragment = fragmentOffset(walk) != 0;
        if (at + Icmp.QUOTED_TRANSPORT_BYTES > end) return ParseStatus.TRUNCATED_ICMP_QUOTE;
        out.innerL3Offset = q;
        out.innerIpVersion = 6;
        out.innerIpHeaderLength = (int) (at - q);
        out.icmpQuoteLength = quoteLength;
        out.innerProtocol = nextHeader;
        out.innerSrcHi = u64(seg, q + Ipv6.SRC);
        out.innerSrcLo = u64(seg, q + Ipv6.SRC + 8);
        out.innerDstHi = u64(seg, q + Ipv6.DST);
        out.innerDstLo = u64(seg, q + Ipv6.DST + 8);
        if (laterFragment) return ParseStatus.OK;
        out.innerL4Offset = at;
        quotedPorts(seg, at, nextHeader, out);
        return ParseStatus.OK;
    }

    /** Ports of the quoted transport header; only its first 8 bytes are guaranteed present. */
    private static void quotedPorts(MemorySegment seg, long l4, int protocol, FlowDescription out) {
        switch (protocol) {
            case Ipv4.PROTO_TCP, Ipv4.PROTO_UDP -> {
                out.innerSrcPort = u16(seg, l4);
                out.innerDstPort = u16(seg, l4 + 2);
            }
            case Ipv4.PROTO_ICMP, Ipv4.PROTO_ICMPV6 -> {
                int identifier = u16(seg, l4 + Icmp.IDENTIFIER);
                out.innerSrcPort = identifier;
                out.innerDstPort = identifier;
            }
            default -> { }
        }
    }
}
