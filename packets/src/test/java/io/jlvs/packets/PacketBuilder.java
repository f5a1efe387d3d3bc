package io.jlvs.packets;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Fluent builder of test and tool frames, correct by default (lengths, checksums), with switches that break one
 * thing at a time for malformed fixtures. Not for the hot path: it allocates freely.
 *
 * <pre>
 * byte[] syn = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").vlan(10)
 *         .ipv4("10.0.0.2", "10.0.0.100").ttl(64).tcp(40000, 80).flags(Tcp.SYN).payload(bytes).build();
 * byte[] inner = PacketBuilder.ipOnly().ipv4("10.0.0.2", "10.0.0.100").udp(5000, 53).build();
 * </pre>
 *
 * Checksums are computed here by a plain byte loop, independent of {@link Checksums}, so that tests comparing the
 * two compare two implementations.
 */
public final class PacketBuilder {
    private enum Transport { NONE, TCP, UDP, ICMP_ECHO, ICMP_ERROR, IPIP, RAW }

    // ---- link
    private final boolean withEthernet;
    private long srcMac, dstMac;
    private int vlanId = -1;
    private int etherTypeOverride = -1;
    private boolean padToMinimum;

    // ---- ARP
    private int arpOperation;
    private long arpSenderMac, arpTargetMac;
    private int arpSenderIp, arpTargetIp;

    // ---- IP
    private int ipVersion;
    private byte[] srcIp, dstIp;
    private int ttl = 64, tos, identification = 0x1234, flowLabel;
    private boolean dontFragment = true;
    private byte[] ipv4Options = new byte[0];
    private int fragmentOffset;          // bytes, multiple of 8
    private boolean moreFragments;
    private boolean fragmented;
    private final List<int[]> extensionHeaders = new ArrayList<>(); // {type, fragOffset, more, id}
    private int ihlOverride = -1, totalLengthOverride = -1, ipChecksumOverride = -1, payloadLengthOverride = -1;
    private int protocolOverride = -1;

    // ---- transport
    private Transport transport = Transport.NONE;
    private int srcPort, dstPort;
    private int tcpFlags = Tcp.ACK;
    private long seq = 1000, ackNumber;
    private int window = 65535;
    private byte[] tcpOptions = new byte[0];
    private int tcpDataOffsetOverride = -1, udpLengthOverride = -1, l4ChecksumOverride = -1;
    private boolean partialChecksum;
    private boolean echoRequest;
    private int icmpType, icmpCode, icmpRest;
    private byte[] quoted = new byte[0];
    private byte[] payload = new byte[0];
    private int truncateTo = -1;

    private PacketBuilder(boolean withEthernet) {
        this.withEthernet = withEthernet;
    }

    /** A frame with an Ethernet II header; MACs as "aa:bb:cc:dd:ee:ff". */
    public static PacketBuilder ethernet(String srcMac, String dstMac) {
        return ethernet(mac(srcMac), mac(dstMac));
    }

    public static PacketBuilder ethernet(long srcMac, long dstMac) {
        PacketBuilder b = new PacketBuilder(true);
        b.srcMac = srcMac;
        b.dstMac = dstMac;
        return b;
    }

    /** A bare IP packet (no link header): quoted packets, tunnel payloads. */
    public static PacketBuilder ipOnly() {
        return new PacketBuilder(false);
    }

    // ---------------------------------------------------------------- link
    public PacketBuilder vlan(int id) { vlanId = id; return this; }

    public PacketBuilder etherType(int type) { etherTypeOverride = type; return this; }

    /** Pads the frame with zeros to the 60-byte Ethernet minimum, as a NIC does. */
    public PacketBuilder padToMinimum() { padToMinimum = true; return this; }

    // ---------------------------------------------------------------- ARP
    public PacketBuilder arpRequest(String senderMac, String senderIp, String targetIp) {
        arpOperation = Arp.OP_REQUEST;
        arpSenderMac = mac(senderMac);
        arpSenderIp = Ipv4.parse(senderIp);
        arpTargetIp = Ipv4.parse(targetIp);
        return this;
    }

    public PacketBuilder arpReply(String senderMac, String senderIp, String targetMac, String targetIp) {
        arpOperation = Arp.OP_REPLY;
        arpSenderMac = mac(senderMac);
        arpSenderIp = Ipv4.parse(senderIp);
        arpTargetMac = mac(targetMac);
        arpTargetIp = Ipv4.parse(targetIp);
        return this;
    }

    // ---------------------------------------------------------------- IP
    public PacketBuilder ipv4(String src, String dst) {
        ipVersion = 4;
        srcIp = address(src, 4);
        dstIp = address(dst, 4);
        return this;
    }

    public PacketBuilder ipv6(String src, String dst) {
        ipVersion = 6;
        srcIp = address(src, 16);
        dstIp = address(dst, 16);
        return this;
    }

    public PacketBuilder ttl(int value) { ttl = value; return this; }

    public PacketBuilder tos(int value) { tos = value; return this; }

    public PacketBuilder identification(int value) { identification = value; return this; }

    public PacketBuilder flowLabel(int value) { flowLabel = value; return this; }

    public PacketBuilder dontFragment(boolean value) { dontFragment = value; return this; }

    /** IPv4 options; padded with zeros (end of list) to a multiple of 4 bytes. */
    public PacketBuilder ipv4Options(byte[] options) { ipv4Options = options.clone(); return this; }

    /**
     * Marks the packet as a fragment at {@code offsetBytes} (multiple of 8) with the MF flag {@code more}. For IPv4
     * the header says so; for IPv6 a fragment header is appended to the extension chain. A fragment with offset
     * above 0 carries only the payload bytes, no transport header.
     */
    public PacketBuilder fragment(int offsetBytes, boolean more) {
        fragmented = true;
        fragmentOffset = offsetBytes;
        moreFragments = more;
        if (ipVersion == 6) extensionHeaders.add(new int[] {Ipv6.EXT_FRAGMENT, offsetBytes, more ? 1 : 0, identification});
        return this;
    }

    public PacketBuilder hopByHop() { extensionHeaders.add(new int[] {Ipv6.EXT_HOP_BY_HOP}); return this; }

    public PacketBuilder destinationOptions() { extensionHeaders.add(new int[] {Ipv6.EXT_DESTINATION}); return this; }

    public PacketBuilder routingHeader() { extensionHeaders.add(new int[] {Ipv6.EXT_ROUTING}); return this; }

    // ---- IP breakers
    /** Writes this IHL (in 32-bit words) instead of the true one. */
    public PacketBuilder ihl(int words) { ihlOverride = words; return this; }

    public PacketBuilder totalLength(int value) { totalLengthOverride = value; return this; }

    public PacketBuilder ipChecksum(int value) { ipChecksumOverride = value; return this; }

    /** IPv6 payload length to write instead of the true one. */
    public PacketBuilder payloadLength(int value) { payloadLengthOverride = value; return this; }

    /** IPv4 protocol / IPv6 next header of the transport, for protocols this builder does not know. */
    public PacketBuilder protocol(int value) { protocolOverride = value; transport = transport == Transport.NONE ? Transport.RAW : transport; return this; }

    // ---------------------------------------------------------------- transport
    public PacketBuilder tcp(int src, int dst) {
        transport = Transport.TCP;
        srcPort = src;
        dstPort = dst;
        return this;
    }

    public PacketBuilder flags(int value) { tcpFlags = value; return this; }

    public PacketBuilder seq(long value) { seq = value; return this; }

    public PacketBuilder ack(long value) { ackNumber = value; return this; }

    public PacketBuilder window(int value) { window = value; return this; }

    /** TCP options; padded with zeros (end of option list) to a multiple of 4 bytes. */
    public PacketBuilder tcpOptions(byte[] options) { tcpOptions = options.clone(); return this; }

    public PacketBuilder tcpDataOffset(int words) { tcpDataOffsetOverride = words; return this; }

    public PacketBuilder udp(int src, int dst) {
        transport = Transport.UDP;
        srcPort = src;
        dstPort = dst;
        return this;
    }

    public PacketBuilder udpLength(int value) { udpLengthOverride = value; return this; }

    /** Writes this value as the transport checksum (0 for "no UDP checksum"). */
    public PacketBuilder l4Checksum(int value) { l4ChecksumOverride = value; return this; }

    /** CHECKSUM_PARTIAL as a sending host leaves it: the field holds the folded pseudo-header sum only. */
    public PacketBuilder partialChecksum() { partialChecksum = true; return this; }

    /** ICMP (v4 or v6, after the IP version) echo request or reply. */
    public PacketBuilder icmpEcho(boolean request, int identifier, int sequence) {
        transport = Transport.ICMP_ECHO;
        echoRequest = request;
        icmpRest = (identifier << 16) | (sequence & 0xFFFF);
        return this;
    }

    /** ICMP (v4 or v6) error of the given type and code quoting {@code quotedIpPacket} (all of it). */
    public PacketBuilder icmpError(int type, int code, byte[] quotedIpPacket) {
        transport = Transport.ICMP_ERROR;
        icmpType = type;
        icmpCode = code;
        icmpRest = 0;
        quoted = quotedIpPacket.clone();
        return this;
    }

    /** ICMPv4 fragmentation needed with next-hop MTU, or ICMPv6 packet too big with MTU. */
    public PacketBuilder icmpPacketTooBig(int mtu, byte[] quotedIpPacket) {
        if (ipVersion == 6) {
            icmpError(Icmp.V6_PACKET_TOO_BIG, 0, quotedIpPacket);
            icmpRest = mtu;
        } else {
            icmpError(Icmp.V4_DEST_UNREACH, Icmp.V4_CODE_FRAG_NEEDED, quotedIpPacket);
            icmpRest = mtu & 0xFFFF;
        }
        return this;
    }

    /** IP-in-IP: the payload is the given IP packet, protocol 4 or 41 after its version. */
    public PacketBuilder ipip(byte[] innerIpPacket) {
        transport = Transport.IPIP;
        payload = innerIpPacket.clone();
        return this;
    }

    public PacketBuilder payload(byte[] bytes) { payload = bytes.clone(); return this; }

    /** {@code length} payload bytes of a recognisable pattern. */
    public PacketBuilder payload(int length) {
        payload = new byte[length];
        for (int i = 0; i < length; i++) payload[i] = (byte) (i * 7 + 1);
        return this;
    }

    /** Cuts the finished frame to its first {@code length} bytes. */
    public PacketBuilder truncate(int length) { truncateTo = length; return this; }

    // ---------------------------------------------------------------- build
    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (withEthernet) {
            writeMac(out, dstMac);
            writeMac(out, srcMac);
            int type = etherTypeOverride >= 0 ? etherTypeOverride
                    : arpOperation != 0 ? Ethernet.TYPE_ARP : ipVersion == 6 ? Ethernet.TYPE_IPV6 : Ethernet.TYPE_IPV4;
            if (vlanId >= 0) {
                write16(out, Ethernet.TYPE_VLAN);
                write16(out, vlanId);
            }
            write16(out, type);
        }
        if (arpOperation != 0) {
            out.writeBytes(arp());
        } else if (ipVersion != 0) {
            out.writeBytes(ipVersion == 4 ? ipv4Packet() : ipv6Packet());
        } else {
            out.writeBytes(payload); // a link-layer-only frame: the payload follows the EtherType
        }
        byte[] frame = out.toByteArray();
        if (padToMinimum && frame.length < 60) frame = Arrays.copyOf(frame, 60);
        if (truncateTo >= 0) frame = Arrays.copyOf(frame, Math.min(truncateTo, frame.length));
        return frame;
    }

    private byte[] arp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write16(out, Arp.HTYPE_ETHERNET);
        write16(out, Ethernet.TYPE_IPV4);
        out.write(6);
        out.write(4);
        write16(out, arpOperation);
        writeMac(out, arpSenderMac);
        write32(out, arpSenderIp);
        writeMac(out, arpTargetMac);
        write32(out, arpTargetIp);
        return out.toByteArray();
    }

    private int transportProtocol() {
        if (protocolOverride >= 0) return protocolOverride;
        return switch (transport) {
            case TCP -> Ipv4.PROTO_TCP;
            case UDP -> Ipv4.PROTO_UDP;
            case ICMP_ECHO, ICMP_ERROR -> ipVersion == 6 ? Ipv4.PROTO_ICMPV6 : Ipv4.PROTO_ICMP;
            case IPIP -> payload.length > 0 && (payload[0] & 0xF0) == 0x60 ? Ipv4.PROTO_IPV6 : Ipv4.PROTO_IPIP;
            case NONE, RAW -> Ipv6.NO_NEXT_HEADER;
        };
    }

    private byte[] ipv4Packet() {
        int protocol = transportProtocol();
        byte[] l4 = transportBytes(protocol);
        byte[] options = Arrays.copyOf(ipv4Options, (ipv4Options.length + 3) & ~3);
        int headerLength = Ipv4.MIN_HEADER_LENGTH + options.length;
        byte[] ip = new byte[headerLength + l4.length];
        ip[0] = (byte) (0x40 | (ihlOverride >= 0 ? ihlOverride : headerLength / 4));
        ip[1] = (byte) tos;
        put16(ip, 2, totalLengthOverride >= 0 ? totalLengthOverride : ip.length);
        put16(ip, 4, identification);
        put16(ip, 6, (dontFragment ? Ipv4.FLAG_DF : 0) | (moreFragments ? Ipv4.FLAG_MF : 0) | (fragmentOffset >>> 3));
        ip[8] = (byte) ttl;
        ip[9] = (byte) protocol;
        System.arraycopy(srcIp, 0, ip, 12, 4);
        System.arraycopy(dstIp, 0, ip, 16, 4);
        System.arraycopy(options, 0, ip, 20, options.length);
        put16(ip, 10, ipChecksumOverride >= 0 ? ipChecksumOverride : finish(onesSum(ip, 0, headerLength, 0)));
        System.arraycopy(l4, 0, ip, headerLength, l4.length);
        return ip;
    }

    private byte[] ipv6Packet() {
        int protocol = transportProtocol();
        byte[] l4 = transportBytes(protocol);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        for (int i = 0; i < extensionHeaders.size(); i++) {
            int[] h = extensionHeaders.get(i);
            int next = i + 1 < extensionHeaders.size() ? extensionHeaders.get(i + 1)[0] : protocol;
            ext.write(next);
            ext.write(0); // length: 8 bytes
            switch (h[0]) {
                case Ipv6.EXT_FRAGMENT -> {
                    write16(ext, (h[1] & 0xFFF8) | h[2]);
                    write32(ext, h[3]);
                }
                case Ipv6.EXT_ROUTING -> ext.writeBytes(new byte[] {0, 0, 0, 0, 0, 0}); // type 0, segments left 0
                default -> ext.writeBytes(new byte[] {1, 4, 0, 0, 0, 0}); // PadN over the 6 option bytes
            }
        }
        byte[] extBytes = ext.toByteArray();
        int firstNext = extensionHeaders.isEmpty() ? protocol : extensionHeaders.get(0)[0];
        byte[] ip = new byte[Ipv6.HEADER_LENGTH + extBytes.length + l4.length];
        put32(ip, 0, (6 << 28) | ((tos & 0xFF) << 20) | (flowLabel & 0xFFFFF));
        put16(ip, 4, payloadLengthOverride >= 0 ? payloadLengthOverride : extBytes.length + l4.length);
        ip[6] = (byte) firstNext;
        ip[7] = (byte) ttl;
        System.arraycopy(srcIp, 0, ip, 8, 16);
        System.arraycopy(dstIp, 0, ip, 24, 16);
        System.arraycopy(extBytes, 0, ip, 40, extBytes.length);
        System.arraycopy(l4, 0, ip, 40 + extBytes.length, l4.length);
        return ip;
    }

    private byte[] transportBytes(int protocol) {
        if (fragmented && fragmentOffset > 0) return payload.clone(); // later fragment: payload only
        byte[] l4;
        int checksumAt;
        switch (transport) {
            case TCP -> {
                byte[] options = Arrays.copyOf(tcpOptions, (tcpOptions.length + 3) & ~3);
                int headerLength = Tcp.MIN_HEADER_LENGTH + options.length;
                l4 = new byte[headerLength + payload.length];
                put16(l4, 0, srcPort);
                put16(l4, 2, dstPort);
                put32(l4, 4, (int) seq);
                put32(l4, 8, (int) ackNumber);
                l4[12] = (byte) ((tcpDataOffsetOverride >= 0 ? tcpDataOffsetOverride : headerLength / 4) << 4);
                l4[13] = (byte) tcpFlags;
                put16(l4, 14, window);
                System.arraycopy(options, 0, l4, 20, options.length);
                System.arraycopy(payload, 0, l4, headerLength, payload.length);
                checksumAt = Tcp.CHECKSUM;
            }
            case UDP -> {
                l4 = new byte[Udp.HEADER_LENGTH + payload.length];
                put16(l4, 0, srcPort);
                put16(l4, 2, dstPort);
                put16(l4, 4, udpLengthOverride >= 0 ? udpLengthOverride : l4.length);
                System.arraycopy(payload, 0, l4, 8, payload.length);
                checksumAt = Udp.CHECKSUM;
            }
            case ICMP_ECHO -> {
                l4 = new byte[Icmp.HEADER_LENGTH + payload.length];
                int type = ipVersion == 6 ? (echoRequest ? Icmp.V6_ECHO_REQUEST : Icmp.V6_ECHO_REPLY)
                        : (echoRequest ? Icmp.V4_ECHO_REQUEST : Icmp.V4_ECHO_REPLY);
                l4[0] = (byte) type;
                put32(l4, 4, icmpRest);
                System.arraycopy(payload, 0, l4, 8, payload.length);
                checksumAt = Icmp.CHECKSUM;
            }
            case ICMP_ERROR -> {
                l4 = new byte[Icmp.HEADER_LENGTH + quoted.length];
                l4[0] = (byte) icmpType;
                l4[1] = (byte) icmpCode;
                put32(l4, 4, icmpRest);
                System.arraycopy(quoted, 0, l4, 8, quoted.length);
                checksumAt = Icmp.CHECKSUM;
            }
            default -> {
                return payload.clone();
            }
        }
        long pseudo = protocol == Ipv4.PROTO_ICMP ? 0 : pseudoHeaderSum(protocol, l4.length);
        int checksum;
        if (l4ChecksumOverride >= 0) {
            checksum = l4ChecksumOverride;
        } else if (partialChecksum) {
            checksum = fold(pseudo);
        } else {
            checksum = finish(onesSum(l4, 0, l4.length, pseudo));
            if (protocol == Ipv4.PROTO_UDP && checksum == 0) checksum = 0xFFFF;
        }
        put16(l4, checksumAt, checksum);
        return l4;
    }

    private long pseudoHeaderSum(int protocol, int l4Length) {
        long acc = onesSum(srcIp, 0, srcIp.length, 0);
        acc = onesSum(dstIp, 0, dstIp.length, acc);
        return acc + protocol + l4Length;
    }

    // ---------------------------------------------------------------- helpers
    /** Plain RFC 1071 sum of 16-bit big-endian words; deliberately the simplest possible loop. */
    static long onesSum(byte[] b, int off, int len, long acc) {
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            acc += (hi << 8) | lo;
        }
        return acc;
    }

    private static int fold(long acc) {
        while ((acc >>> 16) != 0) acc = (acc & 0xFFFF) + (acc >>> 16);
        return (int) acc;
    }

    private static int finish(long acc) { return ~fold(acc) & 0xFFFF; }

    /** "aa:bb:cc:dd:ee:ff" as a long (low 48 bits). */
    public static long mac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) throw new IllegalArgumentException("not a MAC address: " + text);
        long v = 0;
        for (String p : parts) v = (v << 8) | Integer.parseInt(p, 16);
        return v;
    }

    /** An address literal (IPv4 dotted quad or IPv6), never a host name. */
    public static byte[] address(String literal, int expectedLength) {
        try {
            if (expectedLength == 4) {
                int v = Ipv4.parse(literal);
                return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
            }
            if (!literal.contains(":")) throw new IllegalArgumentException("not an IPv6 literal: " + literal);
            byte[] b = InetAddress.getByName(literal).getAddress();
            if (b.length != 16) throw new IllegalArgumentException("not an IPv6 literal: " + literal);
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }

    /** Hex dump, 16 bytes a line with offsets, in the form text2pcap / {@code od -Ax -tx1} produce and read. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        HexFormat hf = HexFormat.of();
        for (int i = 0; i < bytes.length; i += 16) {
            sb.append(String.format("%06x", i));
            for (int j = i; j < Math.min(i + 16, bytes.length); j++) sb.append(' ').append(hf.toHexDigits(bytes[j]));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void put32(byte[] b, int off, int v) {
        put16(b, off, v >>> 16);
        put16(b, off + 2, v);
    }

    private static void write16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void write32(ByteArrayOutputStream out, int v) {
        write16(out, v >>> 16);
        write16(out, v);
    }

    private static void writeMac(ByteArrayOutputStream out, long mac) {
        write16(out, (int) (mac >>> 32));
        write32(out, (int) mac);
    }
}
