package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/** nq (ip_vs_nq.c): the first idle server (no active connection) with weight above 0 and not OVERLOADed, else as sed. */
public final class NeverQueueScheduler implements Scheduler {
    @Override public String name() { return "nq"; }

    @Override
    public RealServer schedule(ServerSet servers, FlowDescription flow) {
        RealServer least = null;
        long leastLoad = 0, leastWeight = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer s = servers.get(i);
            int w = s.weight();
            if (s.overloaded() || w == 0) continue;
            int active = s.activeConns();
            if (active == 0) return s;
            long load = active + 1L;
            if (least == null || leastLoad * w > load * leastWeight) { least = s; leastLoad = load; leastWeight = w; }
        }
        return least;
    }
}
