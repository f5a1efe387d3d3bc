package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * sed (ip_vs_sed.c): the least (active + 1) / weight, as wlc but counting only active connections plus the new one.
 * Bound to a set of more than one {@link ScanBlocks} block, it scans incrementally ({@link BlockedLeastLoad});
 * unbound, bound to a smaller set, or called with another set than its own, it runs the plain loop. Both give the
 * kernel's answer.
 */
public final class ShortestExpectedDelayScheduler implements Scheduler {
    /** Null when not bound, or bound to a set small enough for the plain loop. */
    private final BlockWinners winners;

    public ShortestExpectedDelayScheduler() { this(null); }

    private ShortestExpectedDelayScheduler(BlockWinners winners) { this.winners = winners; }

    @Override public String name() { return "sed"; }

    @Override
    public Scheduler withServers(ServerSet servers) {
        return new ShortestExpectedDelayScheduler(BlockWinners.of(servers));
    }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        BlockWinners bound = winners;
        if (bound != null && bound.serves(servers)) return BlockedLeastLoad.weightedLeast(bound, true);
        return LeastLoad.weightedLeast(servers, true);
    }
}
