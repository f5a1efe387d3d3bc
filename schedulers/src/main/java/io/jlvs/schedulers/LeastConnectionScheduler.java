package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * lc (ip_vs_lc.c): the least overhead (active*256 + inactive) among servers with weight above 0, not OVERLOADed;
 * first wins ties.
 * Bound to a set of more than one {@link ScanBlocks} block, it scans incrementally ({@link BlockedLeastLoad});
 * unbound, bound to a smaller set, or called with another set than its own, it runs the plain loop. Both give the
 * kernel's answer.
 */
public final class LeastConnectionScheduler implements Scheduler {
    /** Null when not bound, or bound to a set small enough for the plain loop. */
    private final BlockWinners winners;

    public LeastConnectionScheduler() { this(null); }

    private LeastConnectionScheduler(BlockWinners winners) { this.winners = winners; }

    @Override public String name() { return "lc"; }

    @Override
    public Scheduler withServers(ServerSet servers) {
        return new LeastConnectionScheduler(BlockWinners.of(servers));
    }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        BlockWinners bound = winners;
        if (bound != null && bound.serves(servers)) return BlockedLeastLoad.leastOverhead(bound);
        return LeastLoad.leastOverhead(servers);
    }
}
