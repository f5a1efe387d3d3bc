package io.jlvs.forwarder.fastpath;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * The layout of the fast path's flow map, shared by the XDP program that reads it and the Java code that writes it.
 *
 * <p>The key is one direction of a flow as its packets carry it: {@code saddr, daddr, sport, dport} in network order
 * (the bytes of the IPv4 and L4 headers), then the protocol byte and three zero bytes: 16 bytes.
 *
 * <p>The value (44 bytes) says what to do with a packet of that direction:
 * <pre>
 *   0  new saddr, daddr        network order (TUN: the outer header's)
 *   8  new sport, dport        network order (TUN: nothing)
 *  12  IPv4 header checksum delta   one's-complement sum of ~old + new words, TTL decrement included (TUN: the sum
 *                                   of the outer header's words that do not depend on the packet: its addresses)
 *  14  L4 checksum delta             the same over the pseudo-header's addresses and the ports
 *  16  destination MAC, source MAC   the next hop's, the egress device's
 *  28  egress ifindex                host order: the devmap's key
 *  32  kind                          NAT, DR or TUN
 *  36  counter slot                  host order: the per-CPU counters' index
 *  40  longest IP packet             host order: the egress link's MTU (TUN: the tunnel's, less the outer header);
 *                                    a longer packet goes to Java, which handles it as for any connection
 *  42  two zero bytes
 * </pre>
 * Deltas are stored in network order so that the program adds them to the packet's checksum loaded the same way.
 */
public final class FastPathEntry {
    private FastPathEntry() {}

    public static final int KEY_SIZE = 16, VALUE_SIZE = 44;
    static final int KEY_PROTOCOL = 12;

    static final int NEW_SADDR = 0, NEW_DADDR = 4, NEW_SPORT = 8, NEW_DPORT = 10, IP_DELTA = 12, L4_DELTA = 14,
            DST_MAC = 16, SRC_MAC = 22, IFINDEX = 28, KIND = 32, COUNTER_SLOT = 36, MAX_LENGTH = 40;

    /** What the program does with a matching packet. */
    public static final int KIND_NAT = 0, KIND_DR = 1, KIND_TUN = 2;

    /** Each counter: packets, then bytes (Ethernet header and IP packet, as the Java path counts), u64 each, per CPU. */
    public static final int COUNTER_SIZE = 16;

    private static final ValueLayout.OfInt INT_BE = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_HOST = JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort SHORT_HOST = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** Writes a key: addresses and ports as ints in host value (written in network order). */
    public static void writeKey(MemorySegment key, int protocol, int saddr, int sport, int daddr, int dport) {
        key.set(INT_BE, 0, saddr);
        key.set(INT_BE, 4, daddr);
        key.set(SHORT_BE, 8, (short) sport);
        key.set(SHORT_BE, 10, (short) dport);
        key.set(JAVA_INT_UNALIGNED, KEY_PROTOCOL, 0);
        key.set(JAVA_BYTE, KEY_PROTOCOL, (byte) protocol);
    }

    /**
     * Writes a rewriting value (NAT: the packet's addresses and ports become the new ones; DR: kept, only MACs and
     * TTL change). {@code old*} are the packet's fields, needed for the checksum deltas; {@code maxLength} the
     * longest IPv4 packet (header included) the egress link takes.
     */
    public static void writeRewrite(MemorySegment value, int kind, int oldSaddr, int oldSport, int oldDaddr,
                                    int oldDport, int newSaddr, int newSport, int newDaddr, int newDport,
                                    int maxLength, long dstMac, long srcMac, int ifIndex, int counterSlot) {
        value.fill((byte) 0);
        value.set(INT_BE, NEW_SADDR, newSaddr);
        value.set(INT_BE, NEW_DADDR, newDaddr);
        value.set(SHORT_BE, NEW_SPORT, (short) newSport);
        value.set(SHORT_BE, NEW_DPORT, (short) newDport);
        int addressDelta = ChecksumDelta.of32(oldSaddr, newSaddr) + ChecksumDelta.of32(oldDaddr, newDaddr);
        int ipDelta = ChecksumDelta.fold(addressDelta + ChecksumDelta.TTL_DECREMENT);
        int l4Delta = ChecksumDelta.fold(addressDelta + ChecksumDelta.of16(oldSport, newSport)
                + ChecksumDelta.of16(oldDport, newDport));
        value.set(SHORT_BE, IP_DELTA, (short) ipDelta);
        value.set(SHORT_BE, L4_DELTA, (short) l4Delta);
        writeMaxLength(value, MAX_LENGTH, maxLength);
        writeMac(value, DST_MAC, dstMac);
        writeMac(value, SRC_MAC, srcMac);
        value.set(INT_HOST, IFINDEX, ifIndex);
        value.set(INT_HOST, KIND, kind);
        value.set(INT_HOST, COUNTER_SLOT, counterSlot);
    }

    /**
     * Writes a tunnelling value: the packet goes into an IPv4 header from {@code outerSource} to
     * {@code outerDestination}, when its inner packet is at most {@code maxInnerLength} bytes.
     */
    public static void writeTunnel(MemorySegment value, int outerSource, int outerDestination, int maxInnerLength,
                                   long dstMac, long srcMac, int ifIndex, int counterSlot) {
        value.fill((byte) 0);
        value.set(INT_BE, NEW_SADDR, outerSource);
        value.set(INT_BE, NEW_DADDR, outerDestination);
        writeMaxLength(value, MAX_LENGTH, maxInnerLength);
        int addresses = ChecksumDelta.fold((outerSource >>> 16) + (outerSource & 0xffff) + (outerDestination >>> 16)
                + (outerDestination & 0xffff));
        value.set(SHORT_BE, IP_DELTA, (short) addresses);
        writeMac(value, DST_MAC, dstMac);
        writeMac(value, SRC_MAC, srcMac);
        value.set(INT_HOST, IFINDEX, ifIndex);
        value.set(INT_HOST, KIND, KIND_TUN);
        value.set(INT_HOST, COUNTER_SLOT, counterSlot);
    }

    /** The longest packet an entry forwards, host order, in 16 bits (0 when negative, 65535 when longer). */
    static void writeMaxLength(MemorySegment value, int offset, int maxLength) {
        value.set(SHORT_HOST, offset, (short) Math.min(Math.max(maxLength, 0), 0xffff));
    }

    /** A MAC held in the low 48 bits of a long, most significant byte first on the wire. */
    static void writeMac(MemorySegment value, int offset, long mac) {
        for (int i = 0; i < 6; i++) value.set(JAVA_BYTE, offset + i, (byte) (mac >>> (40 - 8 * i)));
    }
}
