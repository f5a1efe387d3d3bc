package io.jlvs.schedulers;

/**
 * lc, wlc, sed and nq as incremental scans: the kernel's loop runs only over blocks whose servers changed since their
 * winner was cached ({@link BlockWinners}); then the same comparison runs over the block winners in block order.
 *
 * <p>Why this is the kernel's answer: lc, wlc and sed each pick the first server that is best by a total preorder
 * (least overhead; least load/weight compared exactly by cross-multiplication) among servers with weight above 0
 * and not OVERLOADed. The first best of the whole list is the first best among the first bests of consecutive
 * blocks, when a later block winner replaces the current one only if strictly better (nq: see its method). The
 * winners' counts are re-read here, so the result equals the plain loop over all servers whenever no update races
 * the decision. A decision racing an update may see counts from just before it, as IPVS's lockless readers do; the
 * version bumped after the update makes the next decision rescan that block.
 *
 * <p>The three loops repeat their cached-or-rescan step on purpose: one helper that switches on the scheduler
 * would put a branch on the scheduler kind inside the per-block loop of every decision.
 */
final class BlockedLeastLoad {
    private BlockedLeastLoad() {}

    /** lc: the first server with the least overhead. */
    static Destination leastOverhead(BlockWinners winners) {
        ScanBlocks blocks = winners.blocks();
        ServerSet servers = blocks.servers();
        Destination least = null;
        int leastOverhead = 0;
        for (int b = 0, n = blocks.blockCount(); b < n; b++) {
            long version = blocks.version(b);
            int i = winners.cachedWinner(b, version);
            if (i == BlockWinners.STALE) {
                i = LeastLoad.leastOverheadIndex(servers, ScanBlocks.from(b), blocks.to(b));
                winners.store(b, version, i);
            }
            if (i < 0) continue;
            Destination s = servers.get(i);
            if (s.overloaded() || s.weight() == 0) {
                // A change racing this decision (bumped: the next one rescans anyway). Do what the plain loop does
                // now rather than skip the block, which may hold other eligible servers.
                i = LeastLoad.leastOverheadIndex(servers, ScanBlocks.from(b), blocks.to(b));
                if (i < 0) continue;
                s = servers.get(i);
            }
            int overhead = ConnectionCounts.overhead(s.connections());
            if (least != null && overhead >= leastOverhead) continue;
            least = s;
            leastOverhead = overhead;
        }
        return least;
    }

    /**
     * wlc (expectedDelay false: load = overhead) or sed (true: load = active + 1): the first server with the least
     * load/weight, compared as load1 * weight2 > load2 * weight1.
     */
    static Destination weightedLeast(BlockWinners winners, boolean expectedDelay) {
        ScanBlocks blocks = winners.blocks();
        ServerSet servers = blocks.servers();
        Destination least = null;
        long leastLoad = 0, leastWeight = 0;
        for (int b = 0, n = blocks.blockCount(); b < n; b++) {
            long version = blocks.version(b);
            int i = winners.cachedWinner(b, version);
            if (i == BlockWinners.STALE) {
                i = LeastLoad.weightedLeastIndex(servers, ScanBlocks.from(b), blocks.to(b), expectedDelay);
                winners.store(b, version, i);
            }
            if (i < 0) continue;
            Destination s = servers.get(i);
            int w = s.weight();
            if (w == 0 || s.overloaded()) {
                // A racing change, as in lc: the plain loop over this block, now.
                i = LeastLoad.weightedLeastIndex(servers, ScanBlocks.from(b), blocks.to(b), expectedDelay);
                if (i < 0) continue;
                s = servers.get(i);
                w = s.weight();
            }
            long word = s.connections();
            long load = expectedDelay ? ConnectionCounts.active(word) + 1L : ConnectionCounts.overhead(word);
            if (least == null || leastLoad * w > load * leastWeight) {
                least = s;
                leastLoad = load;
                leastWeight = w;
            }
        }
        return least;
    }

    /**
     * nq: the first idle eligible server, else as sed. A block's winner is its first idle eligible server if it has
     * one, else its sed winner; so the first block whose winner is idle holds the first idle server of the list, and
     * when no block's winner is idle the sed comparison over the winners gives sed's answer.
     */
    static Destination idleOrShortestDelay(BlockWinners winners) {
        ScanBlocks blocks = winners.blocks();
        ServerSet servers = blocks.servers();
        Destination least = null;
        long leastLoad = 0, leastWeight = 0;
        for (int b = 0, n = blocks.blockCount(); b < n; b++) {
            long version = blocks.version(b);
            int i = winners.cachedWinner(b, version);
            if (i == BlockWinners.STALE) {
                i = LeastLoad.idleOrShortestDelayIndex(servers, ScanBlocks.from(b), blocks.to(b));
                winners.store(b, version, i);
            }
            if (i < 0) continue;
            Destination s = servers.get(i);
            int w = s.weight();
            if (w == 0 || s.overloaded()) {
                // A racing change, as in lc: the plain loop over this block, now.
                i = LeastLoad.idleOrShortestDelayIndex(servers, ScanBlocks.from(b), blocks.to(b));
                if (i < 0) continue;
                s = servers.get(i);
                w = s.weight();
            }
            int active = ConnectionCounts.active(s.connections());
            if (active == 0) return s;
            long load = active + 1L;
            if (least == null || leastLoad * w > load * leastWeight) {
                least = s;
                leastLoad = load;
                leastWeight = w;
            }
        }
        return least;
    }
}
