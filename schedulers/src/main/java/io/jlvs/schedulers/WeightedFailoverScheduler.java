package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/** fo (ip_vs_fo.c): the not-OVERLOADed server with the highest weight (above 0); the first one wins ties. */
public final class WeightedFailoverScheduler implements Scheduler {
    @Override public String name() { return "fo"; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        return HighestWeight.first(servers, false);
    }
}
