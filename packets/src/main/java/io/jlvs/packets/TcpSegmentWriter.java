package io.jlvs.packets;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put32;
import static io.jlvs.packets.Layouts.put64;
import static io.jlvs.packets.Layouts.put8;
import static io.jlvs.packets.Layouts.putMac;

/**
 * Writes an untagged IPv4 or IPv6 TCP segment without payload, checksums complete: the frames a director sends when
 * it takes part in a handshake itself (a SYN proxy's SYN-ACK to the client, its SYN and ACK to the server). Options
 * as {@link TcpOptions#writeSyn} lays them out: MSS, SACK permitted, timestamps and window scale, each only when
 * set. A reusable holder (one per worker), so writing allocates nothing.
 */
public final class TcpSegmentWriter {
    private static final int TTL = 64;

    public long srcMac, dstMac;
    public int srcIp, dstIp, srcPort, dstPort, seq, ack, flags, window;
    /** The addresses of an IPv6 segment ({@link #writeIpv6}), as the flow parser gives them. */
    public long srcIpHi, srcIpLo, dstIpHi, dstIpLo;
    /** -1: not sent. */
    public int mss, windowScale;
    public boolean sackPermitted, timestamps;
    public int tsVal, tsEcr;

    public TcpSegmentWriter() {
        reset();
    }

    /** Clears every field: no options, zero numbers. */
    public TcpSegmentWriter reset() {
        srcMac = dstMac = 0;
        srcIp = dstIp = srcPort = dstPort = seq = ack = flags = window = 0;
        srcIpHi = srcIpLo = dstIpHi = dstIpLo = 0;
        mss = windowScale = -1;
        sackPermitted = timestamps = false;
        tsVal = tsEcr = 0;
        return this;
    }

    /** The frame at {@code off}; its length, or 0 (nothing written) when {@code out} has no room for it. */
    public int write(MemorySegment out, long off) {
        if (!fits(out, off, Ipv4.MIN_HEADER_LENGTH)) return 0;
        long l3 = off + Ethernet.HEADER_LENGTH, l4 = l3 + Ipv4.MIN_HEADER_LENGTH;
        int tcpLength = writeEthernetAndOptions(out, off, Ethernet.TYPE_IPV4, l4);
        put8(out, l3 + Ipv4.VERSION_IHL, 0x45);
        put8(out, l3 + Ipv4.TOS, 0);
        put16(out, l3 + Ipv4.TOTAL_LENGTH, Ipv4.MIN_HEADER_LENGTH + tcpLength);
        put16(out, l3 + Ipv4.IDENTIFICATION, 0);
        put16(out, l3 + Ipv4.FLAGS_FRAGMENT, Ipv4.FLAG_DF);
        put8(out, l3 + Ipv4.TTL, TTL);
        put8(out, l3 + Ipv4.PROTOCOL, Ipv4.PROTO_TCP);
        put16(out, l3 + Ipv4.CHECKSUM, 0);
        put32(out, l3 + Ipv4.SRC, srcIp);
        put32(out, l3 + Ipv4.DST, dstIp);
        Checksums.fillIpv4Header(out, l3, Ipv4.MIN_HEADER_LENGTH);
        writeTcpHeader(out, l4, tcpLength);
        put16(out, l4 + Tcp.CHECKSUM, Checksums.transportIpv4(out, l3, l4, tcpLength, Ipv4.PROTO_TCP));
        return Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH + tcpLength;
    }

    /** Whether a frame with an IP header of {@code ipHeaderLength} and the longest options fits at {@code off}. */
    private static boolean fits(MemorySegment out, long off, int ipHeaderLength) {
        int longest = Ethernet.HEADER_LENGTH + ipHeaderLength + Tcp.MIN_HEADER_LENGTH + 20;
        return off >= 0 && off + longest <= out.byteSize();
    }

    /** The Ethernet header and the TCP options (the TCP header at {@code l4}); returns the TCP header's length. */
    private int writeEthernetAndOptions(MemorySegment out, long off, int etherType, long l4) {
        putMac(out, off + Ethernet.DST_MAC, dstMac);
        putMac(out, off + Ethernet.SRC_MAC, srcMac);
        put16(out, off + Ethernet.ETHER_TYPE, etherType);
        return Tcp.MIN_HEADER_LENGTH + TcpOptions.writeSyn(out, l4 + Tcp.MIN_HEADER_LENGTH, mss, sackPermitted,
                timestamps, tsVal, tsEcr, windowScale);
    }

    /**
     * The IPv6 frame at {@code off}, from {@link #srcIpHi}/{@link #srcIpLo} to {@link #dstIpHi}/{@link #dstIpLo}
     * (no extension headers, flow label 0); its length, or 0 (nothing written) when {@code out} has no room for it.
     * The TCP checksum covers the IPv6 pseudo-header.
     */
    public int writeIpv6(MemorySegment out, long off) {
        if (!fits(out, off, Ipv6.HEADER_LENGTH)) return 0;
        long l3 = off + Ethernet.HEADER_LENGTH, l4 = l3 + Ipv6.HEADER_LENGTH;
        int tcpLength = writeEthernetAndOptions(out, off, Ethernet.TYPE_IPV6, l4);
        put32(out, l3 + Ipv6.VERSION_CLASS_FLOW, 6 << 28);
        put16(out, l3 + Ipv6.PAYLOAD_LENGTH, tcpLength);
        put8(out, l3 + Ipv6.NEXT_HEADER, Ipv4.PROTO_TCP);
        put8(out, l3 + Ipv6.HOP_LIMIT, TTL);
        put64(out, l3 + Ipv6.SRC, srcIpHi);
        put64(out, l3 + Ipv6.SRC + 8, srcIpLo);
        put64(out, l3 + Ipv6.DST, dstIpHi);
        put64(out, l3 + Ipv6.DST + 8, dstIpLo);
        writeTcpHeader(out, l4, tcpLength);
        put16(out, l4 + Tcp.CHECKSUM, Checksums.transportIpv6(out, l3, l4, tcpLength, Ipv4.PROTO_TCP));
        return Ethernet.HEADER_LENGTH + Ipv6.HEADER_LENGTH + tcpLength;
    }

    /** The fixed TCP header at {@code l4}, its checksum 0 (the options are written already). */
    private void writeTcpHeader(MemorySegment out, long l4, int tcpLength) {
        put16(out, l4 + Tcp.SRC_PORT, srcPort);
        put16(out, l4 + Tcp.DST_PORT, dstPort);
        put32(out, l4 + Tcp.SEQ, seq);
        put32(out, l4 + Tcp.ACK_NUMBER, ack);
        put8(out, l4 + Tcp.DATA_OFFSET, (tcpLength / 4) << 4);
        put8(out, l4 + Tcp.FLAGS, flags);
        put16(out, l4 + Tcp.WINDOW, window);
        put16(out, l4 + Tcp.CHECKSUM, 0);
        put16(out, l4 + Tcp.URGENT, 0);
    }
}
