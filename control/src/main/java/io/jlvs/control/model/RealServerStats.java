package io.jlvs.control.model;

/** Counters, rates and connection counts of one real server of one service. */
public record RealServerStats(long conns, long inPackets, long outPackets, long inBytes, long outBytes,
                              long cps, long inPps, long outPps, long inBps, long outBps,
                              int activeConns, int inactiveConns, int persistentConns) {
    public static final RealServerStats ZERO = new RealServerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
