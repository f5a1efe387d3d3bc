package io.jlvs.packets;

/**
 * ARP for IPv4 over Ethernet (RFC 826), the only combination jlvs answers.
 * <pre>
 * +-------------------------------+-------------------------------+
 * |   hardware type (1)           |   protocol type (0x0800)      |
 * +---------------+---------------+-------------------------------+
 * |  hlen (6)     |  plen (4)     |   operation (1 req, 2 reply)  |
 * +---------------+---------------+-------------------------------+
 * |   sender MAC (6)  |  sender IP (4)  |  target MAC (6)  |  target IP (4) |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class Arp {
    public static final int HARDWARE_TYPE = 0;
    public static final int PROTOCOL_TYPE = 2;
    public static final int HARDWARE_LENGTH = 4;
    public static final int PROTOCOL_LENGTH = 5;
    public static final int OPERATION = 6;
    public static final int SENDER_MAC = 8;
    public static final int SENDER_IP = 14;
    public static final int TARGET_MAC = 18;
    public static final int TARGET_IP = 24;
    public static final int LENGTH = 28;

    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private Arp() {}
}
