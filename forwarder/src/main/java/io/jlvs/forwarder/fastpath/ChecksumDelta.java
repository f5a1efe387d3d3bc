package io.jlvs.forwarder.fastpath;

/**
 * RFC 1624's incremental checksum update, precomputed: a field changing from {@code old} to {@code new} adds
 * {@code ~old + new} (one's complement, 16-bit words) to the complement of the checksum. The fast path's entries
 * carry the folded sum of all their changes, so the program adds one number per checksum.
 */
final class ChecksumDelta {
    private ChecksumDelta() {}

    /**
     * The TTL's word (TTL, protocol) losing 0x0100: {@code ~old + old - 0x0100}, which is {@code 0xffff - 0x0100}
     * whatever the TTL.
     */
    static final int TTL_DECREMENT = 0xfeff;

    static int of16(int oldValue, int newValue) {
        return (~oldValue & 0xffff) + (newValue & 0xffff);
    }

    static int of32(int oldValue, int newValue) {
        return of16(oldValue >>> 16, newValue >>> 16) + of16(oldValue, newValue);
    }

    /** An IPv6 address (two halves) changing: its eight 16-bit words. */
    static int of128(long oldHi, long oldLo, long newHi, long newLo) {
        return of64(oldHi, newHi) + of64(oldLo, newLo);
    }

    private static int of64(long oldValue, long newValue) {
        return of32((int) (oldValue >>> 32), (int) (newValue >>> 32)) + of32((int) oldValue, (int) newValue);
    }

    /** Folds the carries back in: a 16-bit one's-complement sum. */
    static int fold(int sum) {
        long s = sum & 0xffffffffL;
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }
}
