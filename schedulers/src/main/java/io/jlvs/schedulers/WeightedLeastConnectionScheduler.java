package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * wlc (ip_vs_wlc.c): the least overhead/weight, compared as overhead1*weight2 > overhead2*weight1 so no division
 * happens. The first server with weight above 0 and not OVERLOADed starts; later ones replace it only when
 * strictly better (a weight 0 server never is).
 */
public final class WeightedLeastConnectionScheduler implements Scheduler {
    @Override public String name() { return "wlc"; }

    @Override
    public RealServer schedule(ServerSet servers, FlowDescription flow) {
        return LeastLoad.weightedLeast(servers, false);
    }
}
