package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * dh (ip_vs_dh.c): a 256-bucket table filled with the servers in list order, round robin, whatever their weight;
 * the bucket is (destination address * 2654435761) & 255, the address folded to 32 bits for IPv6. The server of
 * the bucket is used only when available, weight above 0 and not OVERLOADed; there is no fallback.
 */
public final class DestinationHashScheduler implements Scheduler {
    static final int TABLE_SIZE = 256;
    private static final int MASK = TABLE_SIZE - 1;

    private final Destination[] buckets;

    public DestinationHashScheduler() { this(new Destination[TABLE_SIZE]); }

    private DestinationHashScheduler(Destination[] buckets) { this.buckets = buckets; }

    @Override public String name() { return "dh"; }

    @Override
    public Scheduler withServers(ServerSet servers) {
        Destination[] table = new Destination[TABLE_SIZE];
        int n = servers.size();
        if (n > 0) for (int i = 0; i < TABLE_SIZE; i++) table[i] = servers.get(i % n);
        return new DestinationHashScheduler(table);
    }

    static int bucket(long hi, long lo) {
        return (int) ((ServerAddresses.fold(hi, lo) & 0xFFFF_FFFFL) * KernelHashes.DH_MULTIPLIER) & MASK;
    }

    /** The server in a bucket (for listings and tests). */
    public Destination bucketServer(int bucket) { return buckets[bucket]; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        Destination s = buckets[bucket(flow.dstHi, flow.dstLo)];
        if (s == null || !s.available() || s.weight() <= 0 || s.overloaded()) return null;
        return s;
    }
}
