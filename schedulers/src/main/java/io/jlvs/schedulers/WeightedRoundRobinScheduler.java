package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.concurrent.atomic.AtomicLong;

/**
 * wrr (ip_vs_wrr.c): passes over the list with a current weight cw that starts at the maximum weight and drops by
 * the gcd of the weights after each pass; a pass picks every server whose weight is at least cw. Weights 4, 3, 2
 * give A A B A B C A B C. The maximum, the gcd and the weights come from the last server change (the kernel's
 * dest_changed); OVERLOAD is read live. The position (cl, cw) is one atomic word, updated by CAS in place of the
 * kernel's spin lock.
 */
public final class WeightedRoundRobinScheduler implements Scheduler {
    private final int[] weights;
    private final int maxWeight;   // the kernel's mw: max weight - (gcd - 1)
    private final int gcd;         // the kernel's di
    /** High 32 bits: index of the last chosen server (-1 = list head); low 32 bits: current weight cw. */
    private final AtomicLong position;

    public WeightedRoundRobinScheduler() {
        this.weights = new int[0];
        this.maxWeight = 0;
        this.gcd = 1;
        this.position = new AtomicLong(pack(-1, 0));
    }

    private WeightedRoundRobinScheduler(int[] weights, int maxWeight, int gcd, int cw) {
        this.weights = weights;
        this.maxWeight = maxWeight;
        this.gcd = gcd;
        this.position = new AtomicLong(pack(-1, cw));
    }

    @Override public String name() { return "wrr"; }

    @Override
    public Scheduler withServers(ServerSet servers) {
        int n = servers.size();
        int[] w = new int[n];
        int g = 0, max = 0;
        for (int i = 0; i < n; i++) {
            w[i] = servers.get(i).weight();
            if (w[i] > 0) g = g > 0 ? gcd(w[i], g) : w[i];
            max = Math.max(max, w[i]);
        }
        int di = g > 0 ? g : 1;
        int mw = max - (di - 1);
        int cw = (int) position.get();
        if (cw > mw || cw == 0) cw = mw;
        else if (di > 1) cw = (cw / di) * di + 1;
        return new WeightedRoundRobinScheduler(w, mw, di, cw);
    }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        int n = Math.min(servers.size(), weights.length);
        while (true) {
            long before = position.get();
            int cl = (int) (before >> 32);
            int cw = (int) before;
            if (maxWeight == 0) return null;
            int last = cl, stop = -2, dest = cl;
            boolean lastPass = false, restarted = false;
            int found = -1;
            search:
            while (true) {
                for (int p = dest + 1; p < n; p++) {
                    if (weights[p] >= cw && !servers.get(p).overloaded()) { found = p; break search; }
                    if (p == stop) break search;
                }
                dest = -1;
                cw -= gcd;
                if (cw <= 0) {
                    cw = maxWeight;
                    if (lastPass || last == -1) break;
                    restarted = true;
                }
                lastPass = cw <= gcd;
                if (lastPass && restarted && last != -1) stop = last;
            }
            long after = pack(found >= 0 ? found : cl, cw);
            if (position.compareAndSet(before, after)) return found >= 0 ? servers.get(found) : null;
        }
    }

    private static long pack(int cl, int cw) { return ((long) cl << 32) | (cw & 0xFFFF_FFFFL); }

    private static int gcd(int a, int b) {
        while (b != 0) { int t = a % b; a = b; b = t; }
        return a;
    }
}
