package io.jlvs.connections;

import io.jlvs.packets.Ipv4;

import java.util.function.Predicate;

/**
 * The table's defence against a SYN flood without a SYN proxy (IPVS's drop_entry, in spirit: the kernel drops
 * entries at random, this drops the ones a flood leaves): while the defence is on, TCP connections that never
 * completed their handshake (SYN_RECV: the client's SYN went to a real server, and no ACK came back) are removed
 * when they have been idle longer than a cut-off that shrinks as the table's free room does, from 1 s at the
 * threshold (amemthresh) to 200 ms at half of it and below. With the default threshold of half the table free, that
 * is from half full to three quarters; the quarter left above is the room a flood fills between two housekeeping
 * passes (100 ms apart). A spoofed SYN flood then holds at most its rate times the cut-off in the table, and
 * legitimate clients, whose handshakes complete within a round trip, keep finding free entries. Runs on the
 * housekeeping thread; the scan reads the table without locks.
 */
public final class HalfOpenReclaimer {
    static final long MAX_IDLE_NANOS = 1_000_000_000L, MIN_IDLE_NANOS = 200_000_000L;

    private final ConnectionTable table;
    private long reclaimed;
    private long cutoffNanos;
    private int fillPercent;
    private long synRecvTimeoutNanos;
    private final Predicate<ConnectionView> halfOpenAndIdle = v -> v.protocol() == Ipv4.PROTO_TCP
            && v.state() == TcpState.SYN_RECV && synRecvTimeoutNanos - v.remainingNanos() >= cutoffNanos;

    public HalfOpenReclaimer(ConnectionTable table) {
        this.table = table;
    }

    /**
     * Removes the half-open connections idle beyond the cut-off the table's free room calls for; returns how many.
     *
     * @param thresholdPercent the free room, in percent of the capacity, below which the cut-off shrinks
     */
    public int reclaim(long nowNanos, int thresholdPercent) {
        long cutoff = cutoffNanos(table.size(), table.capacity(), thresholdPercent);
        cutoffNanos = cutoff;
        fillPercent = (int) (100L * table.size() / table.capacity());
        synRecvTimeoutNanos = table.timeoutSeconds(Ipv4.PROTO_TCP, TcpState.SYN_RECV) * 1_000_000_000L;
        int n = table.removeIf(halfOpenAndIdle, nowNanos);
        reclaimed += n;
        return n;
    }

    /** The idle time beyond which a half-open connection goes at this fill and threshold (percent free). */
    static long cutoffNanos(int size, int capacity, int thresholdPercent) {
        long free = capacity - (long) size, threshold = (long) capacity * thresholdPercent / 100;
        if (free >= threshold) return MAX_IDLE_NANOS;
        if (2 * free <= threshold) return MIN_IDLE_NANOS;
        double t = (threshold - free) / (threshold / 2.0);
        return (long) (MAX_IDLE_NANOS - t * (MAX_IDLE_NANOS - MIN_IDLE_NANOS));
    }

    /** Half-open connections removed so far. */
    public long reclaimed() { return reclaimed; }

    /** How full the table was when the last reclaim ran, in percent. */
    public int lastFillPercent() { return fillPercent; }

    /** The cut-off of the last reclaim that ran, in nanoseconds. */
    public long lastCutoffNanos() { return cutoffNanos; }
}
