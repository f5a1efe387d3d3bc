package io.jlvs.packets;

import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u32;
import static io.jlvs.packets.Layouts.u8;

import java.lang.foreign.MemorySegment;

/**
 * The fragment facts a parse does not keep (the parser stores only {@code fragment}, {@code firstFragment} and
 * {@code fragmentOffset}, so that unfragmented packets pay for nothing more): the identification, the more-fragments
 * flag and where a fragment's data starts, read from a parsed fragment (IPv4, or IPv6 with a fragment header).
 * Allocation-free.
 */
public final class IpFragments {
    private IpFragments() {}

    /**
     * Where the IPv6 fragment header of the parsed packet sits, or -1 without one: the extension headers are walked
     * again as the parser walked them, up to the fragment header (the parser stops there for a later fragment).
     */
    public static long ipv6FragmentHeader(MemorySegment seg, FlowDescription f) {
        return walkToFragmentHeader(seg, f, false);
    }

    /**
     * Where the Next Header field that names the IPv6 fragment header of the parsed packet sits (the IPv6 header's,
     * or that of the extension header before it), or -1 without a fragment header.
     */
    public static long ipv6FieldNamingFragmentHeader(MemorySegment seg, FlowDescription f) {
        return walkToFragmentHeader(seg, f, true);
    }

    private static long walkToFragmentHeader(MemorySegment seg, FlowDescription f, boolean namingField) {
        long at = f.l3Offset + Ipv6.HEADER_LENGTH;
        long end = f.l3Offset + f.ipHeaderLength;
        long field = f.l3Offset + Ipv6.NEXT_HEADER;
        int next = u8(seg, field);
        for (int walked = 0; at < end && walked < Ipv6.MAX_EXTENSION_HEADERS; walked++) {
            if (next == Ipv6.EXT_FRAGMENT) return namingField ? field : at;
            if (!Ipv6.isExtensionHeader(next)) return -1;
            int following = u8(seg, at);
            field = at;
            at += next == Ipv6.EXT_AH ? (u8(seg, at + 1) + 2) << 2 : (u8(seg, at + 1) + 1) << 3;
            next = following;
        }
        return -1;
    }

    /** The IPv4 identification, or the IPv6 fragment header's 32-bit identification ({@code header}: its offset). */
    public static int identification(MemorySegment seg, FlowDescription f, long header) {
        return f.ipVersion == 4 ? u16(seg, f.l3Offset + Ipv4.IDENTIFICATION) : u32(seg, header + Ipv6.FRAG_IDENTIFICATION);
    }

    /**
     * The protocol number every fragment of the datagram carries: IPv4's protocol, or the IPv6 fragment header's Next
     * Header, the first header of the fragmentable part (an extension header such as destination options, or the
     * transport protocol).
     */
    public static int fragmentableProtocol(MemorySegment seg, FlowDescription f, long header) {
        return f.ipVersion == 4 ? u8(seg, f.l3Offset + Ipv4.PROTOCOL) : u8(seg, header + Ipv6.FRAG_NEXT_HEADER);
    }

    /** Whether more fragments follow this one (IPv4 MF, IPv6 M). */
    public static boolean moreFragments(MemorySegment seg, FlowDescription f, long header) {
        return f.ipVersion == 4 ? (u16(seg, f.l3Offset + Ipv4.FLAGS_FRAGMENT) & Ipv4.FLAG_MF) != 0
                : (u16(seg, header + Ipv6.FRAG_OFFSET_FIELD) & 1) != 0;
    }

    /**
     * Bytes of the original datagram this fragment carries: after the IPv4 header, or after the IPv6 fragment header
     * (the fragmentable part: later extension headers, the transport header and data).
     */
    public static int dataLength(FlowDescription f, long header) {
        return f.ipVersion == 4 ? f.ipTotalLength - f.ipHeaderLength
                : (int) (f.l3Offset + f.ipTotalLength - (header + Ipv6.FRAGMENT_HEADER_LENGTH));
    }
}
