package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/** sed (ip_vs_sed.c): the least (active + 1) / weight, as wlc but counting only active connections plus the new one. */
public final class ShortestExpectedDelayScheduler implements Scheduler {
    @Override public String name() { return "sed"; }

    @Override
    public RealServer schedule(ServerSet servers, FlowDescription flow) {
        return LeastLoad.weightedLeast(servers, true);
    }
}
