package io.jlvs.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The daemon's last log events, for the console: the same lines the log shows (changes applied, health
 * transitions, VRRP states, refusals), numbered so that a reader asks only for those after the last it saw. A
 * bounded ring: the oldest are forgotten.
 */
public final class RecentEvents {
    public static final int DEFAULT_CAPACITY = 500;

    /** One log event: seq counts from 1, time is epoch milliseconds, source the logger's simple name. */
    public record Event(long seq, long time, String level, String source, String message) {}

    private final Event[] ring;
    private long next = 1;

    public RecentEvents() {
        this(DEFAULT_CAPACITY);
    }

    public RecentEvents(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
        ring = new Event[capacity];
    }

    public synchronized void add(long time, String level, String source, String message) {
        long seq = next++;
        ring[(int) (seq % ring.length)] = new Event(seq, time, level, source, message);
    }

    /** The events after seq that are still kept, oldest first. */
    public synchronized List<Event> after(long seq) {
        long first = Math.max(seq + 1, Math.max(1, next - ring.length));
        List<Event> out = new ArrayList<>((int) Math.max(0, next - first));
        for (long s = first; s < next; s++) out.add(ring[(int) (s % ring.length)]);
        return out;
    }

    /** The number of the last event added (0 before any). */
    public synchronized long last() { return next - 1; }
}
