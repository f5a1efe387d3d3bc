package io.jlvs.forwarder;

/**
 * Rates for ipvsadm --rate, estimated as the kernel's ip_vs_est does: a sample every 2 seconds, smoothed with an
 * exponentially weighted average (weight 1/4), computed by the housekeeping thread, never on the packet path.
 *
 * <p>Each counters object carries its own estimate, so the estimate goes with the service or server it counts. The
 * estimator publishes each new value as one immutable {@link Rates}: readers (listings, status, metrics, one per
 * server) take it without a lock and never see half of an update.
 */
final class RateEstimator {
    record Rates(long cps, long inPps, long outPps, long inBps, long outBps) {
        static final Rates ZERO = new Rates(0, 0, 0, 0, 0);
    }

    /** The estimator's state for one counters object: what it saw last, the averages, and the published rates. */
    static final class State {
        private long lastNanos, conns, inPkts, outPkts, inBytes, outBytes;
        private double cps, inPps, outPps, inBps, outBps;
        private boolean primed;
        private volatile Rates published = Rates.ZERO;
    }

    synchronized void sample(TrafficCounters c, long nowNanos) {
        State s = c.estimate;
        if (s == null) {
            s = new State();
            c.estimate = s;
        }
        long conns = c.conns(), inP = c.inPackets(), outP = c.outPackets(), inB = c.inBytes(), outB = c.outBytes();
        if (s.primed) {
            double secs = Math.max(1e-3, (nowNanos - s.lastNanos) / 1e9);
            s.cps = smooth(s.cps, (conns - s.conns) / secs);
            s.inPps = smooth(s.inPps, (inP - s.inPkts) / secs);
            s.outPps = smooth(s.outPps, (outP - s.outPkts) / secs);
            s.inBps = smooth(s.inBps, (inB - s.inBytes) / secs);
            s.outBps = smooth(s.outBps, (outB - s.outBytes) / secs);
            s.published = new Rates(Math.round(s.cps), Math.round(s.inPps), Math.round(s.outPps),
                    Math.round(s.inBps), Math.round(s.outBps));
        }
        s.primed = true;
        s.lastNanos = nowNanos;
        s.conns = conns; s.inPkts = inP; s.outPkts = outP; s.inBytes = inB; s.outBytes = outB;
    }

    private static double smooth(double avg, double rate) {
        return avg + (Math.max(0, rate) - avg) / 4;
    }

    /** The last rates published for c (zero before its second sample); lock-free. */
    Rates rates(TrafficCounters c) {
        State s = c.estimate;
        return s == null ? Rates.ZERO : s.published;
    }

    /** Forgets c's estimate: the next sample starts afresh. */
    synchronized void reset(TrafficCounters c) { c.estimate = null; }
}
