package io.jlvs.forwarder;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Rates for ipvsadm --rate, estimated as the kernel's ip_vs_est does: a sample every 2 seconds, smoothed with an
 * exponentially weighted average (weight 1/4), computed by the housekeeping thread, never on the packet path.
 */
final class RateEstimator {
    record Rates(long cps, long inPps, long outPps, long inBps, long outBps) {
        static final Rates ZERO = new Rates(0, 0, 0, 0, 0);
    }

    private static final class State {
        long lastNanos, conns, inPkts, outPkts, inBytes, outBytes;
        double cps, inPps, outPps, inBps, outBps;
        boolean primed;
    }

    private final Map<TrafficCounters, State> states = new WeakHashMap<>();

    synchronized void sample(TrafficCounters c, long nowNanos) {
        State s = states.computeIfAbsent(c, k -> new State());
        long conns = c.conns(), inP = c.inPackets(), outP = c.outPackets(), inB = c.inBytes(), outB = c.outBytes();
        if (s.primed) {
            double secs = Math.max(1e-3, (nowNanos - s.lastNanos) / 1e9);
            s.cps = smooth(s.cps, (conns - s.conns) / secs);
            s.inPps = smooth(s.inPps, (inP - s.inPkts) / secs);
            s.outPps = smooth(s.outPps, (outP - s.outPkts) / secs);
            s.inBps = smooth(s.inBps, (inB - s.inBytes) / secs);
            s.outBps = smooth(s.outBps, (outB - s.outBytes) / secs);
        }
        s.primed = true;
        s.lastNanos = nowNanos;
        s.conns = conns; s.inPkts = inP; s.outPkts = outP; s.inBytes = inB; s.outBytes = outB;
    }

    private static double smooth(double avg, double rate) {
        return avg + (Math.max(0, rate) - avg) / 4;
    }

    synchronized Rates rates(TrafficCounters c) {
        State s = states.get(c);
        if (s == null) return Rates.ZERO;
        return new Rates(Math.round(s.cps), Math.round(s.inPps), Math.round(s.outPps), Math.round(s.inBps), Math.round(s.outBps));
    }

    synchronized void reset(TrafficCounters c) { states.remove(c); }
}
