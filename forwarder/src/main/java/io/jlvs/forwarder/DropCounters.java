package io.jlvs.forwarder;

/** One worker's drop counters: single writer, read racily by the control plane (plain longs in an array). */
public final class DropCounters {
    private static final DropReason[] REASONS = DropReason.values();
    private final long[] counts = new long[REASONS.length];

    public void count(DropReason reason) { counts[reason.ordinal()]++; }

    public long get(DropReason reason) { return counts[reason.ordinal()]; }
}
