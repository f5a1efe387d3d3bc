package io.jlvs.connections;

import java.util.concurrent.atomic.AtomicInteger;

import static io.jlvs.connections.ConnectionTable.NIL;
import java.util.Arrays;

/**
 * Hashed timer wheel with 1 s ticks, lazy: each entry keeps its own deadline and the wheel position is only a
 * hint of when to look at it again. Refreshing an entry (every packet) just moves its deadline later and
 * touches no list; when the wheel reaches the entry it re-checks the deadline and re-files it if it moved.
 * A deadline moved earlier (e.g. ESTABLISHED 900 s to FIN_WAIT 120 s) is reported once through the refile
 * stack so that the entry does not expire late.
 *
 * <p>The lists (doubly linked through TIMER_NEXT/TIMER_PREV) belong to the single housekeeping thread. Other
 * threads only push onto two lock-free stacks: new entries (through TIMER_NEXT, free while the entry is not
 * filed) and refile requests (through REFILE_NEXT). TIMER_PREV of a list's first entry holds -2 - list.
 */
final class TimerWheel {
    static final long TICK_NANOS = 1_000_000_000L;
    /** TIMER_PREV of a new entry still in the incoming stack. */
    static final int NOT_FILED = Integer.MIN_VALUE;
    /** TIMER_PREV of a dead entry on no list, left for the refile drain to free (it is still in that stack). */
    static final int DETACHED = Integer.MIN_VALUE + 1;
    private static final long UNSET = Long.MIN_VALUE;

    private final EntrySlab slab;
    private final int tickMask;
    private final int pendingList;
    private final int[] heads;
    private final AtomicInteger incoming = new AtomicInteger(NIL);
    private final AtomicInteger refiles = new AtomicInteger(NIL);
    private long processedTick = UNSET;

    /** @param ticks number of wheel positions, a power of two; longer timeouts just go round again. */
    TimerWheel(EntrySlab slab, int ticks) {
        if (Integer.bitCount(ticks) != 1) throw new IllegalArgumentException("ticks must be a power of two");
        this.slab = slab;
        this.tickMask = ticks - 1;
        this.pendingList = ticks;
        this.heads = new int[ticks + 1];
        Arrays.fill(heads, NIL);
    }

    static long tickOf(long nanos) { return Math.floorDiv(nanos, TICK_NANOS); }

    // ---- any thread ----

    void pushIncoming(int slot) {
        for (;;) {
            int head = incoming.get();
            slab.setLink(slot, EntrySlab.TIMER_NEXT, head);
            if (incoming.compareAndSet(head, slot)) return;
        }
    }

    /** Caller has set QUEUED in the entry's word, which guarantees it is in this stack at most once. */
    void pushRefile(int slot) {
        for (;;) {
            int head = refiles.get();
            slab.setLink(slot, EntrySlab.REFILE_NEXT, head);
            if (refiles.compareAndSet(head, slot)) return;
        }
    }

    // ---- housekeeping thread only ----

    /** Starts an expiry pass; the first pass starts the wheel at the current tick (all lists are empty). */
    void startPass(long nowTick) {
        if (processedTick == UNSET) processedTick = nowTick - 1;
    }

    int takeIncoming() { return incoming.getAndSet(NIL); }

    int takeRefiles() { return refiles.getAndSet(NIL); }

    /** Files an entry at the first tick at or after its deadline, never at a tick already processed. */
    void file(int slot, long deadline) {
        long tick = Math.ceilDiv(deadline, TICK_NANOS);
        if (tick <= processedTick) tick = processedTick + 1;
        insert((int) (tick & tickMask), slot);
    }

    boolean isFiled(int slot) {
        int prev = prev(slot);
        return prev != NOT_FILED && prev != DETACHED;
    }

    boolean isDetached(int slot) { return prev(slot) == DETACHED; }

    void unlink(int slot) {
        int prev = prev(slot);
        int next = slab.link(slot, EntrySlab.TIMER_NEXT);
        if (prev >= 0) slab.setLink(prev, EntrySlab.TIMER_NEXT, next);
        else heads[-2 - prev] = next;
        if (next != NIL) slab.setLink(next, EntrySlab.TIMER_PREV, prev);
        slab.setLink(slot, EntrySlab.TIMER_PREV, DETACHED);
    }

    /**
     * The next entry to examine for {@code nowTick}, taken off its list, or NIL when every tick up to nowTick
     * has been examined. A tick's list is first moved whole to the pending list, so entries re-filed meanwhile
     * (possibly at the same wheel position, one turn later) are not met again in this turn.
     */
    int nextDue(long nowTick) {
        for (;;) {
            int slot = heads[pendingList];
            if (slot != NIL) {
                unlink(slot);
                return slot;
            }
            if (processedTick >= nowTick) return NIL;
            // After a long pause every position is visited once, not once per missed tick.
            if (nowTick - processedTick > heads.length - 1) processedTick = nowTick - (heads.length - 1);
            processedTick++;
            int list = (int) (processedTick & tickMask);
            int first = heads[list];
            heads[list] = NIL;
            heads[pendingList] = first;
            if (first != NIL) slab.setLink(first, EntrySlab.TIMER_PREV, -2 - pendingList);
        }
    }

    private int prev(int slot) { return slab.link(slot, EntrySlab.TIMER_PREV); }

    private void insert(int list, int slot) {
        int first = heads[list];
        slab.setLink(slot, EntrySlab.TIMER_NEXT, first);
        slab.setLink(slot, EntrySlab.TIMER_PREV, -2 - list);
        if (first != NIL) slab.setLink(first, EntrySlab.TIMER_PREV, slot);
        heads[list] = slot;
    }
}
