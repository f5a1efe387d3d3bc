package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * rr (ip_vs_rr.c): the next server after the last one chosen, in list order, with weight above 0 and not
 * OVERLOADed; the last one chosen is tried last. The position survives server changes as in ip_vs_rr_del_dest:
 * when the last chosen server is removed, the position moves back to the server before it.
 */
public final class RoundRobinScheduler implements Scheduler {
    /** Index of the last chosen server in {@link #boundTo}, -1 for "the list head". */
    private final AtomicInteger lastChosen;
    private final ServerSet boundTo;

    public RoundRobinScheduler() { this(ServerSet.EMPTY, -1); }

    private RoundRobinScheduler(ServerSet boundTo, int lastChosen) {
        this.boundTo = boundTo;
        this.lastChosen = new AtomicInteger(lastChosen);
    }

    @Override public String name() { return "rr"; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        int n = servers.size();
        while (true) {
            int last = lastChosen.get();
            int start = last + 1 < n ? last + 1 : 0;
            int found = -1;
            for (int j = 0, idx = start; j < n; j++) {
                Destination s = servers.get(idx);
                if (!s.overloaded() && s.weight() > 0) { found = idx; break; }
                if (++idx == n) idx = 0;
            }
            if (found < 0) return null;
            // CAS so that concurrent threads take successive servers, as the kernel's sched_lock ensures.
            if (lastChosen.compareAndSet(last, found)) return servers.get(found);
        }
    }

    @Override
    public Scheduler withServers(ServerSet servers) {
        int last = lastChosen.get();
        int carried = -1;
        for (int i = last; i >= 0 && i < boundTo.size(); i--) {
            int idx = servers.indexOf(boundTo.get(i));
            if (idx >= 0) { carried = idx; break; }
        }
        return new RoundRobinScheduler(servers, carried);
    }
}
