package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/** lc (ip_vs_lc.c): the least overhead (active*256 + inactive) among servers with weight above 0, not OVERLOADed; first wins ties. */
public final class LeastConnectionScheduler implements Scheduler {
    @Override public String name() { return "lc"; }

    @Override
    public RealServer schedule(ServerSet servers, FlowDescription flow) {
        RealServer least = null;
        int leastOverhead = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer s = servers.get(i);
            if (s.overloaded() || s.weight() == 0) continue;
            int overhead = s.overhead();
            if (least == null || overhead < leastOverhead) { least = s; leastOverhead = overhead; }
        }
        return least;
    }
}
