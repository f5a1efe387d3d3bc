package io.jlvs.forwarder.fastpath;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which connections the XDP program forwards, kept in step with the flow maps: the Java data plane mirrors a
 * connection once it is established (both directions for NAT and NAT66, the client's for DR, IPv6 DR and TUN; IPv6
 * ones in the IPv6 map) and takes it back when its
 * state changes, it leaves the table, its server goes, its next hops or its egress MTUs change; the housekeeping folds the kernel's per-CPU counters of
 * each mirrored connection into the Java side's counters ({@link #sweep}).
 *
 * <p>A mirrored connection is a record (dense arrays, grown as needed: no allocation per packet) found by its table
 * slot. Thread-safe: workers mirror and take back, the housekeeping sweeps; every change holds the monitor.
 */
public final class FlowMirror {
    /** What the sweep asks and tells of one mirrored connection. */
    public interface SweepVisitor {
        /**
         * Whether the connection {@code handle} stays in the fast path (false: it left the table, its server went,
         * its next hops are no longer {@code toReal} and {@code toClient}, as {@link #hop} stamps them, or the
         * longest packets its entries let through each way, {@code toRealMtu} and {@code toClientMtu}, are no longer
         * what the Java path takes; 0 for a direction the kernel does not forward).
         */
        boolean wanted(long handle, int destId, long toReal, long toClient, int toRealMtu, int toClientMtu);

        /**
         * The kernel forwarded packets and bytes of the connection {@code handle} (of real server {@code destId})
         * since they were last folded: fold them in.
         */
        void visit(long handle, int destId, long inPackets, long inBytes, long outPackets, long outBytes);
    }

    private static final int NONE = -1;
    /** Connections swept under one hold of the lock. */
    private static final int SWEEP_CHUNK = 256;

    private final FastPathMaps maps;
    private final SweepVisitor visitor;
    /** Per table slot: its record, or NONE. */
    private final int[] recordOfSlot;
    /** Per table slot: the connection mirrored there, or NONE; read without the lock by {@link #maybeMirrored}. */
    private final AtomicLongArray mirroredHandle;
    private int records, ipv6Records;
    /** Per record: the next hops it was mirrored with, as {@link #hop} stamps them (toward the client: NAT only). */
    private long[] hopToReal = new long[64], hopToClient = new long[64];
    /** Per record: the longest IP packet its entries let through each way (TUN: the inner packet; 0: no entry). */
    private int[] mtuToReal = new int[64], mtuToClient = new int[64];
    private long[] handle = new long[64];
    private int[] destId = new int[64], kind = new int[64], protocol = new int[64], clientPort = new int[64],
            vipPort = new int[64], realPort = new int[64];
    /** Per record: the addresses as two halves (IPv4: the address in the low half); whether the flow is IPv6. */
    private long[] clientHi = new long[64], clientLo = new long[64], vipHi = new long[64], vipLo = new long[64],
            realHi = new long[64], realLo = new long[64];
    private boolean[] ipv6 = new boolean[64];
    /** The counters as last folded: in packets, in bytes, out packets, out bytes per record. */
    private long[] folded = new long[64 * 4];
    private final long[] read = new long[2];
    /** The connection being mirrored (under the monitor). */
    private final Flow flow = new Flow();
    private final boolean[] egressKnown = new boolean[1 << 16];
    private long mirrorFailures;

    /** @param visitor where the kernel's counts go: every sweep, and when a connection is taken back */
    public FlowMirror(FastPathMaps maps, SweepVisitor visitor) {
        this.maps = maps;
        this.visitor = visitor;
        this.recordOfSlot = new int[maps.capacity()];
        Arrays.fill(recordOfSlot, NONE);
        this.mirroredHandle = new AtomicLongArray(maps.capacity());
        for (int slot = 0; slot < maps.capacity(); slot++) mirroredHandle.setPlain(slot, NONE);
    }

    public FastPathMaps maps() {
        return maps;
    }

    /**
     * Whether {@code connection} is mirrored, without the lock, for the packet path (may be stale by a moment: the
     * locked methods decide).
     */
    public boolean maybeMirrored(long connection) {
        int slot = (int) connection;
        return slot >= 0 && slot < recordOfSlot.length && mirroredHandle.get(slot) == connection;
    }

    /**
     * Mirrors a NAT connection: client→VIP packets become client→real, real→client ones VIP→client. The hops give
     * the MACs, the egress device and its MTU (longer packets go to Java) each way. Returns false (counted) when the
     * map refused.
     */
    public synchronized boolean mirrorNat(long connection, int dest, int proto, int clientAddr, int clientPortNumber,
                                          int vipAddr, int vipPortNumber, int realAddr, int realPortNumber,
                                          long toRealDstMac, long toRealSrcMac, int toRealIfIndex, int toRealMtu,
                                          long toClientDstMac, long toClientSrcMac, int toClientIfIndex,
                                          int toClientMtu) {
        flow.of(FastPathEntry.KIND_NAT, false, proto, 0, clientAddr, clientPortNumber, 0, vipAddr, vipPortNumber, 0,
                realAddr, realPortNumber);
        flow.toReal(toRealDstMac, toRealSrcMac, toRealIfIndex, toRealMtu);
        flow.toClient(toClientDstMac, toClientSrcMac, toClientIfIndex, toClientMtu);
        return mirror(connection, dest, PUT_NAT);
    }

    /**
     * Mirrors a direct-routing connection: client→VIP packets of at most {@code mtu} bytes go to the real server's
     * MAC, TTL less one.
     */
    public synchronized boolean mirrorDirect(long connection, int dest, int proto, int clientAddr, int clientPortNumber,
                                             int vipAddr, int vipPortNumber, long dstMac, long srcMac, int ifIndex,
                                             int mtu) {
        flow.of(FastPathEntry.KIND_DR, false, proto, 0, clientAddr, clientPortNumber, 0, vipAddr, vipPortNumber, 0, 0,
                0);
        flow.toReal(dstMac, srcMac, ifIndex, mtu);
        return mirror(connection, dest, PUT_DIRECT);
    }

    /**
     * Mirrors a tunnelled connection: client→VIP packets of at most {@code maxInnerLength} bytes get an outer IPv4
     * header from {@code outerSource} to the real server and go to its next hop.
     */
    public synchronized boolean mirrorTunnel(long connection, int dest, int proto, int clientAddr,
                                             int clientPortNumber, int vipAddr, int vipPortNumber, int outerSource,
                                             int realAddr, int maxInnerLength, long dstMac, long srcMac, int ifIndex) {
        flow.of(FastPathEntry.KIND_TUN, false, proto, 0, clientAddr, clientPortNumber, 0, vipAddr, vipPortNumber, 0,
                realAddr, 0);
        flow.toReal(dstMac, srcMac, ifIndex, maxInnerLength);
        flow.outerSource = outerSource;
        return mirror(connection, dest, PUT_TUNNEL);
    }

    /**
     * Mirrors a NAT66 connection into the IPv6 map: client→VIP packets become client→real, real→client ones
     * VIP→client. The hops give the MACs, the egress device and its MTU (longer packets go to Java) each way.
     * Returns false (counted) when the map refused.
     */
    public synchronized boolean mirrorNat6(long connection, int dest, int proto, long clientAddrHi, long clientAddrLo,
                                           int clientPortNumber, long vipAddrHi, long vipAddrLo, int vipPortNumber,
                                           long realAddrHi, long realAddrLo, int realPortNumber,
                                           long toRealDstMac, long toRealSrcMac, int toRealIfIndex, int toRealMtu,
                                           long toClientDstMac, long toClientSrcMac, int toClientIfIndex,
                                           int toClientMtu) {
        flow.of(FastPathEntry.KIND_NAT, true, proto, clientAddrHi, clientAddrLo, clientPortNumber, vipAddrHi,
                vipAddrLo, vipPortNumber, realAddrHi, realAddrLo, realPortNumber);
        flow.toReal(toRealDstMac, toRealSrcMac, toRealIfIndex, toRealMtu);
        flow.toClient(toClientDstMac, toClientSrcMac, toClientIfIndex, toClientMtu);
        return mirror(connection, dest, PUT_NAT6);
    }

    /**
     * Mirrors an IPv6 direct-routing connection into the IPv6 map: client→VIP packets of at most {@code mtu} bytes
     * go to the real server's MAC, hop limit less one.
     */
    public synchronized boolean mirrorDirect6(long connection, int dest, int proto, long clientAddrHi,
                                              long clientAddrLo, int clientPortNumber, long vipAddrHi, long vipAddrLo,
                                              int vipPortNumber, long dstMac, long srcMac, int ifIndex, int mtu) {
        flow.of(FastPathEntry.KIND_DR, true, proto, clientAddrHi, clientAddrLo, clientPortNumber, vipAddrHi, vipAddrLo,
                vipPortNumber, 0, 0, 0);
        flow.toReal(dstMac, srcMac, ifIndex, mtu);
        return mirror(connection, dest, PUT_DIRECT6);
    }

    /**
     * Mirrors the connection {@link #flow} describes: nothing when its slot holds it already; its egress devices in
     * the devmap, its counters zeroed, its entries written by {@code write}, then recorded. Returns false (counted)
     * when the kernel's maps refused.
     */
    private boolean mirror(long connection, int dest, MapWrite write) {
        int slot = (int) connection;
        if (alreadyMirrored(slot, connection)) return true;
        boolean nat = flow.kind == FastPathEntry.KIND_NAT;
        if (!egress(flow.toRealIfIndex) || nat && !egress(flow.toClientIfIndex) || !zeroCounters(slot)) return false;
        if (write.put(maps, flow, slot) != 0) {
            mirrorFailures++;
            return false;
        }
        record(slot, connection, dest);
        return true;
    }

    /**
     * A connection's entries written into the flow maps: 0, or the -errno of the write the map refused (what was
     * written before it removed again).
     */
    @FunctionalInterface
    private interface MapWrite {
        int put(FastPathMaps maps, Flow flow, int slot);
    }

    /** The map writes of each kind: method references that capture nothing, made once. */
    private static final MapWrite PUT_NAT = FlowMirror::putNat, PUT_DIRECT = FlowMirror::putDirect,
            PUT_TUNNEL = FlowMirror::putTunnel, PUT_NAT6 = FlowMirror::putNat6, PUT_DIRECT6 = FlowMirror::putDirect6;

    /** NAT: client→VIP becomes client→real, real→client becomes VIP→client. */
    private static int putNat(FastPathMaps maps, Flow f, int slot) {
        int client = (int) f.clientLo, vip = (int) f.vipLo, real = (int) f.realLo;
        int in = maps.putRewrite(FastPathEntry.KIND_NAT, f.proto, client, f.clientPort, vip, f.vipPort, client,
                f.clientPort, real, f.realPort, f.toRealMtu, f.toRealDstMac, f.toRealSrcMac, f.toRealIfIndex,
                slot * 2 + FastPathMaps.INBOUND);
        if (in != 0) return in;
        int out = maps.putRewrite(FastPathEntry.KIND_NAT, f.proto, real, f.realPort, client, f.clientPort, vip,
                f.vipPort, client, f.clientPort, f.toClientMtu, f.toClientDstMac, f.toClientSrcMac,
                f.toClientIfIndex, slot * 2 + FastPathMaps.OUTBOUND);
        if (out != 0) maps.remove(f.proto, client, f.clientPort, vip, f.vipPort);
        return out;
    }

    /** DR: client→VIP keeps its addresses. */
    private static int putDirect(FastPathMaps maps, Flow f, int slot) {
        int client = (int) f.clientLo, vip = (int) f.vipLo;
        return maps.putRewrite(FastPathEntry.KIND_DR, f.proto, client, f.clientPort, vip, f.vipPort, client,
                f.clientPort, vip, f.vipPort, f.toRealMtu, f.toRealDstMac, f.toRealSrcMac, f.toRealIfIndex,
                slot * 2 + FastPathMaps.INBOUND);
    }

    /** TUN: client→VIP goes into an outer header to the real server. */
    private static int putTunnel(FastPathMaps maps, Flow f, int slot) {
        return maps.putTunnel(f.proto, (int) f.clientLo, f.clientPort, (int) f.vipLo, f.vipPort, f.outerSource,
                (int) f.realLo, f.toRealMtu, f.toRealDstMac, f.toRealSrcMac, f.toRealIfIndex,
                slot * 2 + FastPathMaps.INBOUND);
    }

    /** NAT66: as NAT, in the IPv6 map. */
    private static int putNat6(FastPathMaps maps, Flow f, int slot) {
        int in = maps.putRewrite6(FastPathEntry.KIND_NAT, f.proto, f.clientHi, f.clientLo, f.clientPort, f.vipHi,
                f.vipLo, f.vipPort, f.clientHi, f.clientLo, f.clientPort, f.realHi, f.realLo, f.realPort,
                f.toRealMtu, f.toRealDstMac, f.toRealSrcMac, f.toRealIfIndex, slot * 2 + FastPathMaps.INBOUND);
        if (in != 0) return in;
        int out = maps.putRewrite6(FastPathEntry.KIND_NAT, f.proto, f.realHi, f.realLo, f.realPort, f.clientHi,
                f.clientLo, f.clientPort, f.vipHi, f.vipLo, f.vipPort, f.clientHi, f.clientLo, f.clientPort,
                f.toClientMtu, f.toClientDstMac, f.toClientSrcMac, f.toClientIfIndex, slot * 2 + FastPathMaps.OUTBOUND);
        if (out != 0) maps.remove6(f.proto, f.clientHi, f.clientLo, f.clientPort, f.vipHi, f.vipLo, f.vipPort);
        return out;
    }

    /** IPv6 DR: as DR, in the IPv6 map. */
    private static int putDirect6(FastPathMaps maps, Flow f, int slot) {
        return maps.putRewrite6(FastPathEntry.KIND_DR, f.proto, f.clientHi, f.clientLo, f.clientPort, f.vipHi,
                f.vipLo, f.vipPort, f.clientHi, f.clientLo, f.clientPort, f.vipHi, f.vipLo, f.vipPort, f.toRealMtu,
                f.toRealDstMac, f.toRealSrcMac, f.toRealIfIndex, slot * 2 + FastPathMaps.INBOUND);
    }

    /**
     * The connection a mirror method is mirroring, as its arguments give it: one object, filled anew under the
     * monitor by each call (a connection whose map write fails is tried again by its next packet: no allocation).
     * IPv4 addresses are in the low halves.
     */
    private static final class Flow {
        int kind, proto, clientPort, vipPort, realPort;
        boolean ipv6;
        long clientHi, clientLo, vipHi, vipLo, realHi, realLo;
        /** The next hop toward the real server: MACs, egress device, longest packet (TUN: inner packet). */
        long toRealDstMac, toRealSrcMac;
        int toRealIfIndex, toRealMtu;
        /** NAT: the next hop toward the client; 0 otherwise. */
        long toClientDstMac, toClientSrcMac;
        int toClientIfIndex, toClientMtu;
        /** TUN: the outer header's source. */
        int outerSource;

        /** Sets the connection's fields; its hops and outer source become 0 until set. */
        void of(int k, boolean family6, int protocol, long clientAddrHi, long clientAddrLo, int clientPortNumber,
                long vipAddrHi, long vipAddrLo, int vipPortNumber, long realAddrHi, long realAddrLo,
                int realPortNumber) {
            kind = k;
            ipv6 = family6;
            proto = protocol;
            clientHi = clientAddrHi;
            clientLo = clientAddrLo;
            clientPort = clientPortNumber;
            vipHi = vipAddrHi;
            vipLo = vipAddrLo;
            vipPort = vipPortNumber;
            realHi = realAddrHi;
            realLo = realAddrLo;
            realPort = realPortNumber;
            toReal(0, 0, 0, 0);
            toClient(0, 0, 0, 0);
            outerSource = 0;
        }

        void toReal(long dstMac, long srcMac, int ifIndex, int mtu) {
            toRealDstMac = dstMac;
            toRealSrcMac = srcMac;
            toRealIfIndex = ifIndex;
            toRealMtu = mtu;
        }

        void toClient(long dstMac, long srcMac, int ifIndex, int mtu) {
            toClientDstMac = dstMac;
            toClientSrcMac = srcMac;
            toClientIfIndex = ifIndex;
            toClientMtu = mtu;
        }
    }

    /**
     * Takes a connection back to the Java path (its state changed): its entries leave the map, and what the kernel
     * counted since the last sweep goes to the visitor, so nothing counted is lost.
     */
    public synchronized void unmirror(long connection) {
        int slot = (int) connection;
        if (slot < 0 || slot >= recordOfSlot.length) return;
        int r = recordOfSlot[slot];
        if (r != NONE && handle[r] == connection) takeBack(r);
    }

    /**
     * Takes back the connections the visitor no longer wants, and with {@code foldCounters} folds every other
     * one's counters through it (two reads of a per-CPU map per connection: not every time). The lock is taken
     * for {@link #SWEEP_CHUNK} connections at a time, so that a worker mirroring a connection waits for a chunk,
     * not for the whole sweep; a record moved meanwhile may be seen twice or wait for the next sweep, which the
     * folding (of differences) and the next sweep make harmless.
     */
    public void sweep(boolean foldCounters) {
        int r;
        synchronized (this) {
            r = records - 1;
        }
        while (r >= 0) {
            synchronized (this) {
                for (int n = 0; n < SWEEP_CHUNK && r >= 0; n++, r--) {
                    if (r >= records) continue;
                    if (!visitor.wanted(handle[r], destId[r], hopToReal[r], hopToClient[r], mtuToReal[r],
                            mtuToClient[r])) {
                        takeBack(r);
                    } else if (foldCounters) {
                        fold(r);
                    }
                }
            }
        }
    }

    /** Whether the slot holds this connection already; a record of an earlier connection of the slot is dropped. */
    private boolean alreadyMirrored(int slot, long connection) {
        int r = recordOfSlot[slot];
        if (r == NONE) return false;
        if (handle[r] == connection) return true;
        takeBack(r);
        return false;
    }

    /** The record's entries leave the map; the counts they took until then are folded; the record goes. */
    private void takeBack(int r) {
        removeEntries(r);
        fold(r);
        drop(r);
    }

    /** The connections the kernel forwards now. */
    public synchronized int mirrored() {
        return records;
    }

    /** Of {@link #mirrored}, the IPv6 ones (NAT66, IPv6 DR). */
    public synchronized int mirroredIpv6() {
        return ipv6Records;
    }

    /** Connections the kernel's maps refused to take (the flow map full, no memory, no such egress device). */
    public synchronized long mirrorFailures() {
        return mirrorFailures;
    }

    private void fold(int r) {
        int slot = (int) handle[r];
        long inPackets = 0, inBytes = 0, outPackets = 0, outBytes = 0;
        if (maps.readCounters(slot, FastPathMaps.INBOUND, read)) {
            inPackets = read[0] - folded[r * 4];
            inBytes = read[1] - folded[r * 4 + 1];
            folded[r * 4] = read[0];
            folded[r * 4 + 1] = read[1];
        }
        if (kind[r] == FastPathEntry.KIND_NAT && maps.readCounters(slot, FastPathMaps.OUTBOUND, read)) {
            outPackets = read[0] - folded[r * 4 + 2];
            outBytes = read[1] - folded[r * 4 + 3];
            folded[r * 4 + 2] = read[0];
            folded[r * 4 + 3] = read[1];
        }
        if ((inPackets | outPackets) != 0) visitor.visit(handle[r], destId[r], inPackets, inBytes, outPackets, outBytes);
    }

    private boolean egress(int ifIndex) {
        if (ifIndex <= 0 || ifIndex >= egressKnown.length) return false;
        if (egressKnown[ifIndex]) return true;
        try {
            maps.addEgress(ifIndex);
        } catch (IOException e) {
            mirrorFailures++;
            return false;
        }
        egressKnown[ifIndex] = true;
        return true;
    }

    private boolean zeroCounters(int slot) {
        if (maps.resetCounters(slot, FastPathMaps.INBOUND) == 0 && maps.resetCounters(slot, FastPathMaps.OUTBOUND) == 0) {
            return true;
        }
        mirrorFailures++;
        return false;
    }

    private void removeEntries(int r) {
        boolean nat = kind[r] == FastPathEntry.KIND_NAT;
        if (ipv6[r]) {
            maps.remove6(protocol[r], clientHi[r], clientLo[r], clientPort[r], vipHi[r], vipLo[r], vipPort[r]);
            if (nat) maps.remove6(protocol[r], realHi[r], realLo[r], realPort[r], clientHi[r], clientLo[r], clientPort[r]);
            return;
        }
        maps.remove(protocol[r], (int) clientLo[r], clientPort[r], (int) vipLo[r], vipPort[r]);
        if (nat) maps.remove(protocol[r], (int) realLo[r], realPort[r], (int) clientLo[r], clientPort[r]);
    }

    /**
     * One next hop as a record keeps it: the MAC frames get and the egress device (ifindexes stay below 2^16, as
     * the devmap's egress table assumes). A neighbour that answers from another MAC, or a route that moved to
     * another device, changes it.
     */
    public static long hop(long dstMac, int ifIndex) {
        return dstMac << 16 | (ifIndex & 0xFFFF);
    }

    /** Records the connection {@link #flow} describes, mirrored into slot {@code slot}. */
    private void record(int slot, long connection, int dest) {
        if (records == handle.length) grow();
        int r = records++;
        handle[r] = connection;
        destId[r] = dest;
        kind[r] = flow.kind;
        ipv6[r] = flow.ipv6;
        if (flow.ipv6) ipv6Records++;
        protocol[r] = flow.proto;
        clientHi[r] = flow.clientHi;
        clientLo[r] = flow.clientLo;
        clientPort[r] = flow.clientPort;
        vipHi[r] = flow.vipHi;
        vipLo[r] = flow.vipLo;
        vipPort[r] = flow.vipPort;
        realHi[r] = flow.realHi;
        realLo[r] = flow.realLo;
        realPort[r] = flow.realPort;
        hopToReal[r] = hop(flow.toRealDstMac, flow.toRealIfIndex);
        hopToClient[r] = hop(flow.toClientDstMac, flow.toClientIfIndex);
        mtuToReal[r] = flow.toRealMtu;
        mtuToClient[r] = flow.toClientMtu;
        Arrays.fill(folded, r * 4, r * 4 + 4, 0);
        recordOfSlot[slot] = r;
        mirroredHandle.set(slot, connection);
    }

    /** Removes record r: the last record moves into its place. */
    private void drop(int r) {
        recordOfSlot[(int) handle[r]] = NONE;
        mirroredHandle.set((int) handle[r], NONE);
        if (ipv6[r]) ipv6Records--;
        int last = --records;
        if (r != last) {
            handle[r] = handle[last];
            destId[r] = destId[last];
            kind[r] = kind[last];
            ipv6[r] = ipv6[last];
            protocol[r] = protocol[last];
            clientHi[r] = clientHi[last];
            clientLo[r] = clientLo[last];
            clientPort[r] = clientPort[last];
            vipHi[r] = vipHi[last];
            vipLo[r] = vipLo[last];
            vipPort[r] = vipPort[last];
            realHi[r] = realHi[last];
            realLo[r] = realLo[last];
            realPort[r] = realPort[last];
            hopToReal[r] = hopToReal[last];
            hopToClient[r] = hopToClient[last];
            mtuToReal[r] = mtuToReal[last];
            mtuToClient[r] = mtuToClient[last];
            System.arraycopy(folded, last * 4, folded, r * 4, 4);
            recordOfSlot[(int) handle[r]] = r;
        }
    }

    private void grow() {
        int size = handle.length * 2;
        handle = Arrays.copyOf(handle, size);
        destId = Arrays.copyOf(destId, size);
        kind = Arrays.copyOf(kind, size);
        ipv6 = Arrays.copyOf(ipv6, size);
        protocol = Arrays.copyOf(protocol, size);
        clientHi = Arrays.copyOf(clientHi, size);
        clientLo = Arrays.copyOf(clientLo, size);
        clientPort = Arrays.copyOf(clientPort, size);
        vipHi = Arrays.copyOf(vipHi, size);
        vipLo = Arrays.copyOf(vipLo, size);
        vipPort = Arrays.copyOf(vipPort, size);
        realHi = Arrays.copyOf(realHi, size);
        realLo = Arrays.copyOf(realLo, size);
        realPort = Arrays.copyOf(realPort, size);
        hopToReal = Arrays.copyOf(hopToReal, size);
        hopToClient = Arrays.copyOf(hopToClient, size);
        mtuToReal = Arrays.copyOf(mtuToReal, size);
        mtuToClient = Arrays.copyOf(mtuToClient, size);
        folded = Arrays.copyOf(folded, size * 4);
    }
}
