package io.jlvs.schedulers;

/** The kernel's hash functions that decide bucket numbers, reproduced bit for bit. */
final class KernelHashes {
    /** GOLDEN_RATIO_32 of include/linux/hash.h. */
    private static final int GOLDEN_RATIO_32 = 0x61C88647;
    /** The multiplier of ip_vs_dh_hashkey. */
    static final long DH_MULTIPLIER = 2654435761L;
    private static final long C0 = 0x736f6d6570736575L;
    private static final long C1 = 0x646f72616e646f6dL;
    private static final long C2 = 0x6c7967656e657261L;
    private static final long C3 = 0x7465646279746573L;

    private KernelHashes() {}

    /** hash_32(val, bits): the top bits of the 32-bit product. */
    static int hash32(int value, int bits) {
        return (value * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /**
     * hsiphash() of one 32-bit value on a 64-bit kernel: SipHash-1-3 with a 128-bit key (k0, k1), result
     * truncated to 32 bits. The value is read little-endian from memory, i.e. it is the value itself.
     */
    static int hsiphash32(int value, long k0, long k1) {
        long v0 = C0 ^ k0, v1 = C1 ^ k1, v2 = C2 ^ k0, v3 = C3 ^ k1;
        long b = (4L << 56) | (value & 0xFFFF_FFFFL);
        v3 ^= b;
        // one compression round
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= b;
        v2 ^= 0xff;
        for (int i = 0; i < 3; i++) { // three finalisation rounds
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return (int) ((v0 ^ v1) ^ (v2 ^ v3));
    }
}
