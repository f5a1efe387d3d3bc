package io.jlvs.forwarder.dataplane;

import java.util.concurrent.atomic.LongAdder;

/**
 * Connections, packets and bytes in each direction, as ipvsadm --stats shows them, for one service or one real
 * server. Written by every worker (LongAdder: no lock, no allocation once its cells exist), read by listings and
 * the rate estimator.
 */
public final class TrafficCounters {
    private final LongAdder conns = new LongAdder();
    private final LongAdder inPackets = new LongAdder();
    private final LongAdder outPackets = new LongAdder();
    private final LongAdder inBytes = new LongAdder();
    private final LongAdder outBytes = new LongAdder();

    public void connection() { conns.increment(); }

    public void inbound(int bytes) { inPackets.increment(); inBytes.add(bytes); }

    public void outbound(int bytes) { outPackets.increment(); outBytes.add(bytes); }

    public long conns() { return conns.sum(); }
    public long inPackets() { return inPackets.sum(); }
    public long outPackets() { return outPackets.sum(); }
    public long inBytes() { return inBytes.sum(); }
    public long outBytes() { return outBytes.sum(); }

    public void zero() {
        conns.reset(); inPackets.reset(); outPackets.reset(); inBytes.reset(); outBytes.reset();
    }
}
