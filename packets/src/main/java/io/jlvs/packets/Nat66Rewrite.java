package io.jlvs.packets;

import static io.jlvs.packets.Layouts.put16;
import static io.jlvs.packets.Layouts.put64;
import static io.jlvs.packets.Layouts.u16;
import static io.jlvs.packets.Layouts.u64;

import java.lang.foreign.MemorySegment;

/**
 * In-place IPv6 NAT rewrites (NAT66) of a parsed packet, as IPVS's masquerading does for IPv6: IPv6 has no header
 * checksum, so only the transport checksum changes, by the RFC 1624 difference of the 128-bit address in its
 * pseudo-header and of the port. A UDP checksum is mandatory over IPv6 (RFC 8200 8.1): a result of 0 is sent as
 * 0xFFFF, and a datagram that arrives with 0 gets its checksum computed in full. The {@link FlowDescription} is kept
 * in step with the bytes. ICMPv6 errors get their quoted packet rewritten and their checksum recomputed (it covers
 * the outer pseudo-header). Allocation-free.
 */
public final class Nat66Rewrite {
    private Nat66Rewrite() {}

    /** Rewrites the destination address and (TCP/UDP) port of an IPv6 packet. */
    public static void setDestination(MemorySegment seg, FlowDescription f, long newHi, long newLo, int newPort,
                                      boolean l4ChecksumPartial) {
        if (f.ipVersion != 6) return;
        rewrite(seg, f, true, newHi, newLo, newPort, l4ChecksumPartial);
    }

    /** Rewrites the source address and (TCP/UDP) port of an IPv6 packet (a real server's reply leaving as the VIP). */
    public static void setSource(MemorySegment seg, FlowDescription f, long newHi, long newLo, int newPort,
                                 boolean l4ChecksumPartial) {
        if (f.ipVersion != 6) return;
        rewrite(seg, f, false, newHi, newLo, newPort, l4ChecksumPartial);
    }

    private static void rewrite(MemorySegment seg, FlowDescription f, boolean destination, long newHi, long newLo,
                                int newPort, boolean partial) {
        long field = f.l3Offset + (destination ? Ipv6.DST : Ipv6.SRC);
        long oldHi = destination ? f.dstHi : f.srcHi, oldLo = destination ? f.dstLo : f.srcLo;
        put64(seg, field, newHi);
        put64(seg, field + 8, newLo);
        if (destination) {
            f.dstHi = newHi;
            f.dstLo = newLo;
        } else {
            f.srcHi = newHi;
            f.srcLo = newLo;
        }
        if (f.l4Offset < 0 || (f.protocol != Ipv4.PROTO_TCP && f.protocol != Ipv4.PROTO_UDP)) return;
        int oldPort = destination ? f.dstPort : f.srcPort;
        put16(seg, f.l4Offset + (destination ? Tcp.DST_PORT : Tcp.SRC_PORT), newPort);
        if (destination) f.dstPort = newPort; else f.srcPort = newPort;
        boolean udp = f.protocol == Ipv4.PROTO_UDP;
        long at = f.l4Offset + (udp ? Udp.CHECKSUM : Tcp.CHECKSUM) - 6;
        long word = u64(seg, at);
        if (partial || (udp && (word & 0xFFFF) == 0)) {
            Checksums.completePartial(seg, f); // nothing for a fragment: the datagram is not all here
            return;
        }
        int delta = addressDelta(oldHi, newHi) + addressDelta(oldLo, newLo) + Checksums.wordDelta(oldPort, newPort);
        long updated = Checksums.applyDeltaToWord(word, delta);
        put64(seg, at, udp && (updated & 0xFFFF) == 0 ? updated | 0xFFFF : updated);
    }

    /** The RFC 1624 difference {@code ~m + m'} of a changed 64-bit half of an address, as a sum of 16-bit words. */
    static int addressDelta(long oldValue, long newValue) {
        return Checksums.addressDelta((int) (oldValue >>> 32), (int) (newValue >>> 32))
                + Checksums.addressDelta((int) oldValue, (int) newValue);
    }

    /**
     * In an ICMPv6 error, rewrites the quoted packet's source address and port (an error from the client's side
     * quotes a packet sent from the VIP; the real server must see its own address), with the quoted transport
     * checksum when it is within the quote. Call {@link #refreshIcmpChecksum} after the outer rewrite.
     */
    public static void setQuotedSource(MemorySegment seg, FlowDescription f, long newHi, long newLo, int newPort) {
        if (rewriteQuoted(seg, f, false, newHi, newLo, newPort)) {
            f.innerSrcHi = newHi;
            f.innerSrcLo = newLo;
            if (quotedHasPorts(f)) f.innerSrcPort = newPort;
        }
    }

    /** As {@link #setQuotedSource} for the quoted packet's destination. */
    public static void setQuotedDestination(MemorySegment seg, FlowDescription f, long newHi, long newLo,
                                            int newPort) {
        if (rewriteQuoted(seg, f, true, newHi, newLo, newPort)) {
            f.innerDstHi = newHi;
            f.innerDstLo = newLo;
            if (quotedHasPorts(f)) f.innerDstPort = newPort;
        }
    }

    /** Recomputes an ICMPv6 message's checksum in full (errors are short and rare; it covers the outer addresses). */
    public static void refreshIcmpChecksum(MemorySegment seg, FlowDescription f) {
        if (f.ipVersion != 6 || f.protocol != Ipv4.PROTO_ICMPV6 || f.l4Offset < 0) return;
        put16(seg, f.l4Offset + Icmp.CHECKSUM,
                Checksums.transportIpv6(seg, f.l3Offset, f.l4Offset, f.l4Length, Ipv4.PROTO_ICMPV6));
    }

    private static boolean quotedHasPorts(FlowDescription f) {
        return f.innerL4Offset >= 0 && (f.innerProtocol == Ipv4.PROTO_TCP || f.innerProtocol == Ipv4.PROTO_UDP);
    }

    private static boolean rewriteQuoted(MemorySegment seg, FlowDescription f, boolean destination, long newHi,
                                         long newLo, int newPort) {
        if (!f.icmpError || f.ipVersion != 6 || f.innerIpVersion != 6 || f.innerL3Offset < 0) return false;
        long q = f.innerL3Offset + (destination ? Ipv6.DST : Ipv6.SRC);
        long oldHi = u64(seg, q), oldLo = u64(seg, q + 8);
        put64(seg, q, newHi);
        put64(seg, q + 8, newLo);
        if (!quotedHasPorts(f)) return true;
        long ql4 = f.innerL4Offset;
        int portField = destination ? Tcp.DST_PORT : Tcp.SRC_PORT;
        int oldPort = u16(seg, ql4 + portField);
        put16(seg, ql4 + portField, newPort);
        int field = Checksums.checksumFieldOffset(f.innerProtocol);
        if (ql4 + field + 2 <= f.innerL3Offset + f.icmpQuoteLength) {
            int old = u16(seg, ql4 + field);
            int delta = addressDelta(oldHi, newHi) + addressDelta(oldLo, newLo) + Checksums.wordDelta(oldPort, newPort);
            int sum = (int) Checksums.applyDeltaToWord(old, delta) & 0xFFFF;
            put16(seg, ql4 + field, sum == 0 && f.innerProtocol == Ipv4.PROTO_UDP ? 0xFFFF : sum);
        }
        return true;
    }
}
