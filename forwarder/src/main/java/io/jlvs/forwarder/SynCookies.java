package io.jlvs.forwarder;

import io.jlvs.forwarder.fastpath.SynProxyMaps;

import java.security.SecureRandom;

/**
 * SYN cookies as Linux makes them (net/ipv4/syncookies.c), for a director that answers a client's SYN itself and
 * keeps no state until the client's ACK returns the cookie: the initial sequence number of the SYN-ACK is
 *
 * <pre>
 *   H0(flow) + client ISN + (minute &lt;&lt; 24) + ((H1(flow, minute) + MSS index) mod 2^24)
 * </pre>
 *
 * where H0 and H1 are SipHash-2-4 under two secrets of this director over the flow's addresses and ports (and
 * the minute, for H1). An ACK proves the handshake when its acknowledgement minus one decodes, for the flow and the
 * ACK's own sequence number minus one, to an MSS index of the table no older than two minutes. What the cookie
 * cannot hold (window scale, SACK permitted) rides in the low 6 bits of the SYN-ACK's timestamp, which the client
 * echoes, when the client offered timestamps; without them those options are not negotiated. Thread-safe and
 * allocation-free: every field is final.
 */
final class SynCookies {
    /** The MSS values a cookie can carry (Linux's msstab for IPv4). */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /** The MSS values an IPv6 cookie can carry (Linux's msstab for IPv6: 1280, 1480, 1500, 9000 less 60). */
    static final int[] MSS_TABLE6 = {1220, 1420, 1440, 8940};
    /** A cookie is accepted up to this many minutes after it was made (excluded). */
    static final int MAX_AGE_MINUTES = 2;
    private static final int COOKIE_BITS = 24, COOKIE_MASK = (1 << COOKIE_BITS) - 1;
    /** Timestamp option bits: window scale (0xF: none), SACK permitted. */
    static final int TS_WSCALE_MASK = 0xF, TS_SACK = 1 << 4, TS_BITS = 0x3F;

    private final long k0Flow, k1Flow, k0Minute, k1Minute;

    /** Cookies under secrets drawn from a strong random source. */
    SynCookies() {
        this(new SecureRandom());
    }

    SynCookies(SecureRandom random) {
        this(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    /** Cookies under given secrets (tests). */
    SynCookies(long k0Flow, long k1Flow, long k0Minute, long k1Minute) {
        this.k0Flow = k0Flow;
        this.k1Flow = k1Flow;
        this.k0Minute = k0Minute;
        this.k1Minute = k1Minute;
    }

    /** Gives the XDP fast path these secrets, so that its cookies are these: 0 or -errno. */
    int publishSecrets(SynProxyMaps maps) {
        return maps.setSecrets(k0Flow, k1Flow, k0Minute, k1Minute);
    }

    /** The minute counter cookies carry: minutes since the epoch of {@code epochMillis}. */
    static int minute(long epochMillis) {
        return (int) (epochMillis / 60_000);
    }

    /** The index of the largest MSS of the table that does not exceed {@code mss} (the smallest if none does). */
    static int mssIndex(int mss) {
        for (int i = MSS_TABLE.length - 1; i > 0; i--) if (MSS_TABLE[i] <= mss) return i;
        return 0;
    }

    /** The initial sequence number of the SYN-ACK answering a SYN of this flow, carrying an MSS index. */
    int make(int clientAddr, int vipAddr, int clientPort, int vipPort, int clientSeq, int mssIndex, int minute) {
        int ports = clientPort << 16 | vipPort;
        return hash(k0Flow, k1Flow, clientAddr, vipAddr, ports, 0) + clientSeq + (minute << COOKIE_BITS)
                + ((hash(k0Minute, k1Minute, clientAddr, vipAddr, ports, minute) + mssIndex) & COOKIE_MASK);
    }

    /**
     * The MSS index a returned cookie carries, or -1 when it was not made for this flow and client sequence
     * number, or is {@link #MAX_AGE_MINUTES} minutes old or more.
     *
     * @param cookie    the ACK's acknowledgement number minus one
     * @param clientSeq the ACK's sequence number minus one (the client's ISN)
     */
    int check(int cookie, int clientAddr, int vipAddr, int clientPort, int vipPort, int clientSeq, int minute) {
        int ports = clientPort << 16 | vipPort;
        int rest = cookie - (hash(k0Flow, k1Flow, clientAddr, vipAddr, ports, 0) + clientSeq);
        int age = (minute - (rest >>> COOKIE_BITS)) & (0xFFFF_FFFF >>> COOKIE_BITS);
        if (age >= MAX_AGE_MINUTES) return -1;
        int index = (rest - hash(k0Minute, k1Minute, clientAddr, vipAddr, ports, minute - age)) & COOKIE_MASK;
        return index < MSS_TABLE.length ? index : -1;
    }

    /**
     * The SYN-ACK's timestamp value: the clock in milliseconds with its low 6 bits carrying the client's window
     * scale (0xF: none) and SACK permitted, never ahead of the clock (as Linux's cookie_init_timestamp).
     */
    static int timestamp(int nowMillis, int windowScale, boolean sackPermitted) {
        int options = (windowScale < 0 ? TS_WSCALE_MASK : windowScale) | (sackPermitted ? TS_SACK : 0);
        int ts = (nowMillis & ~TS_BITS) | options;
        return Integer.compareUnsigned(ts, nowMillis) > 0 ? ts - (TS_BITS + 1) : ts;
    }

    /** The client's window scale an echoed timestamp carries, or -1 for none (or a value above 14). */
    static int windowScale(int echoedTimestamp) {
        int scale = echoedTimestamp & TS_WSCALE_MASK;
        return scale == TS_WSCALE_MASK || scale > 14 ? -1 : scale;
    }

    /** Whether an echoed timestamp says the client permitted SACK. */
    static boolean sackPermitted(int echoedTimestamp) {
        return (echoedTimestamp & TS_SACK) != 0;
    }

    /** SipHash-2-4 of four 32-bit words, truncated to 32 bits, as the kernel's cookie hash uses siphash_4u32. */
    static int hash(long k0, long k1, int a, int b, int c, int d) {
        return (int) sipHash24(k0, k1, (a & 0xFFFF_FFFFL) | (long) b << 32, (c & 0xFFFF_FFFFL) | (long) d << 32);
    }

    /** SipHash-2-4 of a 16-byte message given as two little-endian 64-bit words. */
    static long sipHash24(long k0, long k1, long m0, long m1) {
        return sipHash24(k0, k1, 2, m0, m1, 0, 0, 0);
    }

    /** The index of the largest MSS of the IPv6 table that does not exceed {@code mss} (the smallest if none does). */
    static int mssIndex6(int mss) {
        for (int i = MSS_TABLE6.length - 1; i > 0; i--) if (MSS_TABLE6[i] <= mss) return i;
        return 0;
    }

    /**
     * The initial sequence number of the SYN-ACK answering an IPv6 SYN, carrying an MSS index: the construction of
     * {@link #make}, with the hashes over the 128-bit addresses (Linux's net/ipv6/syncookies.c).
     */
    int make6(long clientHi, long clientLo, long vipHi, long vipLo, int clientPort, int vipPort, int clientSeq,
              int mssIndex, int minute) {
        int ports = clientPort << 16 | vipPort;
        return hash6(k0Flow, k1Flow, clientHi, clientLo, vipHi, vipLo, ports, 0) + clientSeq + (minute << COOKIE_BITS)
                + ((hash6(k0Minute, k1Minute, clientHi, clientLo, vipHi, vipLo, ports, minute) + mssIndex)
                & COOKIE_MASK);
    }

    /** {@link #check} for an IPv6 flow: the MSS index (of {@link #MSS_TABLE6}) a returned cookie carries, or -1. */
    int check6(int cookie, long clientHi, long clientLo, long vipHi, long vipLo, int clientPort, int vipPort,
               int clientSeq, int minute) {
        int ports = clientPort << 16 | vipPort;
        int rest = cookie - (hash6(k0Flow, k1Flow, clientHi, clientLo, vipHi, vipLo, ports, 0) + clientSeq);
        int age = (minute - (rest >>> COOKIE_BITS)) & (0xFFFF_FFFF >>> COOKIE_BITS);
        if (age >= MAX_AGE_MINUTES) return -1;
        int index = (rest - hash6(k0Minute, k1Minute, clientHi, clientLo, vipHi, vipLo, ports, minute - age))
                & COOKIE_MASK;
        return index < MSS_TABLE6.length ? index : -1;
    }

    /**
     * The IPv6 cookie hash, truncated to 32 bits: SipHash-2-4 of the 40 bytes Linux hashes (source address,
     * destination address, the counter, the ports), as five 64-bit words in the word order {@link #hash} uses.
     */
    static int hash6(long k0, long k1, long srcHi, long srcLo, long dstHi, long dstLo, int ports, int count) {
        return (int) sipHash24(k0, k1, srcHi, srcLo, dstHi, dstLo, (count & 0xFFFF_FFFFL) | (long) ports << 32);
    }

    /** SipHash-2-4 of a 40-byte message given as five little-endian 64-bit words. */
    static long sipHash24(long k0, long k1, long m0, long m1, long m2, long m3, long m4) {
        return sipHash24(k0, k1, 5, m0, m1, m2, m3, m4);
    }

    /**
     * SipHash-2-4 of a message of {@code words} little-endian 64-bit words, the first of m0..m4 (a whole number of
     * words: the last block holds only the length). Allocation-free.
     */
    private static long sipHash24(long k0, long k1, int words, long m0, long m1, long m2, long m3, long m4) {
        long v0 = 0x736f6d6570736575L ^ k0, v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0, v3 = 0x7465646279746573L ^ k1;
        // Compression, two rounds a block: the message's words, then the last block (its length in bytes << 56).
        for (int block = 0; block <= words; block++) {
            long m = block == words ? (long) (words * 8) << 56 : switch (block) {
                case 0 -> m0;
                case 1 -> m1;
                case 2 -> m2;
                case 3 -> m3;
                default -> m4;
            };
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        // Finalization, four rounds.
        v2 ^= 0xFF;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
