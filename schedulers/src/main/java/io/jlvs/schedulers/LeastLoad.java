package io.jlvs.schedulers;

/** The weighted-least-load scan shared by wlc and sed (and by lblc's re-pick). */
final class LeastLoad {
    private LeastLoad() {}

    /**
     * The kernel's two-stage scan: the first server with weight above 0 and not OVERLOADed starts; a later one
     * (not OVERLOADed) replaces it when load1 * weight2 > load2 * weight1, so ties keep the first and weight 0
     * never wins.
     *
     * @param expectedDelay true: load = active + 1 (sed); false: load = active*256 + inactive (wlc)
     */
    static RealServer weightedLeast(ServerSet servers, boolean expectedDelay) {
        int n = servers.size();
        int i = 0;
        RealServer least = null;
        long leastLoad = 0, leastWeight = 0;
        for (; i < n; i++) {
            RealServer s = servers.get(i);
            int w = s.weight();
            if (!s.overloaded() && w > 0) {
                least = s;
                leastLoad = load(s, expectedDelay);
                leastWeight = w;
                i++;
                break;
            }
        }
        if (least == null) return null;
        for (; i < n; i++) {
            RealServer s = servers.get(i);
            if (s.overloaded()) continue;
            long load = load(s, expectedDelay);
            int w = s.weight();
            if (leastLoad * w > load * leastWeight) { least = s; leastLoad = load; leastWeight = w; }
        }
        return least;
    }

    private static long load(RealServer s, boolean expectedDelay) {
        return expectedDelay ? s.activeConns() + 1L : s.overhead();
    }
}
