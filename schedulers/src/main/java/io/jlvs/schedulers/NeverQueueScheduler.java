package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * nq (ip_vs_nq.c): the first idle server (no active connection) with weight above 0 and not OVERLOADed, else as sed.
 * Once traffic has made every server busy, the plain loop scans the whole list as sed's does.
 * Bound to a set of more than one {@link ScanBlocks} block, it scans incrementally ({@link BlockedLeastLoad});
 * unbound, bound to a smaller set, or called with another set than its own, it runs the plain loop. Both give the
 * kernel's answer.
 */
public final class NeverQueueScheduler implements Scheduler {
    /** Null when not bound, or bound to a set small enough for the plain loop. */
    private final BlockWinners winners;

    public NeverQueueScheduler() { this(null); }

    private NeverQueueScheduler(BlockWinners winners) { this.winners = winners; }

    @Override public String name() { return "nq"; }

    @Override
    public Scheduler withServers(ServerSet servers) {
        return new NeverQueueScheduler(BlockWinners.of(servers));
    }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        BlockWinners bound = winners;
        if (bound != null && bound.serves(servers)) return BlockedLeastLoad.idleOrShortestDelay(bound);
        return LeastLoad.idleOrShortestDelay(servers);
    }
}
