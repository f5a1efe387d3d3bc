package io.jlvs.connections;

/**
 * When a forwarding worker offers a connection to the sync, besides a change into a state worth sending (which
 * is offered at once): IPVS's ip_vs_sync_conn_needed with its sysctls. A connection counts the packets it gets
 * from the client; with {@code period} &gt; 0 it is offered when that count modulo the period equals
 * {@code threshold} (sync_threshold "3 50": the 3rd, 53rd, 103rd... packet), with period 0 only at the
 * threshold-th packet. With {@code refreshNanos} &gt; 0 (sync_refresh_period) an offer also needs the connection's
 * deadline to have moved by at least the refresh period or half its timeout (10 s at least) since it was last
 * offered, or else it is a retry: at most {@code retries} of them (sync_retries), each an eighth of the refresh
 * period after the offer before it; with period 0 the refresh alone decides.
 *
 * @param threshold    0..254, below the period when there is one
 * @param period       0..255 (the packet count is kept modulo it in one byte of the entry)
 * @param refreshNanos 0 (none) or the refresh period
 * @param retries      0..3
 */
public record SyncRule(int threshold, int period, long refreshNanos, int retries) {
    /** The kernel's defaults: sync_threshold "3 50", sync_refresh_period 0, sync_retries 0. */
    public static final SyncRule IPVS_DEFAULTS = new SyncRule(3, 50, 0, 0);
    /** The count byte saturates here when there is no period. */
    static final int MAX_COUNT = 255;

    public SyncRule {
        if (period < 0 || period > MAX_COUNT) throw new IllegalArgumentException("sync period 0..255: " + period);
        if (threshold < 0 || threshold >= MAX_COUNT) {
            throw new IllegalArgumentException("sync threshold 0..254: " + threshold);
        }
        if (period > 0 && threshold >= period) {
            throw new IllegalArgumentException("sync threshold " + threshold + " must be below the period " + period);
        }
        if (refreshNanos < 0) throw new IllegalArgumentException("sync refresh period: " + refreshNanos);
        if (retries < 0 || retries > 3) throw new IllegalArgumentException("sync retries 0..3: " + retries);
    }

    /** The packet count after one more packet from the client: modulo the period, or saturating without one. */
    int nextCount(int count) {
        return period > 0 ? (count + 1) % period : Math.min(count + 1, MAX_COUNT);
    }

    /** Whether the packet count alone calls for an offer. */
    boolean countDue(int count) {
        return period > 0 ? count == threshold : refreshNanos > 0 || count == threshold;
    }
}
