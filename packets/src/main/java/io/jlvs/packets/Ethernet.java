package io.jlvs.packets;

/**
 * Ethernet II header, optionally followed by one 802.1Q tag.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  destination MAC (6 bytes)                    |
 * +                               +-------------------------------+
 * |                               |                               |
 * +-------------------------------+                               +
 * |                    source MAC (6 bytes)                       |
 * +-------------------------------+-------------------------------+
 * |  EtherType (0x8100 = 802.1Q)  |  802.1Q only: PCP|DEI|VID     |
 * +-------------------------------+-------------------------------+
 * |  802.1Q only: inner EtherType |
 * +-------------------------------+
 * </pre>
 */
public final class Ethernet {
    public static final int DST_MAC = 0;
    public static final int SRC_MAC = 6;
    public static final int ETHER_TYPE = 12;
    public static final int HEADER_LENGTH = 14;
    /** Within a tagged frame: the tag control information and the EtherType after the tag. */
    public static final int VLAN_TCI = 14;
    public static final int VLAN_ETHER_TYPE = 16;
    public static final int VLAN_HEADER_LENGTH = 18;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88A8;
    public static final int TYPE_IPV6 = 0x86DD;

    private Ethernet() {}
}
