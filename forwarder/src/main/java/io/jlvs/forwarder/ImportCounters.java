package io.jlvs.forwarder;

import java.util.concurrent.atomic.AtomicLongArray;

/** How many imported connections ended in each {@link ImportResult}, since the data plane started. */
public final class ImportCounters {
    private final AtomicLongArray counts = new AtomicLongArray(ImportResult.values().length);

    void count(ImportResult result) {
        counts.incrementAndGet(result.ordinal());
    }

    public long get(ImportResult result) { return counts.get(result.ordinal()); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (ImportResult r : ImportResult.values()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(r.name().toLowerCase()).append(' ').append(get(r));
        }
        return sb.toString();
    }
}
