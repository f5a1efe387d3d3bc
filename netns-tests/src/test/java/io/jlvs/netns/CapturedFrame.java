package io.jlvs.netns;

import java.util.HexFormat;

/**
 * One Ethernet frame read back from a capture file, with just enough IPv4/TCP/ARP decoding for the end-to-end
 * assertions. Checksums are verified here from the raw bytes, independently of the jlvs packets module, so a bug
 * shared by the director's rewrite code and its checksum helpers cannot hide itself.
 */
record CapturedFrame(byte[] bytes, int originalLength) {
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int PROTOCOL_TCP = 6;
    static final int TCP_RST = 0x04;
    static final int TCP_SYN = 0x02;
    static final int TCP_ACK = 0x10;
    private static final int ETHERNET_HEADER = 14;
    private static final int ARP_REPLY = 2;

    boolean truncated() {
        return bytes.length < originalLength;
    }

    int etherType() {
        return u16(12);
    }

    String sourceMac() {
        return mac(6);
    }

    boolean isIpv4() {
        return bytes.length >= ETHERNET_HEADER + 20 && etherType() == ETHERTYPE_IPV4 && (bytes[ETHERNET_HEADER] >> 4) == 4;
    }

    boolean isTcp() {
        return isIpv4() && u8(ETHERNET_HEADER + 9) == PROTOCOL_TCP;
    }

    String ipSource() {
        return ipv4(ETHERNET_HEADER + 12);
    }

    String ipDestination() {
        return ipv4(ETHERNET_HEADER + 16);
    }

    int tcpFlags() {
        return u8(l4Offset() + 13);
    }

    boolean hasTcpFlag(int flag) {
        return (tcpFlags() & flag) != 0;
    }

    /** The one's complement sum over the IPv4 header, its checksum field included, must be 0xffff. */
    boolean ipHeaderChecksumValid() {
        int headerLength = ipHeaderLength();
        return onesComplementSum(ETHERNET_HEADER, headerLength, 0) == 0xffff;
    }

    /** TCP checksum over pseudo-header (source, destination, protocol, TCP length) and the whole segment. */
    boolean tcpChecksumValid() {
        int segmentLength = u16(ETHERNET_HEADER + 2) - ipHeaderLength();
        long pseudo = u16(ETHERNET_HEADER + 12) + u16(ETHERNET_HEADER + 14) + u16(ETHERNET_HEADER + 16)
                + u16(ETHERNET_HEADER + 18) + PROTOCOL_TCP + segmentLength;
        return onesComplementSum(l4Offset(), segmentLength, pseudo) == 0xffff;
    }

    boolean isArpReply() {
        return etherType() == ETHERTYPE_ARP && bytes.length >= ETHERNET_HEADER + 28 && u16(ETHERNET_HEADER + 6) == ARP_REPLY;
    }

    String arpSenderMac() {
        return mac(ETHERNET_HEADER + 8);
    }

    String arpSenderIp() {
        return ipv4(ETHERNET_HEADER + 14);
    }

    /** The frame as hex, for assertion messages that let a reader decode the failing packet. */
    String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    private int ipHeaderLength() {
        return (bytes[ETHERNET_HEADER] & 0x0f) * 4;
    }

    private int l4Offset() {
        return ETHERNET_HEADER + ipHeaderLength();
    }

    private int onesComplementSum(int offset, int length, long initial) {
        long sum = initial;
        int end = offset + length;
        for (int i = offset; i + 1 < end; i += 2) {
            sum += u16(i);
        }
        if ((length & 1) != 0) {
            sum += u8(end - 1) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) sum;
    }

    private int u8(int offset) {
        return bytes[offset] & 0xff;
    }

    private int u16(int offset) {
        return (u8(offset) << 8) | u8(offset + 1);
    }

    private String ipv4(int offset) {
        return u8(offset) + "." + u8(offset + 1) + "." + u8(offset + 2) + "." + u8(offset + 3);
    }

    private String mac(int offset) {
        return HexFormat.ofDelimiter(":").formatHex(bytes, offset, offset + 6);
    }
}
