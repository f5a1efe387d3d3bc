package io.jlvs.schedulers;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One lc/wlc/sed/nq instance's cache over the {@link ScanBlocks} of its server set: per block, the kernel's winner
 * within the block (or none) and the block version read before it was computed, packed into one long
 * (version << 16 | offset + 1, offset within the block, 0 = no eligible server) so that threads racing to refresh
 * an entry never mix one's version with another's winner.
 *
 * <p>Any forwarding thread may refresh an entry. A server change racing a refresh leaves a version newer than the
 * stamp stored, so the next decision rescans that block: an entry may be refreshed in vain, never trusted wrongly.
 * An older refresh that lands after a newer one only costs a rescan, for the same reason.
 */
final class BlockWinners {
    /** {@link #cachedWinner}'s answer when the entry does not match the block's current version. */
    static final int STALE = Integer.MIN_VALUE;

    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long STAMP_MASK = (1L << 48) - 1;
    /** A stamp no block reaches (2^48 - 1 changes of one block). */
    private static final long NOT_COMPUTED = -1L;

    private final ScanBlocks blocks;
    private final long[] entries;

    BlockWinners(ScanBlocks blocks) {
        this.blocks = blocks;
        this.entries = new long[blocks.blockCount()];
        Arrays.fill(entries, NOT_COMPUTED);
    }

    /** The cache for a scheduler bound to that set, or null when the set keeps the plain scan (one block or less). */
    static BlockWinners of(ServerSet servers) {
        if (ScanBlocks.worthBlocks(servers)) return new BlockWinners(ScanBlocks.of(servers));
        ScanBlocks.detach(servers);
        return null;
    }

    /** True when this cache may answer for that set: the set it was built for, and its blocks still bumped. */
    boolean serves(ServerSet servers) { return servers == blocks.servers() && !blocks.superseded(); }

    ScanBlocks blocks() { return blocks; }

    /** The cached winner's index in the set (-1: none eligible in the block) if still current, else {@link #STALE}. */
    int cachedWinner(int block, long version) {
        long entry = (long) ENTRIES.getOpaque(entries, block);
        if ((entry >>> 16) != (version & STAMP_MASK)) return STALE;
        int offset = (int) (entry & 0xFFFF) - 1;
        return offset < 0 ? -1 : ScanBlocks.from(block) + offset;
    }

    /** Caches a rescan's winner (index in the set, or -1) under the version read before the rescan. */
    void store(int block, long version, int winner) {
        long offset = winner < 0 ? 0 : winner - ScanBlocks.from(block) + 1;
        ENTRIES.setOpaque(entries, block, (version << 16) | offset);
    }
}
