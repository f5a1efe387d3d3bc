package io.jlvs.layer7.route;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * hhttp's choice: highest random weight (rendezvous) hashing of a key over the available servers, weighted as in
 * Schindelhauer and Schomaker's logarithmic method. A key moves only when its server leaves, or to a server that
 * joins: adding a server moves only the keys that the new server wins.
 */
final class RendezvousHash {
    private RendezvousHash() {}

    static Backend pick(String key, List<Backend> servers) {
        long keyHash = fnv1a(key);
        Backend best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Backend b : servers) {
            if (!b.available()) continue;
            long h = mix(keyHash ^ fnv1a(b.endpoint()));
            // A uniform value in (0, 1), then -weight / ln(u): the largest wins.
            double u = ((h >>> 11) + 1) * 0x1.0p-53;
            double score = -b.weight() / Math.log(u);
            if (score > bestScore) {
                bestScore = score;
                best = b;
            }
        }
        return best;
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= c & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: spreads the bits of the combined hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
