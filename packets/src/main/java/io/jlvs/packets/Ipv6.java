package io.jlvs.packets;

/**
 * IPv6 header (RFC 8200) and the extension headers the parser walks.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (16 bytes)                    |
 * |                Destination Address (16 bytes)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Extension header (hop-by-hop, routing, destination options):
 * | Next Header   | Hdr Ext Len (8-octet units, not counting first 8) | ...
 * Fragment header (8 bytes):
 * | Next Header   |   Reserved    |  Fragment Offset (13)   |Res|M|
 * |                         Identification                        |
 * AH: | Next Header | Payload Len (4-octet units minus 2) | ...
 * </pre>
 */
public final class Ipv6 {
    public static final int VERSION_CLASS_FLOW = 0;
    public static final int PAYLOAD_LENGTH = 4;
    public static final int NEXT_HEADER = 6;
    public static final int HOP_LIMIT = 7;
    public static final int SRC = 8;
    public static final int DST = 24;
    public static final int HEADER_LENGTH = 40;

    public static final int EXT_HOP_BY_HOP = 0;
    public static final int EXT_ROUTING = 43;
    public static final int EXT_FRAGMENT = 44;
    public static final int EXT_AH = 51;
    public static final int EXT_DESTINATION = 60;
    public static final int NO_NEXT_HEADER = 59;
    public static final int FRAGMENT_HEADER_LENGTH = 8;
    /** Fragment header: the next header (the first of the fragmentable part), as in every extension header. */
    public static final int FRAG_NEXT_HEADER = 0;
    /** Fragment header: offset in 8-byte units in the upper 13 bits, M flag in bit 0. */
    public static final int FRAG_OFFSET_FIELD = 2;
    public static final int FRAG_IDENTIFICATION = 4;
    /** Bounds the walk so that a crafted chain cannot make the parser loop long. */
    public static final int MAX_EXTENSION_HEADERS = 8;

    private Ipv6() {}

    public static boolean isExtensionHeader(int nextHeader) {
        return nextHeader == EXT_HOP_BY_HOP || nextHeader == EXT_ROUTING || nextHeader == EXT_FRAGMENT
                || nextHeader == EXT_AH || nextHeader == EXT_DESTINATION;
    }
}
