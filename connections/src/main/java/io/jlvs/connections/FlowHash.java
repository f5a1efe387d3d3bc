package io.jlvs.connections;

import java.util.SplittableRandom;

/**
 * Hash of a <proto, address, port, address, port> key with per-table secret multipliers, so that remote
 * clients cannot aim many flows at one chain (the kernel seeds its jhash with a random value for the same
 * reason).
 */
final class FlowHash {
    private final long k1, k2, k3, k4, k5, k6;

    FlowHash(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        k1 = random.nextLong() | 1;
        k2 = random.nextLong() | 1;
        k3 = random.nextLong() | 1;
        k4 = random.nextLong() | 1;
        k5 = random.nextLong() | 1;
        k6 = random.nextLong() | 1;
    }

    long hash(int proto, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long h = aHi * k1 + aLo * k2 + bHi * k3 + bLo * k4
                + (((long) proto << 32) | ((long) (aPort & 0xFFFF) << 16) | (bPort & 0xFFFF)) * k5;
        h ^= h >>> 32;
        h *= k6;
        h ^= h >>> 29;
        return h;
    }
}
