package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.Arrays;

/**
 * mh (ip_vs_mh.c): Maglev consistent hashing. Each server gets a permutation of the M slots from two keyed hashes
 * of its address and port (offset, skip); servers take turns claiming their next free slot, each claiming
 * weight/gcd slots per turn (shifted right so the largest takes at most 2^(log2(M)/2)), until the table is full.
 * A flow's slot is hsiphash(port + source address) mod M; mh-port adds the source port, mh-fallback walks the
 * kernel's probe sequence when the slot's server has weight 0 or is OVERLOADed.
 *
 * <p>Two deliberate differences from the kernel, both for multi-director consistency: servers are ordered by
 * (address, port) before the table is filled, so the same set gives the same table whatever order it was built in,
 * and the table size defaults to 65537 (the paper's) instead of 4093. A quiescent server keeps its slots (the
 * kernel's last_weight), so draining one moves no other flow.
 */
public final class MaglevScheduler implements Scheduler {
    public static final int DEFAULT_TABLE_SIZE = 65537;
    private static final long HASH1_KEY = 2654435761L;
    private static final long HASH2_KEY = 2654435801L;

    private final int tableSize;
    private final boolean fallback;
    private final boolean hashPort;
    private final Destination[] lookup;

    public MaglevScheduler(int flagBits, int tableSize) {
        this(flagBits, tableSize, new Destination[tableSize]);
    }

    private MaglevScheduler(int flagBits, int tableSize, Destination[] lookup) {
        if (tableSize < 7 || tableSize > (1 << 24) || !isPrime(tableSize)) {
            throw new IllegalArgumentException("mh table size must be a prime between 7 and 2^24: " + tableSize);
        }
        this.tableSize = tableSize;
        this.fallback = (flagBits & SchedulerFlags.FLAG_1) != 0;
        this.hashPort = (flagBits & SchedulerFlags.FLAG_2) != 0;
        this.lookup = lookup;
    }

    @Override public String name() { return "mh"; }

    public int tableSize() { return tableSize; }

    @Override
    public String flagsText() { return SchedulerFlags.text("mh", flagBits()); }

    private int flagBits() {
        return (fallback ? SchedulerFlags.FLAG_1 : 0) | (hashPort ? SchedulerFlags.FLAG_2 : 0);
    }

    /** The server in slot i (for tests and listings). */
    public Destination slot(int i) { return lookup[i]; }

    @Override
    public Scheduler withServers(ServerSet servers) {
        return new MaglevScheduler(flagBits(), tableSize, populate(servers));
    }

    private Destination[] populate(ServerSet servers) {
        Destination[] table = new Destination[tableSize];
        Destination[] ordered = servers.asList().toArray(new Destination[0]);
        Arrays.sort(ordered, ServerAddresses::compare);
        int n = ordered.length;
        int[] lastWeight = new int[n];
        int gcd = 0, maxWeight = 0;
        for (int i = 0; i < n; i++) {
            int w = ordered[i].lastWeight();
            lastWeight[i] = w;
            if (w > 0) gcd = gcd > 0 ? gcd(gcd, w) : w;
            maxWeight = Math.max(maxWeight, w);
        }
        if (gcd < 1) return table;
        int shift = Math.max(0, fls(maxWeight / gcd) - tableBits());

        int[] perm = new int[n], skip = new int[n], turns = new int[n];
        for (int i = 0; i < n; i++) {
            Destination s = ordered[i];
            int key = s.port() + ServerAddresses.fold(s.addrHi(), s.addrLo());
            perm[i] = Integer.remainderUnsigned(KernelHashes.hsiphash32(key, HASH1_KEY, HASH1_KEY), tableSize);
            skip[i] = Integer.remainderUnsigned(KernelHashes.hsiphash32(key, HASH2_KEY, HASH2_KEY), tableSize - 1) + 1;
            int t = (lastWeight[i] / gcd) >> shift;
            turns[i] = t != 0 ? t : (lastWeight[i] != 0 ? 1 : 0);
        }
        boolean[] taken = new boolean[tableSize];
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < turns[i]; t++) {
                    int c = perm[i];
                    while (taken[c]) {
                        c += skip[i];
                        if (c >= tableSize) c -= tableSize;
                    }
                    perm[i] = c;
                    taken[c] = true;
                    table[c] = ordered[i];
                    if (++filled == tableSize) return table;
                }
            }
        }
    }

    /** The kernel's IP_VS_MH_TAB_BITS: half the table's size exponent (6 for 4093, 8 for 65537). */
    private int tableBits() {
        return (int) Math.round(Math.log(tableSize) / Math.log(2)) / 2;
    }

    private int slotOf(int fold, int port, int offset) {
        return Integer.remainderUnsigned(KernelHashes.hsiphash32(offset + port + fold, HASH1_KEY, HASH1_KEY), tableSize);
    }

    @Override
    public Destination schedule(ServerSet servers, FlowDescription flow) {
        int port = hashPort && ServerAddresses.hasPorts(flow.protocol) ? flow.srcPort : 0;
        int fold = ServerAddresses.fold(flow.srcHi, flow.srcLo);
        int home = slotOf(fold, port, 0);
        Destination s = lookup[home];
        if (s == null) return null;
        if (!unavailable(s)) return s;
        if (!fallback) return null;
        for (int offset = 0; offset < tableSize; offset++) {
            int roffset = (int) ((offset + (long) home) % tableSize);
            s = lookup[slotOf(fold, port, roffset)];
            if (s == null) return null;
            if (!unavailable(s)) return s;
        }
        return null;
    }

    private static boolean unavailable(Destination s) { return s.weight() <= 0 || s.overloaded(); }

    private static int fls(int x) { return 32 - Integer.numberOfLeadingZeros(x); }

    private static int gcd(int a, int b) {
        while (b != 0) { int t = a % b; a = b; b = t; }
        return a;
    }

    static boolean isPrime(int n) {
        if (n < 2) return false;
        if (n % 2 == 0) return n == 2;
        for (int d = 3; (long) d * d <= n; d += 2) if (n % d == 0) return false;
        return true;
    }
}
