package io.jlvs.layer7.route;

import java.util.List;

/** wlc: the available server with the fewest active connections per unit of weight (ties: the first). */
final class LeastConnections {
    private LeastConnections() {}

    static Backend pick(List<Backend> servers) {
        Backend best = null;
        for (Backend b : servers) {
            if (!b.available()) continue;
            // a.active / a.weight < b.active / b.weight, without division
            if (best == null || (long) b.active() * best.weight() < (long) best.active() * b.weight()) best = b;
        }
        return best;
    }
}
