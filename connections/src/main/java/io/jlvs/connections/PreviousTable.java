package io.jlvs.connections;

import io.jlvs.packets.Ipv4;

import java.lang.foreign.Arena;
import java.lang.invoke.VarHandle;

/**
 * The entries a previous daemon left in a {@link TableFile}, mapped read only: {@link #forEachLive} hands each
 * live, well-formed, unexpired one to a visitor, which re-creates it in the new table
 * ({@link ConnectionTable#restore}). The previous daemon is dead, so nothing changes under the reader; an entry
 * it was filling when it died still has a dead (even) life word, because the word is published last, and is
 * skipped like any free slot.
 */
public final class PreviousTable implements AutoCloseable {
    private final TableHeader header;
    private final Arena arena;
    private final EntrySlab slab;

    PreviousTable(TableHeader header, Arena arena, EntrySlab slab) {
        this.header = header;
        this.arena = arena;
        this.slab = slab;
    }

    public TableHeader header() { return header; }

    /** What a scan found: entries handed to the visitor, entries already expired, entries with impossible fields. */
    public record Scan(int live, int expired, int malformed) {}

    /**
     * Visits every live entry whose deadline is after {@code nowNanos} with its fields, state and deadline
     * (remaining time at {@code nowNanos}); the view's handle is the entry's handle in the previous table.
     */
    public Scan forEachLive(ConnectionVisitor visitor, long nowNanos) {
        ConnectionView view = new ConnectionView();
        int live = 0, expired = 0, malformed = 0;
        for (int slot = 0; slot < slab.capacity(); slot++) {
            long word = slab.wordAcquire(slot);
            if (!EntrySlab.isLive(word)) continue;
            slab.readInto(slot, view);
            long deadline = slab.deadline(slot);
            VarHandle.loadLoadFence();
            view.validate(((long) EntrySlab.generation(word) << 32) | slot, word);
            if (!wellFormed(view, slab.proto(slot))) {
                malformed++;
                continue;
            }
            if (deadline == ConnectionTable.DYING || deadline <= nowNanos) {
                expired++;
                continue;
            }
            view.expiresAtNanos = deadline;
            view.remainingNanos = deadline - nowNanos;
            visitor.visit(view);
            live++;
        }
        view.invalidate();
        return new Scan(live, expired, malformed);
    }

    private static boolean wellFormed(ConnectionView v, int protoField) {
        int proto = v.protocol();
        if (proto != protoField || (proto != Ipv4.PROTO_TCP && proto != Ipv4.PROTO_UDP)) return false;
        return proto == Ipv4.PROTO_TCP ? v.state() >= 0 && v.state() < TcpState.COUNT : v.state() == 0;
    }

    @Override
    public void close() {
        arena.close();
    }
}
