package io.jlvs.connections;

/**
 * The connections a sync master sends to its backups: one {@link ChangeRing} per forwarding worker, which the
 * worker passes to {@link ConnectionTable#create(ConnectionParam, long, ConnectionView, ChangeRing)} and
 * {@link ConnectionTable#onPacket(long, int, int, long, ChangeRing)}, and one consumer thread that drains them
 * ({@link #drain}) and walks the whole table for a bulk resync ({@link #walk}).
 *
 * <p>A drained handle is read from the table when it is drained, so the consumer sees the connection's current
 * fields (a state changed twice since is sent once, in its latest state); a connection that ended meanwhile is
 * skipped and counted ({@link #staleSkipped()}). Handles come out of each ring in the order the worker queued
 * them; rings are drained one after the other.
 */
public final class ChangeFeed {
    /** Handles each worker's ring holds by default: a few milliseconds of new connections at a high rate. */
    public static final int DEFAULT_RING_CAPACITY = 1 << 16;

    private final ConnectionTable table;
    private final ChangeRing[] rings;
    /** Consumer thread only. */
    private long staleSkipped;

    public ChangeFeed(ConnectionTable table, int producers, int ringCapacity) {
        if (producers < 1) throw new IllegalArgumentException("producers must be at least 1: " + producers);
        this.table = table;
        this.rings = new ChangeRing[producers];
        for (int i = 0; i < producers; i++) rings[i] = new ChangeRing(ringCapacity);
    }

    /** The ring of one producer (forwarding worker), 0-based. */
    public ChangeRing ring(int producer) { return rings[producer]; }

    public int producers() { return rings.length; }

    /**
     * Consumer thread: hands each queued connection, read now into {@code into}, to {@code visitor}, at most
     * {@code max} of them. Returns how many were visited (0 when nothing was queued).
     */
    public int drain(ConnectionView into, ConnectionVisitor visitor, int max, long nowNanos) {
        int visited = 0;
        for (ChangeRing ring : rings) {
            while (visited < max) {
                long h = ring.poll();
                if (h < 0) break;
                if (table.read(h, into, nowNanos)) {
                    visitor.visit(into);
                    visited++;
                } else {
                    staleSkipped++;
                }
            }
        }
        return visited;
    }

    /** Every live connection, for a bulk resync (weakly consistent, see {@link ConnectionTable#forEach}). */
    public void walk(ConnectionVisitor visitor, long nowNanos) {
        table.forEach(visitor, nowNanos);
    }

    /** Handles dropped because a worker's ring was full: a walk is then the way to catch up. */
    public long overflows() {
        long n = 0;
        for (ChangeRing r : rings) n += r.overflows();
        return n;
    }

    /** Drained handles whose connection had ended before it was read (consumer thread). */
    public long staleSkipped() { return staleSkipped; }
}
