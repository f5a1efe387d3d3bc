package io.jlvs.packets;

import static io.jlvs.packets.Layouts.u64;

import java.lang.foreign.MemorySegment;

/**
 * The parser's fast path for the frame a director sees almost always: untagged Ethernet, IPv4 without options,
 * not a fragment, carrying TCP or UDP, at least 54 bytes long. It gives exactly what the general parser gives for
 * such a frame (CommonFrameFastPathProperties compares every field), with less work:
 * <ul>
 * <li>the first 54 bytes are read through a slice of constant length, so the JIT folds the bounds check of each
 * read away and keeps only the slice's own (the slice is not allocated: it does not escape);</li>
 * <li>five 8-byte loads, and the fields are cut out of registers;</li>
 * <li>the fields that are the same for every such frame (VLAN, EtherType, version, header length, the IPv6 high
 * halves, fragment facts, ICMP type and code) are stored only when the previous parse was not a fast one
 * ({@link FlowDescription#COMMON_SHAPE}).</li>
 * </ul>
 * Any other frame, or any doubt, returns {@link #NOT_COMMON} before anything is stored, and the general parser
 * handles it (and names the error).
 * <pre>
 * byte 12    14  15  16     18  20        22  23    24   26     30   34    36    38       46     47    50
 *      |type |v/l|tos|length|id |flags/frag|ttl|proto|csum|source|dest|sport|dport|seq, ack|offset|flags|..|csum|
 *      |&lt;- load at 12 ------------&gt;|&lt;- load at 20 --------------&gt;|
 *                                                         |&lt;- at 26 ---&gt;|&lt;- at 34 ---...&gt;|&lt;- at 46 (TCP) ..&gt;|
 * </pre>
 * The method is kept well under the JIT's hot-inlining size (325 bytes of bytecode; it is 261), and its reads are
 * few, so that it compiles into the caller together with the NAT rewrite (each segment access is a large piece
 * of IR, and C2 stops inlining at 18000 IR nodes).
 */
final class CommonFrameParser {
    /** Returned when the frame is not of the common shape; the caller falls back to the general parser. */
    static final int NOT_COMMON = -1;

    /** The Ethernet type, then version 4 with IHL 5, as the top 24 bits of the load at byte 12. */
    private static final long IPV4_NO_OPTIONS = 0x08_00_45L;
    private static final int MF_OR_OFFSET = Ipv4.FLAG_MF | Ipv4.FRAGMENT_OFFSET_MASK;
    private static final int L3 = Ethernet.HEADER_LENGTH;
    private static final int L4 = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH;
    /** The shortest common frame: Ethernet, IPv4 and a TCP header without options (shorter UDP frames are rare). */
    private static final int MIN_FRAME = L4 + Tcp.MIN_HEADER_LENGTH;

    private CommonFrameParser() {}

    static int parse(MemorySegment seg, long frame, int frameLength, FlowDescription out) {
        if (frame < 0 || frameLength < MIN_FRAME || frame + frameLength > seg.byteSize()) return NOT_COMMON;
        // A view of exactly the headers: its length is a constant, so the JIT drops the bounds check of every
        // read below (the offsets are constants too) and keeps only the slice's own; the view itself is never
        // allocated (it does not escape).
        MemorySegment h = seg.asSlice(frame, MIN_FRAME);
        long typeToId = u64(h, 12);
        long flagsToSource = u64(h, 20);
        int l4Length = ((int) (typeToId >>> 16) & 0xFFFF) - Ipv4.MIN_HEADER_LENGTH;
        // Beyond the frame is an error the general parser names.
        if (typeToId >>> 40 != IPV4_NO_OPTIONS || ((int) (flagsToSource >>> 48) & MF_OR_OFFSET) != 0
                || l4Length > frameLength - L4) {
            return NOT_COMMON;
        }
        int protocol = (int) (flagsToSource >>> 32) & 0xFF;
        int tcpFlagsAndHeader = transportHeader(h, l4Length, protocol);
        if (tcpFlagsAndHeader < 0) return NOT_COMMON;
        // Stored in the order the values were read, so that few of them stay live at once (fewer spills).
        if (out.dirtyGroups != FlowDescription.COMMON_SHAPE) enterCommonShape(out);
        out.frameOffset = frame;
        out.frameLength = frameLength;
        out.l3Offset = frame + L3;
        storeIpv4(out, typeToId, flagsToSource, l4Length);
        out.l4Offset = frame + L4;
        out.l4Length = l4Length;
        out.tcpFlags = tcpFlagsAndHeader >>> 8;
        out.payloadOffset = frame + L4 + (tcpFlagsAndHeader & 0xFF);
        storeAddressesAndPorts(out, u64(h, L3 + Ipv4.SRC), u64(h, L4));
        out.status = ParseStatus.OK;
        return ParseStatus.OK;
    }

    /**
     * The TCP flags (bits 8-15) and the transport header's length (bits 0-7), or -1 when the protocol is neither
     * TCP nor UDP or its header does not fit (the general parser names those errors).
     */
    private static int transportHeader(MemorySegment h, int l4Length, int protocol) {
        if (protocol == Ipv4.PROTO_TCP) {
            if (l4Length < Tcp.MIN_HEADER_LENGTH) return -1;
            int offsetFlags = (int) (u64(h, L4 + Tcp.DATA_OFFSET) >>> 48); // the 8-byte load the others share
            int dataOffset = offsetFlags >>> 12 << 2;
            if (dataOffset < Tcp.MIN_HEADER_LENGTH || dataOffset > l4Length) return -1;
            return (offsetFlags & 0xFF) << 8 | dataOffset;
        }
        if (protocol == Ipv4.PROTO_UDP && l4Length >= Udp.HEADER_LENGTH) return Udp.HEADER_LENGTH;
        return -1;
    }

    private static void storeIpv4(FlowDescription out, long typeToId, long flagsToSource, int l4Length) {
        out.ipTotalLength = l4Length + Ipv4.MIN_HEADER_LENGTH;
        out.tos = (int) (typeToId >>> 32) & 0xFF;
        out.ttl = (int) (flagsToSource >>> 40) & 0xFF;
        out.protocol = (int) (flagsToSource >>> 32) & 0xFF;
        out.dontFragment = ((int) (flagsToSource >>> 48) & Ipv4.FLAG_DF) != 0;
    }

    private static void storeAddressesAndPorts(FlowDescription out, long addresses, long ports) {
        out.srcLo = FlowDescription.mappedLo((int) (addresses >>> 32));
        out.dstLo = FlowDescription.mappedLo((int) addresses);
        out.srcPort = (int) (ports >>> 48);
        out.dstPort = (int) (ports >>> 32) & 0xFFFF;
    }

    /** The fields every common frame shares, stored once for a run of common frames. */
    private static void enterCommonShape(FlowDescription out) {
        PacketParser.clearDirtyGroups(out);
        out.vlanId = -1;
        out.etherType = Ethernet.TYPE_IPV4;
        out.ipVersion = 4;
        out.ipHeaderLength = Ipv4.MIN_HEADER_LENGTH;
        out.srcHi = 0;
        out.dstHi = 0;
        out.fragment = false;
        out.fragmentOffset = 0;
        out.firstFragment = true;
        out.icmpType = 0;
        out.icmpCode = 0;
        out.dirtyGroups = FlowDescription.COMMON_SHAPE;
    }
}
