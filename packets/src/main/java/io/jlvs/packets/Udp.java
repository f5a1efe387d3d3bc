package io.jlvs.packets;

/**
 * UDP header (RFC 768). Over IPv4 a checksum of 0 means "none"; a computed 0 is sent as 0xFFFF.
 * <pre>
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |            Length             |           Checksum            |
 * +-------------------------------+-------------------------------+
 * </pre>
 */
public final class Udp {
    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    private Udp() {}
}
