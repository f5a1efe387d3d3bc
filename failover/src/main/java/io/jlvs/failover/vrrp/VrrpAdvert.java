package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;

import java.nio.charset.StandardCharsets;

/**
 * The VRRP advertisement on the wire: RFC 3768 (version 2, IPv4) and RFC 5798 (version 3, IPv4 and IPv6).
 * <pre>
 *  0                   1                   2                   3
 *  |Version| Type  | Virtual Rtr ID|   Priority    | Count IPvX Addr|
 *  v2: | Auth Type   |   Adver Int (s) |          Checksum           |
 *  v3: |(rsvd)| Max Adver Int (centiseconds, 12 bits) |   Checksum   |
 *  |                     IPvX Address(es): 4 bytes each on IPv4, 16 on IPv6   |
 *  v2 only: Authentication Data (8 bytes)
 * </pre>
 * The version 2 checksum covers the VRRP message; the version 3 checksum also covers the IP pseudo-header: on IPv4
 * source, destination, zero, protocol 112, VRRP length; on IPv6 (RFC 8200 8.1) source, destination, the 32-bit VRRP
 * length, three zero bytes, next header 112. {@link #decode} reads a whole IP packet, header included (on IPv6 the
 * 40-byte fixed header, without extension headers: as {@link VrrpSocket} rebuilds it from what the kernel says of
 * a received datagram), into this reusable object; {@link #mismatch} then checks it against an instance. IPv6
 * carries only version 3 (RFC 5798 has no version 2 over IPv6).
 */
public final class VrrpAdvert {
    public static final int PROTOCOL = 112;
    public static final int TYPE_ADVERTISEMENT = 1;
    public static final int AUTH_NONE = 0, AUTH_PASS = 1;
    public static final int HEADER_BYTES = 8;
    public static final int AUTH_BYTES = 8;
    public static final int MAX_ADDRESSES = 255;
    static final int IPV6_HEADER_BYTES = 40;

    /** 4 or 6: the IP version of the packet decoded. */
    public int family;
    public int version;
    public int virtualRouterId;
    public int priority;
    /** The advert interval in centiseconds (version 2's seconds times 100). */
    public int intervalCentis;
    public int authType;
    public final byte[] authData = new byte[AUTH_BYTES];
    public int addressCount;
    /** IPv4: the addresses carried. */
    public final int[] addresses = new int[MAX_ADDRESSES];
    /** IPv6: the addresses carried, as (hi, lo) pairs: address i is [2i], [2i+1]. */
    public final long[] addresses6 = new long[2 * MAX_ADDRESSES];
    /** The IP header's source and destination, 128 bits (IPv4 as IPv4-mapped, as {@code Addresses} has them). */
    public long sourceHi, sourceLo, destinationHi, destinationLo;
    /** The IPv4 TTL or the IPv6 hop limit. */
    public int ttl;

    /** Bytes of a VRRP message (without the IP header) of this version with n IPv4 addresses. */
    public static int length(int version, int n) {
        return HEADER_BYTES + 4 * n + (version == 2 ? AUTH_BYTES : 0);
    }

    /** Bytes of an IPv6 VRRP message (version 3, no IP header) with n addresses. */
    public static int length6(int n) {
        return HEADER_BYTES + 16 * n;
    }

    /**
     * Writes an IPv4 VRRP message (no IP header) into buf at 0 and returns its length.
     *
     * @param authPass version 2 PASS authentication (at most 8 characters), or null for none
     * @param source, destination the IPv4 addresses of the packet (version 3's pseudo-header)
     */
    public static int encode(byte[] buf, int version, int vrid, int priority, int intervalCentis, int[] addresses,
                             String authPass, int source, int destination) {
        int n = addresses.length;
        int len = length(version, n);
        header(buf, len, version, vrid, priority, intervalCentis, n);
        if (version == 2) {
            buf[4] = (byte) (authPass != null ? AUTH_PASS : AUTH_NONE);
            buf[5] = (byte) Math.max(1, intervalCentis / 100);
        }
        for (int i = 0; i < n; i++) putInt(buf, HEADER_BYTES + 4 * i, addresses[i]);
        if (version == 2 && authPass != null) {
            byte[] pass = authPass.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(pass, 0, buf, HEADER_BYTES + 4 * n, Math.min(AUTH_BYTES, pass.length));
        }
        int sum = version == 2 ? checksum(buf, 0, len, 0) : checksum(buf, 0, len, pseudoHeader(source, destination, len));
        buf[6] = (byte) (sum >>> 8);
        buf[7] = (byte) sum;
        return len;
    }

    /**
     * Writes an IPv6 VRRP message (version 3, no IP header) into buf at 0 and returns its length.
     *
     * @param addresses the (hi, lo) pairs of the addresses carried
     * @param sourceHi, sourceLo, destinationHi, destinationLo the packet's IPv6 addresses (the pseudo-header)
     */
    public static int encode6(byte[] buf, int vrid, int priority, int intervalCentis, long[] addresses,
                              long sourceHi, long sourceLo, long destinationHi, long destinationLo) {
        int n = addresses.length / 2;
        int len = length6(n);
        header(buf, len, 3, vrid, priority, intervalCentis, n);
        for (int i = 0; i < n; i++) {
            putLong(buf, HEADER_BYTES + 16 * i, addresses[2 * i]);
            putLong(buf, HEADER_BYTES + 16 * i + 8, addresses[2 * i + 1]);
        }
        int sum = checksum(buf, 0, len, pseudoHeader6(sourceHi, sourceLo, destinationHi, destinationLo, len));
        buf[6] = (byte) (sum >>> 8);
        buf[7] = (byte) sum;
        return len;
    }

    /** The first 8 bytes (version 3's interval; version 2 overwrites bytes 4-5), the rest of len zeroed. */
    private static void header(byte[] buf, int len, int version, int vrid, int priority, int intervalCentis, int n) {
        java.util.Arrays.fill(buf, 0, len, (byte) 0);
        buf[0] = (byte) ((version << 4) | TYPE_ADVERTISEMENT);
        buf[1] = (byte) vrid;
        buf[2] = (byte) priority;
        buf[3] = (byte) n;
        buf[4] = (byte) ((intervalCentis >>> 8) & 0x0F);
        buf[5] = (byte) intervalCentis;
    }

    /**
     * Reads an IP packet of {@code length} bytes holding a VRRP message; null when it is a well-formed advert, else
     * why not: not protocol 112, TTL other than 255 (IPv6: a hop limit other than 255 to a multicast address), version other than 2 or 3 (IPv6: other than 3),
     * type other than 1, fewer bytes than the count of addresses needs, a wrong checksum, router id 0. The fields
     * are valid only after null.
     */
    public AdvertRejection decode(byte[] packet, int length) {
        if (length < 20 + HEADER_BYTES) return AdvertRejection.TOO_SHORT;
        return switch ((packet[0] >>> 4) & 0x0F) {
            case 4 -> decode4(packet, length);
            case 6 -> decode6(packet, length);
            default -> AdvertRejection.NOT_VRRP;
        };
    }

    /** Where the router id of a packet {@link #decode} refused would be, or -1 when the packet is too short. */
    public static int routerIdOffset(byte[] packet, int length) {
        if (length < 1) return -1;
        int at = ((packet[0] >>> 4) & 0x0F) == 6 ? IPV6_HEADER_BYTES + 1 : (packet[0] & 0x0F) * 4 + 1;
        return at < length ? at : -1;
    }

    private AdvertRejection decode4(byte[] packet, int length) {
        if (length < 20 + HEADER_BYTES) return AdvertRejection.TOO_SHORT;
        int ihl = (packet[0] & 0x0F) * 4;
        if (ihl < 20 || (packet[9] & 0xFF) != PROTOCOL) return AdvertRejection.NOT_VRRP;
        int totalLength = ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
        int end = Math.min(length, totalLength);
        if (end < ihl + HEADER_BYTES) return AdvertRejection.TOO_SHORT;
        family = 4;
        ttl = packet[8] & 0xFF;
        int source = getInt(packet, 12), destination = getInt(packet, 16);
        sourceHi = 0;
        sourceLo = Addresses.mappedLo(source);
        destinationHi = 0;
        destinationLo = Addresses.mappedLo(destination);
        if (ttl != 255) return AdvertRejection.TTL;
        int o = ihl;
        AdvertRejection why = fixedHeader(packet, o);
        if (why != null) return why;
        int len = length(version, addressCount);
        if (end - o < len) return AdvertRejection.LENGTH;
        if (version == 2) {
            authType = packet[o + 4] & 0xFF;
            intervalCentis = (packet[o + 5] & 0xFF) * 100;
            System.arraycopy(packet, o + HEADER_BYTES + 4 * addressCount, authData, 0, AUTH_BYTES);
        }
        int sum = version == 2 ? checksum(packet, o, len, 0)
                : checksum(packet, o, len, pseudoHeader(source, destination, len));
        if (sum != 0) return AdvertRejection.CHECKSUM;
        if (virtualRouterId == 0) return AdvertRejection.VRID;
        for (int i = 0; i < addressCount; i++) addresses[i] = getInt(packet, o + HEADER_BYTES + 4 * i);
        return null;
    }

    private AdvertRejection decode6(byte[] packet, int length) {
        if (length < IPV6_HEADER_BYTES + HEADER_BYTES) return AdvertRejection.TOO_SHORT;
        if ((packet[6] & 0xFF) != PROTOCOL) return AdvertRejection.NOT_VRRP;
        int payloadLength = ((packet[4] & 0xFF) << 8) | (packet[5] & 0xFF);
        int end = Math.min(length, IPV6_HEADER_BYTES + payloadLength);
        if (end < IPV6_HEADER_BYTES + HEADER_BYTES) return AdvertRejection.TOO_SHORT;
        family = 6;
        ttl = packet[7] & 0xFF;
        sourceHi = getLong(packet, 8);
        sourceLo = getLong(packet, 16);
        destinationHi = getLong(packet, 24);
        destinationLo = getLong(packet, 32);
        // To ff02::12 the hop limit must be 255 (RFC 5798 7.1). keepalived sends unicast IPv6 adverts with the
        // default hop limit (64 in 2.2.7) and accepts any on unicast, so jlvs does too there; it sends 255 itself.
        if (ttl != 255 && (destinationHi >>> 56) == 0xFF) return AdvertRejection.TTL;
        int o = IPV6_HEADER_BYTES;
        AdvertRejection why = fixedHeader(packet, o);
        if (why != null) return why;
        if (version != 3) return AdvertRejection.VERSION;
        int len = length6(addressCount);
        if (end - o < len) return AdvertRejection.LENGTH;
        int sum = checksum(packet, o, len, pseudoHeader6(sourceHi, sourceLo, destinationHi, destinationLo, len));
        if (sum != 0) return AdvertRejection.CHECKSUM;
        if (virtualRouterId == 0) return AdvertRejection.VRID;
        for (int i = 0; i < addressCount; i++) {
            addresses6[2 * i] = getLong(packet, o + HEADER_BYTES + 16 * i);
            addresses6[2 * i + 1] = getLong(packet, o + HEADER_BYTES + 16 * i + 8);
        }
        return null;
    }

    /** Version, type, router id, priority, count and version 3's interval of the VRRP header at o. */
    private AdvertRejection fixedHeader(byte[] packet, int o) {
        version = (packet[o] >>> 4) & 0x0F;
        if (version != 2 && version != 3) return AdvertRejection.VERSION;
        if ((packet[o] & 0x0F) != TYPE_ADVERTISEMENT) return AdvertRejection.TYPE;
        virtualRouterId = packet[o + 1] & 0xFF;
        priority = packet[o + 2] & 0xFF;
        addressCount = packet[o + 3] & 0xFF;
        authType = AUTH_NONE;
        intervalCentis = ((packet[o + 4] & 0x0F) << 8) | (packet[o + 5] & 0xFF);
        return null;
    }

    /**
     * Whether a decoded advert fits an instance of this version, advert interval and version 2 PASS password (null:
     * none): null when it does, else why not. Version 2 requires the same interval (RFC 3768 7.1); version 3
     * carries the master's, which a backup learns.
     */
    public AdvertRejection mismatch(int expectedVersion, int expectedIntervalCentis, String authPass) {
        if (version != expectedVersion) return AdvertRejection.VERSION;
        if (!authenticates(authPass)) return AdvertRejection.AUTH;
        if (version == 2 && intervalCentis != expectedIntervalCentis) return AdvertRejection.INTERVAL;
        return null;
    }

    /** Whether the version 2 authentication matches PASS {@code pass} (null: none expected). */
    public boolean authenticates(String pass) {
        if (version != 2) return true;
        if (pass == null) return authType == AUTH_NONE;
        if (authType != AUTH_PASS) return false;
        byte[] expected = new byte[AUTH_BYTES];
        byte[] p = pass.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(p, 0, expected, 0, Math.min(AUTH_BYTES, p.length));
        return java.util.Arrays.equals(expected, authData);
    }

    /** The one's complement sum of the pseudo-header (not yet folded). */
    static int pseudoHeader(int source, int destination, int length) {
        return (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF) + PROTOCOL + length;
    }

    /** The one's complement sum of the IPv6 pseudo-header (not yet folded): RFC 8200 8.1. */
    static long pseudoHeader6(long sourceHi, long sourceLo, long destinationHi, long destinationLo, int length) {
        return words(sourceHi) + words(sourceLo) + words(destinationHi) + words(destinationLo) + length + PROTOCOL;
    }

    private static long words(long v) {
        return (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
    }

    /** The Internet checksum of buf[off, off+len) with {@code initial} added; 0 when a stored checksum is right. */
    static int checksum(byte[] buf, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) sum += ((buf[off + i] & 0xFF) << 8) | (buf[off + i + 1] & 0xFF);
        if ((len & 1) != 0) sum += (buf[off + len - 1] & 0xFF) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (~sum & 0xFFFF);
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xFFFF_FFFFL);
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
