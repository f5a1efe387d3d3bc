package io.jlvs.packets;

/**
 * What one parse learned about a frame; filled by {@code PacketParser} and carried by every later stage, so
 * nothing parses twice. Reusable: one instance per worker thread, overwritten by every parse.
 *
 * <p>Addresses are 128-bit, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d: hi = 0, lo = 0x0000_FFFF_xxxx_xxxx), so
 * connection keys and schedulers handle both families with one code path. Offsets are absolute positions in the
 * segment handed to the parser, so rewrite helpers take (segment, offset) with no slicing.
 */
public final class FlowDescription {
    /** Result of the parse: {@code ParseStatus.OK} or a reason code. */
    public int status;

    // ---- layer 2
    public long frameOffset;      // where the Ethernet header starts
    public int frameLength;       // bytes of the frame available to read
    public int vlanId = -1;       // 802.1Q VID, -1 when untagged
    public int etherType;         // after any VLAN tag
    public long l3Offset;

    // ---- ARP (etherType 0x0806): IPv4 over Ethernet only
    public int arpOperation;      // 1 request, 2 reply
    public int arpSenderIp;
    public int arpTargetIp;

    // ---- layer 3
    public int ipVersion;         // 4, 6, or 0 when not IP
    public int ipHeaderLength;    // IPv4 IHL*4; IPv6 40 + extension headers walked
    public int ipTotalLength;     // IPv4 total length / IPv6 40 + payload length: bytes of the IP packet
    public int ttl;               // TTL or hop limit
    public int protocol;          // transport protocol after IPv6 extension headers (6, 17, 1, 58, 4, 41 ...)
    public long srcHi, srcLo, dstHi, dstLo;
    public boolean fragment;      // any fragment (MF set or offset != 0, or IPv6 fragment header)
    public boolean firstFragment; // fragment offset 0: the transport header is present (true when unfragmented too)
    public boolean dontFragment;  // IPv4 DF
    public int fragmentOffset;    // bytes (IPv4 offset field * 8, IPv6 fragment header offset)
    public int tos;               // IPv4 TOS / IPv6 traffic class (DSCP << 2 | ECN)

    // ---- layer 4
    public long l4Offset;         // -1 when there is no transport header (non-first fragment)
    public int l4Length;          // bytes from l4Offset to the end of the IP packet
    public int srcPort, dstPort;  // TCP/UDP ports; ICMP echo identifier in srcPort and dstPort
    public int tcpFlags;          // FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80
    public long payloadOffset;    // first byte after the transport header
    public int icmpType, icmpCode;

    // ---- ICMP error facts (DEST_UNREACH, SOURCE_QUENCH, TIME_EXCEEDED; v6: DST_UNREACH, PKT_TOO_BIG, TIME_EXCEEDED, PARAM_PROB)
    public boolean icmpError;
    public long innerL3Offset;    // the quoted packet's IP header
    public long innerL4Offset;    // the quoted transport header (at least 8 bytes of it present)
    public int innerIpVersion;
    public int innerProtocol;
    public long innerSrcHi, innerSrcLo, innerDstHi, innerDstLo;
    public int innerSrcPort, innerDstPort;
    public int innerIpHeaderLength; // quoted IPv4 IHL*4 / IPv6 40 + extension headers
    public int icmpQuoteLength;     // bytes of the quoted packet present in the error (from innerL3Offset)

    // Groups of fields the last parse filled that a typical parse does not overwrite: the parser clears them only
    // when set, because a store per field per packet is a measurable share of the parse (see PacketParser).
    static final int DIRTY_ARP = 1, DIRTY_ICMP_ERROR = 2;
    int dirtyGroups;

    /**
     * True when the last parse took the parser's common-shape path (untagged IPv4 without options, TCP or UDP) and
     * so left the fields that shape fixes (status OK, vlanId, etherType, ipVersion, ipHeaderLength, srcHi, dstHi,
     * fragmentOffset, firstFragment, icmpType, icmpCode) at its values: the next such parse need not store them
     * again. Those fields are the parser's to write; reset() and every other parse clear the flag.
     */
    boolean commonShapeSet;

    /** A description in the reset state (offsets -1), the same as after {@link #reset()}. */
    public FlowDescription() {
        reset();
    }

    /** True for IPv4 (IPv4-mapped) addresses. */
    public static boolean isV4Mapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    /** The low 32 bits of a mapped address: the IPv4 address as an int (network order value). */
    public int srcV4() { return (int) srcLo; }

    public int dstV4() { return (int) dstLo; }

    /** Builds the lo half of an IPv4-mapped address. */
    public static long mappedLo(int v4) {
        return 0x0000_FFFF_0000_0000L | (v4 & 0xFFFF_FFFFL);
    }

    void clearArp() {
        arpOperation = 0; arpSenderIp = 0; arpTargetIp = 0;
    }

    void clearIp() {
        ipVersion = 0; ipHeaderLength = 0; ipTotalLength = 0; ttl = 0; protocol = 0;
        srcHi = srcLo = dstHi = dstLo = 0; fragment = firstFragment = dontFragment = false;
        fragmentOffset = 0; tos = 0;
    }

    void clearTransport() {
        l4Offset = -1; l4Length = 0; srcPort = dstPort = 0; tcpFlags = 0; payloadOffset = -1; icmpType = icmpCode = 0;
    }

    void clearIcmpError() {
        icmpError = false; innerL3Offset = -1; innerL4Offset = -1; innerIpVersion = 0; innerProtocol = 0;
        innerSrcHi = innerSrcLo = innerDstHi = innerDstLo = 0; innerSrcPort = innerDstPort = 0;
        innerIpHeaderLength = 0; icmpQuoteLength = 0;
    }

    /** Clears everything a parse may set, so a stale field never leaks from the previous frame. */
    public void reset() {
        status = 0; frameOffset = 0; frameLength = 0; vlanId = -1; etherType = 0; l3Offset = 0;
        clearArp();
        clearIp();
        clearTransport();
        clearIcmpError();
        dirtyGroups = 0;
        commonShapeSet = false;
    }
}
