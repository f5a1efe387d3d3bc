package io.jlvs.schedulers;

import java.util.List;

/**
 * The kernel's least-load loops written as plainly as ip_vs_lc.c, ip_vs_wlc.c, ip_vs_sed.c and ip_vs_nq.c write them:
 * the reference the optimised scans are checked against.
 */
final class KernelLeastLoadReference {
    private KernelLeastLoadReference() {}

    /** The reference answer of scheduler lc, wlc, sed or nq. */
    static Destination choose(String name, List<Destination> list) {
        return switch (name) {
            case "lc" -> lc(list);
            case "wlc" -> weighted(list, false);
            case "sed" -> weighted(list, true);
            case "nq" -> nq(list);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static boolean eligible(Destination s) { return s.weight() > 0 && !s.overloaded(); }

    /** ip_vs_lc.c as written. */
    static Destination lc(List<Destination> list) {
        Destination least = null;
        long leastOverhead = 0;
        for (Destination s : list) {
            if (!eligible(s)) continue;
            long overhead = ((long) s.activeConns() << 8) + s.inactiveConns();
            if (least == null || overhead < leastOverhead) { least = s; leastOverhead = overhead; }
        }
        return least;
    }

    /** ip_vs_wlc.c / ip_vs_sed.c as written: first eligible, then strictly better by cross-multiplication. */
    static Destination weighted(List<Destination> list, boolean sed) {
        Destination least = null;
        long leastLoad = 0;
        for (Destination s : list) {
            if (least == null) {
                if (eligible(s)) { least = s; leastLoad = load(s, sed); }
                continue;
            }
            if (s.overloaded()) continue;
            long load = load(s, sed);
            if (leastLoad * s.weight() > load * least.weight()) { least = s; leastLoad = load; }
        }
        return least;
    }

    /** ip_vs_nq.c as written. */
    static Destination nq(List<Destination> list) {
        Destination least = null;
        long leastLoad = 0;
        for (Destination s : list) {
            if (!eligible(s)) continue;
            if (s.activeConns() == 0) return s;
            long load = s.activeConns() + 1L;
            if (least == null || leastLoad * s.weight() > load * least.weight()) { least = s; leastLoad = load; }
        }
        return least;
    }

    private static long load(Destination s, boolean sed) {
        return sed ? s.activeConns() + 1L : ((long) s.activeConns() << 8) + s.inactiveConns();
    }
}
