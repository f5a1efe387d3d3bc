package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/** nq (ip_vs_nq.c): the first idle server (no active connection) with weight above 0 and not OVERLOADed, else as sed. */
public final class NeverQueueScheduler implements Scheduler {
    @Override public String name() { return "nq"; }

    @Override
    public RealServer schedule(ServerSet servers, FlowDescription flow) {
        return LeastLoad.idleOrShortestDelay(servers);
    }
}
