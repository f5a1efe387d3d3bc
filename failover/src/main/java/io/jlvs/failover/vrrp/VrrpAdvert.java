package io.jlvs.failover.vrrp;

import java.nio.charset.StandardCharsets;

/**
 * The VRRP advertisement on the wire, IPv4 only: RFC 3768 (version 2) and RFC 5798 (version 3).
 * <pre>
 *  0                   1                   2                   3
 *  |Version| Type  | Virtual Rtr ID|   Priority    | Count IPvX Addr|
 *  v2: | Auth Type   |   Adver Int (s) |          Checksum           |
 *  v3: |(rsvd)| Max Adver Int (centiseconds, 12 bits) |   Checksum   |
 *  |                     IPvX Address(es)                           |
 *  v2 only: Authentication Data (8 bytes)
 * </pre>
 * The version 2 checksum covers the VRRP message; the version 3 checksum also covers the IPv4 pseudo-header
 * (source, destination, zero, protocol 112, VRRP length). {@link #decode} reads a whole IPv4 packet as a raw socket
 * receives it, header included, into this reusable object; {@link #mismatch} then checks it against an instance.
 * IPv4 only: the IPv6 form of version 3 (ff02::12, the IPv6 pseudo-header) is not supported.
 */
public final class VrrpAdvert {
    public static final int PROTOCOL = 112;
    public static final int TYPE_ADVERTISEMENT = 1;
    public static final int AUTH_NONE = 0, AUTH_PASS = 1;
    public static final int HEADER_BYTES = 8;
    public static final int AUTH_BYTES = 8;
    public static final int MAX_ADDRESSES = 255;

    public int version;
    public int virtualRouterId;
    public int priority;
    /** The advert interval in centiseconds (version 2's seconds times 100). */
    public int intervalCentis;
    public int authType;
    public final byte[] authData = new byte[AUTH_BYTES];
    public int addressCount;
    public final int[] addresses = new int[MAX_ADDRESSES];
    /** The IPv4 header's source and destination and TTL. */
    public int source, destination, ttl;

    /** Bytes of a VRRP message (without the IP header) of this version with n addresses. */
    public static int length(int version, int n) {
        return HEADER_BYTES + 4 * n + (version == 2 ? AUTH_BYTES : 0);
    }

    /**
     * Writes a VRRP message (no IP header) into buf at 0 and returns its length.
     *
     * @param authPass version 2 PASS authentication (at most 8 characters), or null for none
     * @param source, destination the IPv4 addresses of the packet (version 3's pseudo-header)
     */
    public static int encode(byte[] buf, int version, int vrid, int priority, int intervalCentis, int[] addresses,
                             String authPass, int source, int destination) {
        int n = addresses.length;
        int len = length(version, n);
        java.util.Arrays.fill(buf, 0, len, (byte) 0);
        buf[0] = (byte) ((version << 4) | TYPE_ADVERTISEMENT);
        buf[1] = (byte) vrid;
        buf[2] = (byte) priority;
        buf[3] = (byte) n;
        if (version == 2) {
            buf[4] = (byte) (authPass != null ? AUTH_PASS : AUTH_NONE);
            buf[5] = (byte) Math.max(1, intervalCentis / 100);
        } else {
            buf[4] = (byte) ((intervalCentis >>> 8) & 0x0F);
            buf[5] = (byte) intervalCentis;
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
     * Reads an IPv4 packet of {@code length} bytes holding a VRRP message; null when it is a well-formed advert, else
     * why not: not protocol 112, TTL other than 255, version other than 2 or 3, type other than 1, fewer bytes than
     * the count of addresses needs, a wrong checksum, router id 0. The fields are valid only after null.
     */
    public AdvertRejection decode(byte[] packet, int length) {
        if (length < 20 + HEADER_BYTES) return AdvertRejection.TOO_SHORT;
        int ihl = (packet[0] & 0x0F) * 4;
        if ((packet[0] >>> 4 & 0x0F) != 4 || ihl < 20 || (packet[9] & 0xFF) != PROTOCOL) return AdvertRejection.NOT_VRRP;
        int totalLength = ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
        int end = Math.min(length, totalLength);
        if (end < ihl + HEADER_BYTES) return AdvertRejection.TOO_SHORT;
        ttl = packet[8] & 0xFF;
        source = getInt(packet, 12);
        destination = getInt(packet, 16);
        if (ttl != 255) return AdvertRejection.TTL;
        int o = ihl;
        version = (packet[o] >>> 4) & 0x0F;
        if (version != 2 && version != 3) return AdvertRejection.VERSION;
        if ((packet[o] & 0x0F) != TYPE_ADVERTISEMENT) return AdvertRejection.TYPE;
        virtualRouterId = packet[o + 1] & 0xFF;
        priority = packet[o + 2] & 0xFF;
        addressCount = packet[o + 3] & 0xFF;
        int len = length(version, addressCount);
        if (end - o < len) return AdvertRejection.LENGTH;
        if (version == 2) {
            authType = packet[o + 4] & 0xFF;
            intervalCentis = (packet[o + 5] & 0xFF) * 100;
            System.arraycopy(packet, o + HEADER_BYTES + 4 * addressCount, authData, 0, AUTH_BYTES);
        } else {
            authType = AUTH_NONE;
            intervalCentis = ((packet[o + 4] & 0x0F) << 8) | (packet[o + 5] & 0xFF);
        }
        int sum = version == 2 ? checksum(packet, o, len, 0)
                : checksum(packet, o, len, pseudoHeader(source, destination, len));
        if (sum != 0) return AdvertRejection.CHECKSUM;
        if (virtualRouterId == 0) return AdvertRejection.VRID;
        for (int i = 0; i < addressCount; i++) addresses[i] = getInt(packet, o + HEADER_BYTES + 4 * i);
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

    /** The Internet checksum of buf[off, off+len) with {@code initial} added; 0 when a stored checksum is right. */
    static int checksum(byte[] buf, int off, int len, int initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) sum += ((buf[off + i] & 0xFF) << 8) | (buf[off + i + 1] & 0xFF);
        if ((len & 1) != 0) sum += (buf[off + len - 1] & 0xFF) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (~sum & 0xFFFF);
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
