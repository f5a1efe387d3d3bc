package io.jlvs.schedulers;

/** The weighted-least-load scan shared by wlc and sed (and by lblc's re-pick), and nq's variant of it. */
final class LeastLoad {
    private LeastLoad() {}

    /**
     * The kernel's two-stage scan: the first server with weight above 0 and not OVERLOADed starts; a later one
     * (not OVERLOADed) replaces it when load1 * weight2 > load2 * weight1, so ties keep the first and weight 0
     * never wins.
     *
     * <p>Why it is fast: most servers cannot beat the current best, and ruling that out needs no second multiply
     * and no flag. Each server carries R = floor(2^32 / weight), so key = load * R satisfies
     * key <= load * 2^32 / weight < key + load. A server that is strictly better than the best therefore has a key
     * below bestKey + bestLoad; only those (few) servers take the branch that reads the weight and the OVERLOAD
     * flag and makes the kernel's exact cross-multiplied comparison. The result is the kernel's, exactly.
     *
     * @param expectedDelay true: load = active + 1 (sed); false: load = active*256 + inactive (wlc)
     */
    static RealServer weightedLeast(ServerSet servers, boolean expectedDelay) {
        RealServer least = null;
        long leastLoad = 0, leastWeight = 0;
        long threshold = Long.MAX_VALUE;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer s = servers.get(i);
            long word = s.connections();
            long reciprocal = s.weightReciprocal();
            // word >> 32 is the active count whenever the overhead half is not negative (valid counts); the
            // exact branch decodes it properly, so the shortcut can only let more servers through, not fewer.
            long roughLoad = expectedDelay ? (word >> 32) + 1 : ConnectionCounts.overhead(word);
            if (roughLoad * reciprocal >= threshold) continue;
            int w = s.weight();
            if (w == 0 || s.overloaded()) continue;
            long load = expectedDelay ? ConnectionCounts.active(word) + 1L : roughLoad;
            long key = load * reciprocal;
            if (least == null || leastLoad * w > load * leastWeight) {
                least = s;
                leastLoad = load;
                leastWeight = w;
                threshold = key + load + 1;
            }
        }
        return least;
    }

    /**
     * nq: the first idle server (no active connection) with weight above 0 and not OVERLOADed, else as sed. The
     * same pre-filter as {@link #weightedLeast}; idle servers always take the exact branch.
     */
    static RealServer idleOrShortestDelay(ServerSet servers) {
        RealServer least = null;
        long leastLoad = 0, leastWeight = 0;
        long threshold = Long.MAX_VALUE;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer s = servers.get(i);
            int active = ConnectionCounts.active(s.connections());
            long load = active + 1L;
            long key = load * s.weightReciprocal();
            if (key >= threshold && active != 0) continue;
            int w = s.weight();
            if (w == 0 || s.overloaded()) continue;
            if (active == 0) return s;
            if (least == null || leastLoad * w > load * leastWeight) {
                least = s;
                leastLoad = load;
                leastWeight = w;
                threshold = key + load + 1;
            }
        }
        return least;
    }
}
