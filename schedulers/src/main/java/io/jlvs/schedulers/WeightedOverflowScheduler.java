package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * ovf (ip_vs_ovf.c): the highest-weight server that is not OVERLOADed and has no more active connections than its
 * weight; the first one wins ties. Traffic overflows to the next server once a server holds weight connections.
 */
public final class WeightedOverflowScheduler implements Scheduler {
    @Override public String name() { return "ovf"; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        return HighestWeight.first(servers, true);
    }
}
