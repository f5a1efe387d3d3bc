package io.jlvs.layer7.route;

import java.util.List;

/** wlc: the available server with the fewest active connections per unit of weight (ties: the first). */
final class LeastConnections {
    private LeastConnections() {}

    static Backend pick(List<Backend> servers) {
        return pick(servers, null);
    }

    /**
     * As {@link #pick(List)}, where {@code kept} (or null) is a server the caller already holds a connection to,
     * which is not counted against it: a keep-alive client stays on its server while that is as lightly loaded as
     * any, instead of opening a new connection elsewhere because of its own.
     */
    static Backend pick(List<Backend> servers, Backend kept) {
        Backend best = null;
        long bestActive = 0;
        for (Backend b : servers) {
            if (!b.available()) continue;
            long active = b == kept ? Math.max(0, b.active() - 1) : b.active();
            // active / b.weight < bestActive / best.weight, without division; ties go to kept, then to the first
            long left = active * (best == null ? 1 : best.weight()), right = bestActive * b.weight();
            if (best == null || left < right || (left == right && b == kept)) {
                best = b;
                bestActive = active;
            }
        }
        return best;
    }
}
