package io.jlvs.forwarder.fastpath;

import io.jlvs.platform.bpf.BpfAttr;
import io.jlvs.platform.bpf.BpfMap;
import io.jlvs.platform.bpf.EbpfLoader;
import io.jlvs.platform.bpf.PossibleCpus;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The fast path's kernel objects: the flow maps (hashes of {@link FastPathEntry} keys and values for IPv4 and of
 * {@link FastPathEntry6} ones for IPv6, an entry per direction the kernel forwards), the per-CPU counters (one packets-and-bytes pair per direction of each connection
 * slot), the egress devmap (ifindex to device), the SYN proxy's ({@link SynProxyMaps}) and the loaded XDP program that reads them. Sized from the connection
 * table's capacity: the counters are allocated whole, the flow map's elements as connections enter it. Element calls reuse native buffers under a lock: no allocation.
 */
public final class FastPathMaps implements AutoCloseable {
    /** The counters of a connection slot's direction: slot * 2 + direction. */
    public static final int INBOUND = 0, OUTBOUND = 1;
    private static final int EGRESS_DEVICES = 64;
    /** A preallocated hash element's overhead beside key and value (struct htab_elem, rounded). */
    private static final int HASH_ELEMENT_OVERHEAD = 64;

    private final BpfMap flows, flows6, counters, egress;
    private final SynProxyMaps synProxy;
    private final int programFd;
    private final int capacity;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment key = arena.allocate(FastPathEntry.KEY_SIZE, 8);
    private final MemorySegment value = arena.allocate(FastPathEntry.VALUE_SIZE, 8);
    private final MemorySegment key6 = arena.allocate(FastPathEntry6.KEY_SIZE, 8);
    private final MemorySegment value6 = arena.allocate(FastPathEntry6.VALUE_SIZE, 8);
    private final MemorySegment slotKey = arena.allocate(JAVA_INT);
    private final MemorySegment perCpu;
    private final MemorySegment zeroes;
    private boolean closed;
    /** bpf(2)'s answer once the maps are closed. */
    private static final int EBADF = 9;

    private FastPathMaps(int capacity, BpfMap flows, BpfMap flows6, BpfMap counters, BpfMap egress,
                         SynProxyMaps synProxy, int programFd) {
        this.capacity = capacity;
        this.synProxy = synProxy;
        this.flows = flows;
        this.flows6 = flows6;
        this.counters = counters;
        this.egress = egress;
        this.programFd = programFd;
        this.perCpu = arena.allocate(counters.userValueSize(), 8);
        this.zeroes = arena.allocate(counters.userValueSize(), 8);
    }

    /**
     * Creates the maps for {@code capacity} connections and loads the program. A refusal (no bpf(2), no memory, the
     * verifier) is an IOException whose message says which step and why; nothing is left behind.
     */
    public static FastPathMaps create(int capacity) throws IOException {
        if (capacity <= 0 || capacity > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("capacity " + capacity);
        BpfMap flows = null, flows6 = null, counters = null, egress = null;
        SynProxyMaps synProxy = null;
        try {
            flows = BpfMap.create(BpfAttr.BPF_MAP_TYPE_HASH, "jlvs_flows", FastPathEntry.KEY_SIZE,
                    FastPathEntry.VALUE_SIZE, 2 * capacity, BpfAttr.BPF_F_NO_PREALLOC);
            flows6 = BpfMap.create(BpfAttr.BPF_MAP_TYPE_HASH, "jlvs_flows6", FastPathEntry6.KEY_SIZE,
                    FastPathEntry6.VALUE_SIZE, 2 * capacity, BpfAttr.BPF_F_NO_PREALLOC);
            counters = BpfMap.create(BpfAttr.BPF_MAP_TYPE_PERCPU_ARRAY, "jlvs_flow_stats", 4,
                    FastPathEntry.COUNTER_SIZE, 2 * capacity);
            egress = BpfMap.create(BpfAttr.BPF_MAP_TYPE_DEVMAP_HASH, "jlvs_egress", 4, 4, EGRESS_DEVICES);
            synProxy = SynProxyMaps.create();
            int programFd = EbpfLoader.load(BpfAttr.BPF_PROG_TYPE_XDP, 0,
                    XdpForwardProgram.assemble(flows.fd(), flows6.fd(), counters.fd(), egress.fd(), synProxy),
                    "jlvs_fast_path");
            return new FastPathMaps(capacity, flows, flows6, counters, egress, synProxy, programFd);
        } catch (IOException | RuntimeException e) {
            if (synProxy != null) synProxy.close();
            if (egress != null) egress.close();
            if (counters != null) counters.close();
            if (flows6 != null) flows6.close();
            if (flows != null) flows.close();
            throw e;
        }
    }

    public int programFd() {
        return programFd;
    }

    public int capacity() {
        return capacity;
    }

    /** The maps through which the program answers SYNs of --synproxy services. */
    public SynProxyMaps synProxy() {
        return synProxy;
    }

    /** Lets the program redirect to {@code ifIndex}. */
    public synchronized void addEgress(int ifIndex) throws IOException {
        if (closed) throw new IOException("the fast path's maps are closed");
        key.set(JAVA_INT, 0, ifIndex);
        value.set(JAVA_INT, 0, ifIndex);
        int result = egress.update(key, value, BpfAttr.BPF_ANY);
        if (result < 0) throw new IOException("cannot add ifindex " + ifIndex + " to the fast path's devmap: errno " + -result);
    }

    /**
     * Writes one direction of a flow from its fields (see {@link FastPathEntry#writeRewrite}) without allocating:
     * 0 or -errno (-E2BIG when the map is full).
     */
    public synchronized int putRewrite(int kind, int protocol, int saddr, int sport, int daddr, int dport,
                                       int newSaddr, int newSport, int newDaddr, int newDport, int maxLength,
                                       long dstMac, long srcMac, int ifIndex, int counter) {
        if (closed) return -EBADF;
        FastPathEntry.writeKey(key, protocol, saddr, sport, daddr, dport);
        FastPathEntry.writeRewrite(value, kind, saddr, sport, daddr, dport, newSaddr, newSport, newDaddr, newDport,
                maxLength, dstMac, srcMac, ifIndex, counter);
        return flows.update(key, value, BpfAttr.BPF_ANY);
    }

    /** Writes a tunnelled flow (see {@link FastPathEntry#writeTunnel}) without allocating: 0 or -errno. */
    public synchronized int putTunnel(int protocol, int saddr, int sport, int daddr, int dport, int outerSource,
                                      int outerDestination, int maxInnerLength, long dstMac, long srcMac, int ifIndex,
                                      int counter) {
        if (closed) return -EBADF;
        FastPathEntry.writeKey(key, protocol, saddr, sport, daddr, dport);
        FastPathEntry.writeTunnel(value, outerSource, outerDestination, maxInnerLength, dstMac, srcMac, ifIndex,
                counter);
        return flows.update(key, value, BpfAttr.BPF_ANY);
    }

    /**
     * Writes one direction of an IPv6 flow from its fields (see {@link FastPathEntry6#writeRewrite}) without
     * allocating: 0 or -errno (-E2BIG when the map is full).
     */
    public synchronized int putRewrite6(int kind, int protocol, long saddrHi, long saddrLo, int sport, long daddrHi,
                                        long daddrLo, int dport, long newSaddrHi, long newSaddrLo, int newSport,
                                        long newDaddrHi, long newDaddrLo, int newDport, int maxLength, long dstMac,
                                        long srcMac, int ifIndex, int counter) {
        if (closed) return -EBADF;
        FastPathEntry6.writeKey(key6, protocol, saddrHi, saddrLo, sport, daddrHi, daddrLo, dport);
        FastPathEntry6.writeRewrite(value6, kind, saddrHi, saddrLo, sport, daddrHi, daddrLo, dport, newSaddrHi,
                newSaddrLo, newSport, newDaddrHi, newDaddrLo, newDport, maxLength, dstMac, srcMac, ifIndex, counter);
        return flows6.update(key6, value6, BpfAttr.BPF_ANY);
    }

    /** Removes one direction of an IPv6 flow by its fields: 0 or -errno (-ENOENT). */
    public synchronized int remove6(int protocol, long saddrHi, long saddrLo, int sport, long daddrHi, long daddrLo,
                                    int dport) {
        if (closed) return -EBADF;
        FastPathEntry6.writeKey(key6, protocol, saddrHi, saddrLo, sport, daddrHi, daddrLo, dport);
        return flows6.delete(key6);
    }

    /** Removes one direction of a flow by its fields: 0 or -errno (-ENOENT). */
    public synchronized int remove(int protocol, int saddr, int sport, int daddr, int dport) {
        if (closed) return -EBADF;
        FastPathEntry.writeKey(key, protocol, saddr, sport, daddr, dport);
        return flows.delete(key);
    }

    /** Zeroes a slot's counters (before a new connection uses it): 0 or -errno. */
    public synchronized int resetCounters(int slot, int direction) {
        if (closed) return -EBADF;
        slotKey.set(JAVA_INT, 0, slot * 2 + direction);
        return counters.update(slotKey, zeroes, BpfAttr.BPF_ANY);
    }

    /**
     * Adds up a slot's per-CPU counters for one direction into {@code into}: [0] packets, [1] bytes. Returns false
     * when they cannot be read.
     */
    public synchronized boolean readCounters(int slot, int direction, long[] into) {
        if (closed) return false;
        slotKey.set(JAVA_INT, 0, slot * 2 + direction);
        if (counters.lookup(slotKey, perCpu) != 0) return false;
        long packets = 0, bytes = 0;
        for (int cpu = 0; cpu < PossibleCpus.count(); cpu++) {
            packets += perCpu.get(JAVA_LONG, (long) cpu * FastPathEntry.COUNTER_SIZE);
            bytes += perCpu.get(JAVA_LONG, (long) cpu * FastPathEntry.COUNTER_SIZE + 8);
        }
        into[0] = packets;
        into[1] = bytes;
        return true;
    }

    /** The entries in the IPv4 flow map now (a walk over its keys: for status and tests, not the packet path). */
    public synchronized int flowEntries() {
        return flows.count();
    }

    /** The entries in the IPv6 flow map now (a walk over its keys: for status and tests, not the packet path). */
    public synchronized int flow6Entries() {
        return flows6.count();
    }

    /** The maps' kernel memory at their maximum: full flow maps and the per-CPU counters. */
    public long memoryBytes() {
        long hash = (long) flows.maxEntries() * (FastPathEntry.KEY_SIZE + FastPathEntry.VALUE_SIZE + HASH_ELEMENT_OVERHEAD)
                + (long) flows6.maxEntries()
                * (FastPathEntry6.KEY_SIZE + FastPathEntry6.VALUE_SIZE + HASH_ELEMENT_OVERHEAD);
        long stats = (long) counters.maxEntries() * FastPathEntry.COUNTER_SIZE * PossibleCpus.count();
        return hash + stats;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        EbpfLoader.close(programFd);
        synProxy.close();
        egress.close();
        counters.close();
        flows6.close();
        flows.close();
        arena.close();
    }
}
