package io.jlvs.schedulers;

/**
 * A real server's active and inactive connection counts packed in one long so that one atomic add changes both
 * and one load reads a consistent pair: word = active * 2^32 + overhead, where overhead = active * 256 + inactive
 * is the kernel's ip_vs_dest_conn_overhead. Keeping the overhead (not the inactive count) in the low half lets lc
 * and wlc read it with a single cast.
 *
 * <p>The word is the exact integer active * 2^32 + overhead, so adding deltas of either sign keeps it exact and
 * decoding with a signed low half undoes it. Exact while the overhead fits in an int (fewer than about 8.3 million
 * active connections per server), the same range in which the kernel's int overhead is exact.
 */
final class ConnectionCounts {
    private ConnectionCounts() {}

    static long delta(int activeDelta, int inactiveDelta) {
        return ((long) activeDelta << 32) + ((long) activeDelta << 8) + inactiveDelta;
    }

    static int overhead(long word) { return (int) word; }

    static int active(long word) { return (int) ((word - (int) word) >> 32); }

    static int inactive(long word) { return overhead(word) - (active(word) << 8); }

    /** active + inactive, as OVERLOAD's thresholds count them. */
    static int total(long word) { return inactive(word) + active(word); }
}
