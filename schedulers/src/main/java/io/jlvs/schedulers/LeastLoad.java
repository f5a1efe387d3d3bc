package io.jlvs.schedulers;

/**
 * The kernel's least-load scans: lc's least overhead, the weighted-least-load scan shared by wlc and sed (and by
 * lblc's re-pick), and nq's variant of it. The range forms scan one block of {@link ScanBlocks} for the incremental
 * scan ({@link BlockedLeastLoad}); the whole-set forms serve unbound instances, lblc/lblcr and nq.
 */
final class LeastLoad {
    private LeastLoad() {}

    /** lc over the whole set. */
    static Destination leastOverhead(ServerSet servers) {
        int i = leastOverheadIndex(servers, 0, servers.size());
        return i < 0 ? null : servers.get(i);
    }

    /**
     * ip_vs_lc.c over servers [from, to): the index of the first server with the least overhead among those with
     * weight above 0 and not OVERLOADed, or -1. Only a server whose overhead is below the best so far can win, so
     * the weight and the OVERLOAD flag are read for those alone; the rest cost one load and one compare.
     */
    static int leastOverheadIndex(ServerSet servers, int from, int to) {
        int least = -1;
        int leastOverhead = Integer.MAX_VALUE;
        for (int i = from; i < to; i++) {
            Destination s = servers.get(i);
            int overhead = ConnectionCounts.overhead(s.connections());
            if (overhead >= leastOverhead && least >= 0) continue;
            if (s.overloaded() || s.weight() == 0) continue;
            least = i;
            leastOverhead = overhead;
        }
        return least;
    }

    /** wlc (expectedDelay false) or sed (true) over the whole set. */
    static Destination weightedLeast(ServerSet servers, boolean expectedDelay) {
        int i = weightedLeastIndex(servers, 0, servers.size(), expectedDelay);
        return i < 0 ? null : servers.get(i);
    }

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
     * @return the index of the kernel's choice among servers [from, to), or -1 when none is eligible
     */
    static int weightedLeastIndex(ServerSet servers, int from, int to, boolean expectedDelay) {
        int least = -1;
        long leastLoad = 0, leastWeight = 0;
        long threshold = Long.MAX_VALUE;
        for (int i = from; i < to; i++) {
            Destination s = servers.get(i);
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
            if (least < 0 || leastLoad * w > load * leastWeight) {
                least = i;
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
    static Destination idleOrShortestDelay(ServerSet servers) {
        int i = idleOrShortestDelayIndex(servers, 0, servers.size());
        return i < 0 ? null : servers.get(i);
    }

    /** {@link #idleOrShortestDelay} over servers [from, to): the index of its choice, or -1. */
    static int idleOrShortestDelayIndex(ServerSet servers, int from, int to) {
        int least = -1;
        long leastLoad = 0, leastWeight = 0;
        long threshold = Long.MAX_VALUE;
        for (int i = from; i < to; i++) {
            Destination s = servers.get(i);
            int active = ConnectionCounts.active(s.connections());
            long load = active + 1L;
            long key = load * s.weightReciprocal();
            if (key >= threshold && active != 0) continue;
            int w = s.weight();
            if (w == 0 || s.overloaded()) continue;
            if (active == 0) return i;
            if (least < 0 || leastLoad * w > load * leastWeight) {
                least = i;
                leastLoad = load;
                leastWeight = w;
                threshold = key + load + 1;
            }
        }
        return least;
    }
}
