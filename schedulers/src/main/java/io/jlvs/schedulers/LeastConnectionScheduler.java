package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/** lc (ip_vs_lc.c): the least overhead (active*256 + inactive) among servers with weight above 0, not OVERLOADed; first wins ties. */
public final class LeastConnectionScheduler implements Scheduler {
    @Override public String name() { return "lc"; }

    /**
     * Only a server whose overhead is below the best so far can win, so the weight and the OVERLOAD flag are read
     * for those alone; the rest cost one load and one compare.
     */
    @Override
    public RealServer schedule(ServerSet servers, FlowDescription flow) {
        RealServer least = null;
        int leastOverhead = Integer.MAX_VALUE;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer s = servers.get(i);
            int overhead = ConnectionCounts.overhead(s.connections());
            if (overhead >= leastOverhead && least != null) continue;
            if (s.overloaded() || s.weight() == 0) continue;
            least = s;
            leastOverhead = overhead;
        }
        return least;
    }
}
