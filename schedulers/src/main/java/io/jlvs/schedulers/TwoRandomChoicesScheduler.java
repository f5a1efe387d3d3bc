package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.concurrent.ThreadLocalRandom;

/**
 * twos (ip_vs_twos.c): two weighted random picks among servers with weight above 0 and not OVERLOADed; keep the
 * one with the lower overhead/weight (the first pick on a tie).
 */
public final class TwoRandomChoicesScheduler implements Scheduler {
    @Override public String name() { return "twos"; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        int n = servers.size();
        long totalWeight = 0;
        Destination any = null;
        for (int i = 0; i < n; i++) {
            Destination s = servers.get(i);
            int w = s.weight();
            if (!s.overloaded() && w > 0) { totalWeight += w; any = s; }
        }
        if (any == null) return null;
        // As the kernel: random values in [0, total] inclusive; a value of 0 lands on the first eligible server.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long r1 = random.nextLong(totalWeight + 1);
        long r2 = random.nextLong(totalWeight + 1);
        Destination choice1 = any, choice2 = null;
        long weight1 = -1, weight2 = -1, overhead1 = 0, overhead2 = 0;
        for (int i = 0; i < n; i++) {
            Destination s = servers.get(i);
            int w = s.weight();
            if (s.overloaded() || w <= 0) continue;
            r1 -= w;
            r2 -= w;
            if (r1 <= 0 && weight1 == -1) { choice1 = s; weight1 = w; overhead1 = s.overhead(); }
            if (r2 <= 0 && weight2 == -1) { choice2 = s; weight2 = w; overhead2 = s.overhead(); }
            if (weight1 != -1 && weight2 != -1) break;
        }
        if (choice2 != null && weight2 * overhead1 > weight1 * overhead2) return choice2;
        return choice1;
    }
}
