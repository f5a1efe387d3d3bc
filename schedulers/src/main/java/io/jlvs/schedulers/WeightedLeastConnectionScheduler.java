package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * wlc (ip_vs_wlc.c): the least overhead/weight, compared as overhead1*weight2 > overhead2*weight1 so no division
 * happens. The first server with weight above 0 and not OVERLOADed starts; later ones replace it only when
 * strictly better (a weight 0 server never is).
 * Bound to a set of more than one {@link ScanBlocks} block, it scans incrementally ({@link BlockedLeastLoad});
 * unbound, bound to a smaller set, or called with another set than its own, it runs the plain loop. Both give the
 * kernel's answer.
 */
public final class WeightedLeastConnectionScheduler implements Scheduler {
    /** Null when not bound, or bound to a set small enough for the plain loop. */
    private final BlockWinners winners;

    public WeightedLeastConnectionScheduler() { this(null); }

    private WeightedLeastConnectionScheduler(BlockWinners winners) { this.winners = winners; }

    @Override public String name() { return "wlc"; }

    @Override
    public Scheduler withServers(ServerSet servers) {
        return new WeightedLeastConnectionScheduler(BlockWinners.of(servers));
    }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        BlockWinners bound = winners;
        if (bound != null && bound.serves(servers)) return BlockedLeastLoad.weightedLeast(bound, false);
        return LeastLoad.weightedLeast(servers, false);
    }
}
