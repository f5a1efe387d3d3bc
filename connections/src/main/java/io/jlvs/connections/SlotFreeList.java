package io.jlvs.connections;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lock-free stack of free slot numbers (Treiber stack), linked through the entries' IN_NEXT field. The head
 * carries a tag that changes on every pop and push, so a pop cannot succeed on a head that was popped and
 * pushed back meanwhile (ABA).
 */
final class SlotFreeList {
    private static final long SLOT_MASK = 0xFFFF_FFFFL;
    private final EntrySlab slab;
    private final AtomicLong head = new AtomicLong(ConnectionTable.NIL & SLOT_MASK);

    SlotFreeList(EntrySlab slab) {
        this.slab = slab;
        // Pushed in reverse so that slots are handed out in ascending order at first: nicer memory locality.
        for (int slot = slab.capacity() - 1; slot >= 0; slot--) push(slot);
    }

    /** A free slot, or NIL when the table is full. */
    int pop() {
        for (;;) {
            long h = head.get();
            int slot = (int) h;
            if (slot == ConnectionTable.NIL) return ConnectionTable.NIL;
            int next = slab.link(slot, EntrySlab.IN_NEXT);
            if (head.compareAndSet(h, nextTag(h) | (next & SLOT_MASK))) return slot;
        }
    }

    void push(int slot) {
        for (;;) {
            long h = head.get();
            slab.setLink(slot, EntrySlab.IN_NEXT, (int) h);
            if (head.compareAndSet(h, nextTag(h) | slot)) return;
        }
    }

    private static long nextTag(long h) {
        return ((h >>> 32) + 1) << 32;
    }
}
