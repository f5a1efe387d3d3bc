package io.jlvs.packets;

/**
 * ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) share this layout. Echo carries identifier and sequence in the rest of
 * the header; errors carry unused/MTU/pointer there and then quote the offending packet.
 * <pre>
 * +---------------+---------------+-------------------------------+
 * |     Type      |     Code      |           Checksum            |
 * +---------------+---------------+-------------------------------+
 * |  echo: Identifier | Sequence  ;  errors: unused / MTU / pointer |
 * +---------------------------------------------------------------+
 * |  errors: quoted IP header + at least 8 bytes of its payload   |
 * </pre>
 */
public final class Icmp {
    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    public static final int IDENTIFIER = 4;
    public static final int SEQUENCE = 6;
    /** ICMPv4 type 3 code 4: next-hop MTU in the low 16 bits of the rest-of-header. */
    public static final int NEXT_HOP_MTU = 6;
    /** ICMPv6 packet too big: 32-bit MTU. */
    public static final int V6_MTU = 4;
    public static final int HEADER_LENGTH = 8;
    /** How much of the quoted packet's transport header must be present to find its ports. */
    public static final int QUOTED_TRANSPORT_BYTES = 8;

    public static final int V4_ECHO_REPLY = 0;
    public static final int V4_DEST_UNREACH = 3;
    public static final int V4_SOURCE_QUENCH = 4;
    public static final int V4_ECHO_REQUEST = 8;
    public static final int V4_TIME_EXCEEDED = 11;
    public static final int V4_PARAMETER_PROBLEM = 12;
    public static final int V4_CODE_FRAG_NEEDED = 4;
    public static final int V4_CODE_PORT_UNREACHABLE = 3;

    public static final int V6_DEST_UNREACH = 1;
    public static final int V6_PACKET_TOO_BIG = 2;
    /** Destination unreachable's code for a port no one listens on (RFC 4443 3.1). */
    public static final int V6_CODE_PORT_UNREACHABLE = 4;
    public static final int V6_TIME_EXCEEDED = 3;
    public static final int V6_PARAMETER_PROBLEM = 4;
    public static final int V6_ECHO_REQUEST = 128;
    public static final int V6_ECHO_REPLY = 129;

    private Icmp() {}

    /** The ICMPv4 errors that relate to a connection (as IPVS): they quote a packet worth looking up. */
    public static boolean isV4Error(int type) {
        return type == V4_DEST_UNREACH || type == V4_SOURCE_QUENCH || type == V4_TIME_EXCEEDED;
    }

    public static boolean isV6Error(int type) {
        return type >= V6_DEST_UNREACH && type <= V6_PARAMETER_PROBLEM;
    }

    public static boolean isV4Echo(int type) { return type == V4_ECHO_REQUEST || type == V4_ECHO_REPLY; }

    public static boolean isV6Echo(int type) { return type == V6_ECHO_REQUEST || type == V6_ECHO_REPLY; }
}
