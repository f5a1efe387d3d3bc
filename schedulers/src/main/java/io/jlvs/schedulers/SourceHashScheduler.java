package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * sh (ip_vs_sh.c): a 256-bucket table in which each server, in list order, takes as many consecutive buckets as
 * its weight (at least one), wrapping until the table is full. The bucket is hash_32(port + source address, 8)
 * where the port is the source port with sh-port (TCP, UDP, SCTP) and 0 otherwise. Without sh-fallback an
 * unavailable bucket server (weight 0 or OVERLOAD) means no server; with it, the kernel's probe sequence is
 * followed (offset + 2*bucket, which is what ip_vs_sh_get_fallback computes).
 */
public final class SourceHashScheduler implements Scheduler {
    static final int TABLE_BITS = 8;
    static final int TABLE_SIZE = 1 << TABLE_BITS;
    private static final int MASK = TABLE_SIZE - 1;

    private final Destination[] buckets;
    private final boolean fallback;
    private final boolean hashPort;

    public SourceHashScheduler(int flagBits) {
        this(new Destination[TABLE_SIZE], flagBits);
    }

    private SourceHashScheduler(Destination[] buckets, int flagBits) {
        this.buckets = buckets;
        this.fallback = (flagBits & SchedulerFlags.FLAG_1) != 0;
        this.hashPort = (flagBits & SchedulerFlags.FLAG_2) != 0;
    }

    @Override public String name() { return "sh"; }

    @Override
    public String flagsText() {
        return SchedulerFlags.text("sh", (fallback ? SchedulerFlags.FLAG_1 : 0) | (hashPort ? SchedulerFlags.FLAG_2 : 0));
    }

    @Override
    public Scheduler withServers(ServerSet servers) {
        Destination[] table = new Destination[TABLE_SIZE];
        int n = servers.size();
        if (n > 0) {
            int p = 0, taken = 0;
            for (int i = 0; i < TABLE_SIZE; i++) {
                Destination s = servers.get(p);
                table[i] = s;
                if (++taken >= s.weight()) { p = (p + 1) % n; taken = 0; }
            }
        }
        int bits = (fallback ? SchedulerFlags.FLAG_1 : 0) | (hashPort ? SchedulerFlags.FLAG_2 : 0);
        return new SourceHashScheduler(table, bits);
    }

    static int hashKey(int addrFold, int port, int offset) {
        return (offset + KernelHashes.hash32(port + addrFold, TABLE_BITS)) & MASK;
    }

    public Destination bucketServer(int bucket) { return buckets[bucket]; }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        int port = hashPort && ServerAddresses.hasPorts(flow.protocol) ? flow.srcPort : 0;
        int fold = ServerAddresses.fold(flow.srcHi, flow.srcLo);
        int home = hashKey(fold, port, 0);
        Destination s = buckets[home];
        if (s == null) return null;
        if (!unavailable(s)) return s;
        if (!fallback) return null;
        for (int offset = 0; offset < TABLE_SIZE; offset++) {
            int roffset = (offset + home) % TABLE_SIZE;
            s = buckets[hashKey(fold, port, roffset)];
            if (s == null) return null;
            if (!unavailable(s)) return s;
        }
        return null;
    }

    private static boolean unavailable(Destination s) { return s.weight() <= 0 || s.overloaded(); }
}
