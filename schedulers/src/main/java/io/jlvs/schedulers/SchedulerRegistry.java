package io.jlvs.schedulers;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Schedulers by their ipvsadm name, as the kernel's ip_vs_scheduler_get does. */
public final class SchedulerRegistry {
    /** Option: Maglev table size, a prime (default 65537). */
    public static final String MH_TABLE_SIZE = "mh-table-size";
    /** Option: lblc/lblcr cache expiration in seconds (default 86400). */
    public static final String LBLC_EXPIRATION = "lblc-expiration";

    private static final Set<String> NAMES = Set.of(
            "rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "lblc", "lblcr", "dh", "sh", "mh", "twos");

    private SchedulerRegistry() {}

    /**
     * A fresh, unbound scheduler: give it to a {@link ServiceScheduler}, or call {@link Scheduler#withServers}
     * before scheduling with it. One instance per service (rr position, lblc caches are per service).
     *
     * @throws IllegalArgumentException "Scheduler not found" for an unknown name, or a bad flag or option
     */
    public static Scheduler create(String name, Set<String> flags, Map<String, String> options) {
        int bits = SchedulerFlags.parse(flags == null ? Set.of() : flags);
        Map<String, String> opts = options == null ? Map.of() : options;
        return switch (name) {
            case "rr" -> new RoundRobinScheduler();
            case "wrr" -> new WeightedRoundRobinScheduler();
            case "lc" -> new LeastConnectionScheduler();
            case "wlc" -> new WeightedLeastConnectionScheduler();
            case "sed" -> new ShortestExpectedDelayScheduler();
            case "nq" -> new NeverQueueScheduler();
            case "fo" -> new WeightedFailoverScheduler();
            case "ovf" -> new WeightedOverflowScheduler();
            case "lblc" -> new LocalityBasedLeastConnectionScheduler(expirationNanos(opts));
            case "lblcr" -> new LocalityBasedLeastConnectionReplicationScheduler(expirationNanos(opts));
            case "dh" -> new DestinationHashScheduler();
            case "sh" -> new SourceHashScheduler(bits);
            case "mh" -> new MaglevScheduler(bits, intOption(opts, MH_TABLE_SIZE, MaglevScheduler.DEFAULT_TABLE_SIZE));
            case "twos" -> new TwoRandomChoicesScheduler();
            case null, default -> throw new IllegalArgumentException("Scheduler not found");
        };
    }

    public static Scheduler create(String name) { return create(name, Set.of(), Map.of()); }

    public static Set<String> names() { return new TreeSet<>(NAMES); }

    private static long expirationNanos(Map<String, String> opts) {
        long seconds = intOption(opts, LBLC_EXPIRATION, 24 * 3600);
        return seconds * 1_000_000_000L;
    }

    private static int intOption(Map<String, String> opts, String key, int defaultValue) {
        String v = opts.get(key);
        if (v == null) return defaultValue;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + key + ": " + v);
        }
    }
}
