package io.jlvs.schedulers;

import java.util.List;

/**
 * The kernel's least-load loops written as plainly as ip_vs_lc.c, ip_vs_wlc.c, ip_vs_sed.c and ip_vs_nq.c write them:
 * the reference the optimised scans are checked against.
 */
final class KernelLeastLoadReference {
    private KernelLeastLoadReference() {}

    /** The reference answer of scheduler lc, wlc, sed or nq. */
    static RealServer choose(String name, List<RealServer> list) {
        return switch (name) {
            case "lc" -> lc(list);
            case "wlc" -> weighted(list, false);
            case "sed" -> weighted(list, true);
            case "nq" -> nq(list);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static boolean eligible(RealServer s) { return s.weight() > 0 && !s.overloaded(); }

    /** ip_vs_lc.c as written. */
    static RealServer lc(List<RealServer> list) {
        RealServer least = null;
        long leastOverhead = 0;
        for (RealServer s : list) {
            if (!eligible(s)) continue;
            long overhead = ((long) s.activeConns() << 8) + s.inactiveConns();
            if (least == null || overhead < leastOverhead) { least = s; leastOverhead = overhead; }
        }
        return least;
    }

    /** ip_vs_wlc.c / ip_vs_sed.c as written: first eligible, then strictly better by cross-multiplication. */
    static RealServer weighted(List<RealServer> list, boolean sed) {
        RealServer least = null;
        long leastLoad = 0;
        for (RealServer s : list) {
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
    static RealServer nq(List<RealServer> list) {
        RealServer least = null;
        long leastLoad = 0;
        for (RealServer s : list) {
            if (!eligible(s)) continue;
            if (s.activeConns() == 0) return s;
            long load = s.activeConns() + 1L;
            if (least == null || leastLoad * s.weight() > load * least.weight()) { least = s; leastLoad = load; }
        }
        return least;
    }

    private static long load(RealServer s, boolean sed) {
        return sed ? s.activeConns() + 1L : ((long) s.activeConns() << 8) + s.inactiveConns();
    }
}
