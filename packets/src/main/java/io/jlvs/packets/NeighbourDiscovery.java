package io.jlvs.packets;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put64;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.putMac;
import static io.jlvs.packets.Layouts.u64;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 Neighbour Discovery (RFC 4861) as a VIP's owner needs it: reading a neighbour solicitation's target and
 * writing the neighbour advertisement that answers it, or an unsolicited one that announces a VIP (the IPv6
 * gratuitous ARP). Frames are written untagged. Allocation-free.
 * <pre>
 * NS / NA: | type 135/136 | code 0 | checksum | flags R S O (NA) + reserved (4) | target (16) | options ...
 * option:  | type (1 source, 2 target link-layer address) | length in 8-byte units | MAC (6) |
 * </pre>
 */
public final class NeighbourDiscovery {
    public static final int NEIGHBOUR_SOLICITATION = 135;
    public static final int NEIGHBOUR_ADVERTISEMENT = 136;
    public static final int TARGET = 8;
    /** ND messages are valid only with hop limit 255: they never crossed a router. */
    public static final int HOP_LIMIT = 255;
    public static final int FLAG_ROUTER = 0x80, FLAG_SOLICITED = 0x40, FLAG_OVERRIDE = 0x20;
    public static final int OPTION_TARGET_LINK_LAYER = 2;
    /** An advertisement with its target link-layer address option: 14 + 40 + 24 + 8 bytes. */
    public static final int ADVERTISEMENT_FRAME_LENGTH = Ethernet.HEADER_LENGTH + Ipv6.HEADER_LENGTH + 32;
    /** ff02::1, all nodes. */
    public static final long ALL_NODES_HI = 0xFF02_0000_0000_0000L, ALL_NODES_LO = 1L;
    private static final long ALL_NODES_MAC = 0x3333_0000_0001L;

    private NeighbourDiscovery() {}

    /** Whether a parsed frame is a neighbour solicitation that may be answered (ICMPv6 135, hop limit 255). */
    public static boolean isSolicitation(FlowDescription f) {
        return f.ipVersion == 6 && f.protocol == Ipv4.PROTO_ICMPV6 && f.icmpType == NEIGHBOUR_SOLICITATION
                && f.icmpCode == 0 && f.ttl == HOP_LIMIT && f.l4Offset >= 0 && f.l4Length >= TARGET + 16
                && !f.fragment;
    }

    public static long targetHi(MemorySegment seg, FlowDescription f) { return u64(seg, f.l4Offset + TARGET); }

    public static long targetLo(MemorySegment seg, FlowDescription f) { return u64(seg, f.l4Offset + TARGET + 8); }

    /**
     * The advertisement answering a solicitation for {@code target} from {@code solicitor} (its MAC and address):
     * solicited and override set, sent to the solicitor, or to all nodes with solicited clear when the solicitor
     * is the unspecified address (duplicate address detection). Returns the frame's length.
     */
    public static int writeSolicitedAdvertisement(MemorySegment out, long off, long srcMac, long targetHi,
                                                  long targetLo, long solicitorMac, long solicitorHi,
                                                  long solicitorLo) {
        boolean dad = solicitorHi == 0 && solicitorLo == 0;
        return write(out, off, srcMac, dad ? ALL_NODES_MAC : solicitorMac, targetHi, targetLo,
                dad ? ALL_NODES_HI : solicitorHi, dad ? ALL_NODES_LO : solicitorLo,
                dad ? FLAG_OVERRIDE : FLAG_SOLICITED | FLAG_OVERRIDE);
    }

    /** An unsolicited advertisement of {@code target} to all nodes (override set): neighbours update their caches. */
    public static int writeUnsolicitedAdvertisement(MemorySegment out, long off, long srcMac, long targetHi,
                                                    long targetLo) {
        return write(out, off, srcMac, ALL_NODES_MAC, targetHi, targetLo, ALL_NODES_HI, ALL_NODES_LO, FLAG_OVERRIDE);
    }

    private static int write(MemorySegment out, long off, long srcMac, long dstMac, long targetHi, long targetLo,
                             long dstHi, long dstLo, int flags) {
        putMac(out, off + Ethernet.DST_MAC, dstMac);
        putMac(out, off + Ethernet.SRC_MAC, srcMac);
        put16(out, off + Ethernet.ETHER_TYPE, Ethernet.TYPE_IPV6);
        long l3 = off + Ethernet.HEADER_LENGTH;
        put32(out, l3 + Ipv6.VERSION_CLASS_FLOW, 6 << 28);
        put16(out, l3 + Ipv6.PAYLOAD_LENGTH, 32);
        put8(out, l3 + Ipv6.NEXT_HEADER, Ipv4.PROTO_ICMPV6);
        put8(out, l3 + Ipv6.HOP_LIMIT, HOP_LIMIT);
        put64(out, l3 + Ipv6.SRC, targetHi);
        put64(out, l3 + Ipv6.SRC + 8, targetLo);
        put64(out, l3 + Ipv6.DST, dstHi);
        put64(out, l3 + Ipv6.DST + 8, dstLo);
        long icmp = l3 + Ipv6.HEADER_LENGTH;
        put8(out, icmp + Icmp.TYPE, NEIGHBOUR_ADVERTISEMENT);
        put8(out, icmp + 1, 0);
        put16(out, icmp + Icmp.CHECKSUM, 0);
        put32(out, icmp + 4, flags << 24);
        put64(out, icmp + TARGET, targetHi);
        put64(out, icmp + TARGET + 8, targetLo);
        put8(out, icmp + 24, OPTION_TARGET_LINK_LAYER);
        put8(out, icmp + 25, 1);
        putMac(out, icmp + 26, srcMac);
        put16(out, icmp + Icmp.CHECKSUM, Checksums.transportIpv6(out, l3, icmp, 32, Ipv4.PROTO_ICMPV6));
        return ADVERTISEMENT_FRAME_LENGTH;
    }
}
