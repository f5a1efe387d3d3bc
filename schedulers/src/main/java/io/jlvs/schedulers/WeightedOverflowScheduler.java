package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * ovf (ip_vs_ovf.c): the highest-weight server that is not OVERLOADed and has no more active connections than its
 * weight; the first one wins ties. Traffic overflows to the next server once a server holds weight connections.
 */
public final class WeightedOverflowScheduler implements Scheduler {
    @Override public String name() { return "ovf"; }

    @Override
    public RealServer schedule(ServerSet servers, FlowDescription flow) {
        RealServer highest = null;
        int highestWeight = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer s = servers.get(i);
            int w = s.weight();
            if (w == 0 || s.overloaded() || s.activeConns() > w) continue;
            if (highest == null || w > highestWeight) { highest = s; highestWeight = w; }
        }
        return highest;
    }
}
