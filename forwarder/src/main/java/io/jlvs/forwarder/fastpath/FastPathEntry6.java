package io.jlvs.forwarder.fastpath;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The layout of the fast path's IPv6 flow map ({@link FastPathEntry}'s twin for NAT66 and IPv6 direct routing),
 * shared by the XDP program that reads it and the Java code that writes it.
 *
 * <p>The key is one direction of a flow as its packets carry it: {@code saddr, daddr, sport, dport} in network order
 * (the bytes of the IPv6 and L4 headers), then the next-header byte and three zero bytes: 40 bytes.
 *
 * <p>The value (64 bytes) says what to do with a packet of that direction:
 * <pre>
 *   0  new saddr, daddr        network order, 16 bytes each
 *  32  new sport, dport        network order
 *  36  L4 checksum delta       one's-complement sum of ~old + new words over the pseudo-header's addresses and the
 *                              ports (IPv6 has no header checksum, and the hop limit is in no checksum)
 *  38  longest IP packet       host order: the egress link's MTU; a longer packet goes to Java (Packet Too Big)
 *  40  destination MAC, source MAC   the next hop's, the egress device's
 *  52  egress ifindex          host order: the devmap's key
 *  56  kind                    NAT or DR ({@link FastPathEntry#KIND_NAT}, {@link FastPathEntry#KIND_DR})
 *  60  counter slot            host order: the per-CPU counters' index, shared with the IPv4 map's connections
 * </pre>
 */
public final class FastPathEntry6 {
    private FastPathEntry6() {}

    public static final int KEY_SIZE = 40, VALUE_SIZE = 64;
    static final int KEY_PORTS = 32, KEY_PROTOCOL = 36;

    static final int NEW_SADDR = 0, NEW_DADDR = 16, NEW_SPORT = 32, NEW_DPORT = 34, L4_DELTA = 36, MAX_LENGTH = 38,
            DST_MAC = 40, SRC_MAC = 46, IFINDEX = 52, KIND = 56, COUNTER_SLOT = 60;

    private static final ValueLayout.OfLong LONG_BE = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_HOST = JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** Writes a key: addresses as two halves, ports as ints in host value (all written in network order). */
    public static void writeKey(MemorySegment key, int protocol, long saddrHi, long saddrLo, int sport, long daddrHi,
                                long daddrLo, int dport) {
        key.set(LONG_BE, 0, saddrHi);
        key.set(LONG_BE, 8, saddrLo);
        key.set(LONG_BE, 16, daddrHi);
        key.set(LONG_BE, 24, daddrLo);
        key.set(SHORT_BE, KEY_PORTS, (short) sport);
        key.set(SHORT_BE, KEY_PORTS + 2, (short) dport);
        key.set(JAVA_INT_UNALIGNED, KEY_PROTOCOL, 0);
        key.set(JAVA_BYTE, KEY_PROTOCOL, (byte) protocol);
    }

    /**
     * Writes a value (NAT: the packet's addresses and ports become the new ones; DR: kept, only MACs and hop limit
     * change). {@code old*} are the packet's fields, needed for the checksum delta; {@code maxLength} the longest
     * IPv6 packet (header included) the egress link takes.
     */
    public static void writeRewrite(MemorySegment value, int kind, long oldSaddrHi, long oldSaddrLo, int oldSport,
                                    long oldDaddrHi, long oldDaddrLo, int oldDport, long newSaddrHi, long newSaddrLo,
                                    int newSport, long newDaddrHi, long newDaddrLo, int newDport, int maxLength,
                                    long dstMac, long srcMac, int ifIndex, int counterSlot) {
        value.set(LONG_BE, NEW_SADDR, newSaddrHi);
        value.set(LONG_BE, NEW_SADDR + 8, newSaddrLo);
        value.set(LONG_BE, NEW_DADDR, newDaddrHi);
        value.set(LONG_BE, NEW_DADDR + 8, newDaddrLo);
        value.set(SHORT_BE, NEW_SPORT, (short) newSport);
        value.set(SHORT_BE, NEW_DPORT, (short) newDport);
        int l4Delta = ChecksumDelta.fold(ChecksumDelta.of128(oldSaddrHi, oldSaddrLo, newSaddrHi, newSaddrLo)
                + ChecksumDelta.of128(oldDaddrHi, oldDaddrLo, newDaddrHi, newDaddrLo)
                + ChecksumDelta.of16(oldSport, newSport) + ChecksumDelta.of16(oldDport, newDport));
        value.set(SHORT_BE, L4_DELTA, (short) l4Delta);
        FastPathEntry.writeMaxLength(value, MAX_LENGTH, maxLength);
        FastPathEntry.writeMac(value, DST_MAC, dstMac);
        FastPathEntry.writeMac(value, SRC_MAC, srcMac);
        value.set(INT_HOST, IFINDEX, ifIndex);
        value.set(INT_HOST, KIND, kind);
        value.set(INT_HOST, COUNTER_SLOT, counterSlot);
    }
}
