package io.jlvs.forwarder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Connections, packets and bytes in each direction, as ipvsadm --stats shows them, for one service or one real
 * server, plus the SYNs forwarded and replies seen that the return-path check compares. Every worker writes its
 * own cache line of plain counters (single writer: no CAS, no lock on the packet path); readers sum the lines.
 * Zeroing (-Z) moves a reader-side baseline, so it never races with the writers. One more line holds what the
 * XDP fast path forwarded, folded in by one thread at a time ({@link #forwardedByKernel}).
 */
public final class TrafficCounters {
    /** Workers are numbered 0..MAX_WORKERS-1; the daemon refuses more (DaemonOptions). */
    public static final int MAX_WORKERS = 64;
    private static final int CONNS = 0, IN_PACKETS = 1, OUT_PACKETS = 2, IN_BYTES = 3, OUT_BYTES = 4, SYNS = 5,
            REPLIES = 6, FIELDS = 7;
    private static final int STRIDE = 8; // longs per worker: one 64-byte line, so workers never share one
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] cells;
    private final int workers;
    private final long[] baseline = new long[FIELDS];
    /** The rate estimator's state for these counters (null until its first sample); the estimator's alone. */
    volatile RateEstimator.State estimate;

    /** @param workers how many workers write (one cache line each) */
    public TrafficCounters(int workers) {
        if (workers < 1 || workers > MAX_WORKERS) throw new IllegalArgumentException("workers: " + workers);
        this.workers = workers;
        this.cells = new long[(workers + 1) * STRIDE];
    }

    private void add(int worker, int field, long delta) {
        int i = worker * STRIDE + field;
        CELL.setOpaque(cells, i, (long) CELL.getOpaque(cells, i) + delta);
    }

    public void connection(int worker) { add(worker, CONNS, 1); }

    public void inbound(int worker, int bytes) {
        add(worker, IN_PACKETS, 1);
        add(worker, IN_BYTES, bytes);
    }

    public void outbound(int worker, int bytes) {
        add(worker, OUT_PACKETS, 1);
        add(worker, OUT_BYTES, bytes);
    }

    /** Packets and bytes the XDP fast path forwarded, from its per-CPU counters; callers serialize. */
    void forwardedByKernel(long inPackets, long inBytes, long outPackets, long outBytes) {
        add(workers, IN_PACKETS, inPackets);
        add(workers, IN_BYTES, inBytes);
        add(workers, OUT_PACKETS, outPackets);
        add(workers, OUT_BYTES, outBytes);
    }

    void synForwarded(int worker) { add(worker, SYNS, 1); }

    void replySeen(int worker) { add(worker, REPLIES, 1); }

    private long raw(int field) {
        long sum = 0;
        for (int w = 0; w <= workers; w++) sum += (long) CELL.getOpaque(cells, w * STRIDE + field);
        return sum;
    }

    private synchronized long read(int field) { return raw(field) - baseline[field]; }

    public long conns() { return read(CONNS); }
    public long inPackets() { return read(IN_PACKETS); }
    public long outPackets() { return read(OUT_PACKETS); }
    public long inBytes() { return read(IN_BYTES); }
    public long outBytes() { return read(OUT_BYTES); }
    long synsForwarded() { return raw(SYNS); }
    long repliesSeen() { return raw(REPLIES); }

    /** -Z: what is counted from now on starts at zero (the SYN/reply evidence is kept). */
    public synchronized void zero() {
        for (int f = CONNS; f <= OUT_BYTES; f++) baseline[f] = raw(f);
    }
}
