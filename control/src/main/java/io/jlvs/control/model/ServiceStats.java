package io.jlvs.control.model;

/** Counters and rates of a virtual service, as ipvsadm --stats and --rate show them. */
public record ServiceStats(long conns, long inPackets, long outPackets, long inBytes, long outBytes,
                           long cps, long inPps, long outPps, long inBps, long outBps) {
    public static final ServiceStats ZERO = new ServiceStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
