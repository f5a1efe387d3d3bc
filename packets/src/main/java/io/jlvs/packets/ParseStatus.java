package io.jlvs.packets;

/**
 * Outcome codes of {@link PacketParser#parse}: {@link #OK} or the reason a frame was refused. Codes are small
 * consecutive ints so counters can be an array indexed by code.
 */
public final class ParseStatus {
    /** Parsed; for ARP (etherType 0x0806) the ARP fields are set and ipVersion is 0. */
    public static final int OK = 0;
    /** The frame offset/length do not lie inside the segment handed in. */
    public static final int BAD_FRAME_BOUNDS = 1;
    public static final int TRUNCATED_ETHERNET = 2;
    public static final int TRUNCATED_VLAN = 3;
    /** Neither IPv4, IPv6 nor ARP (etherType is still filled in). */
    public static final int NOT_IP = 4;
    public static final int TRUNCATED_ARP = 5;
    /** ARP for something other than IPv4 over Ethernet. */
    public static final int UNSUPPORTED_ARP = 6;
    public static final int TRUNCATED_IPV4 = 7;
    /** Version nibble disagrees with the EtherType. */
    public static final int BAD_IP_VERSION = 8;
    public static final int BAD_IHL = 9;
    /** IPv4 total length below the header length or beyond the frame. */
    public static final int BAD_IPV4_TOTAL_LENGTH = 10;
    public static final int TRUNCATED_IPV6 = 11;
    /** IPv6 payload length beyond the frame. */
    public static final int BAD_IPV6_PAYLOAD_LENGTH = 12;
    /** An IPv6 extension header runs past the end of the packet. */
    public static final int TRUNCATED_IPV6_EXTENSION = 13;
    public static final int TOO_MANY_IPV6_EXTENSIONS = 14;
    public static final int TRUNCATED_TCP = 15;
    public static final int BAD_TCP_DATA_OFFSET = 16;
    public static final int TRUNCATED_UDP = 17;
    public static final int TRUNCATED_ICMP = 18;
    /** An ICMP error quotes less than an IP header plus 8 bytes of its transport header. */
    public static final int TRUNCATED_ICMP_QUOTE = 19;
    /** The quoted packet's header makes no sense (version, IHL). */
    public static final int BAD_ICMP_QUOTE = 20;
    /** IP-in-IP payload shorter than an inner header. */
    public static final int TRUNCATED_TUNNEL = 21;
    /** Defensive: an unexpected runtime failure inside the parser (a bug); never thrown to the caller. */
    public static final int INTERNAL_ERROR = 22;

    public static final int COUNT = 23;

    private static final String[] NAMES = {
        "OK", "BAD_FRAME_BOUNDS", "TRUNCATED_ETHERNET", "TRUNCATED_VLAN", "NOT_IP", "TRUNCATED_ARP",
        "UNSUPPORTED_ARP", "TRUNCATED_IPV4", "BAD_IP_VERSION", "BAD_IHL", "BAD_IPV4_TOTAL_LENGTH",
        "TRUNCATED_IPV6", "BAD_IPV6_PAYLOAD_LENGTH", "TRUNCATED_IPV6_EXTENSION", "TOO_MANY_IPV6_EXTENSIONS",
        "TRUNCATED_TCP", "BAD_TCP_DATA_OFFSET", "TRUNCATED_UDP", "TRUNCATED_ICMP", "TRUNCATED_ICMP_QUOTE",
        "BAD_ICMP_QUOTE", "TRUNCATED_TUNNEL", "INTERNAL_ERROR"
    };

    private ParseStatus() {}

    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "UNKNOWN(" + code + ")";
    }
}
