package io.jlvs.forwarder.dataplane;

import io.jlvs.forwarder.ipvs.Protocol;

import java.util.Arrays;
import java.util.List;

/**
 * Immutable lookup from (protocol, IPv4 VIP, port) to a running service, and the set of VIPs, built by the control
 * plane on every change and published with one volatile write. Open addressing over primitive arrays: a lookup
 * allocates nothing. A persistent port-0 service answers for every port of its VIP.
 */
public final class ServiceIndex {
    public static final ServiceIndex EMPTY = new ServiceIndex(List.of());

    private final long[] keys;
    private final RuntimeService[] services;
    private final int mask;
    private final int[] vips;          // sorted, distinct
    private final RuntimeService[] byId;

    public ServiceIndex(List<RuntimeService> all) {
        int size = Integer.highestOneBit(Math.max(4, all.size() * 4 - 1)) << 1;
        keys = new long[size];
        Arrays.fill(keys, -1L);
        services = new RuntimeService[size];
        mask = size - 1;
        int maxId = 0;
        int[] v = new int[all.size()];
        int n = 0;
        for (RuntimeService s : all) {
            maxId = Math.max(maxId, s.id);
            if (s.key.isFwmark() || s.key.af() != 4) continue;
            int proto = protocolNumber(s.key.protocol());
            long key = key(proto, (int) s.key.addrLo(), s.key.port());
            int i = slot(key);
            while (keys[i] != -1L) i = (i + 1) & mask;
            keys[i] = key;
            services[i] = s;
            v[n++] = (int) s.key.addrLo();
        }
        vips = Arrays.stream(v, 0, n).distinct().sorted().toArray();
        byId = new RuntimeService[maxId + 1];
        for (RuntimeService s : all) byId[s.id] = s;
    }

    public static int protocolNumber(Protocol p) {
        return switch (p) {
            case TCP -> 6;
            case UDP -> 17;
            case SCTP -> 132;
        };
    }

    private static long key(int proto, int addr, int port) {
        return ((long) proto << 48) | ((long) port << 32) | (addr & 0xFFFF_FFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The service for a packet to addr:port, or the VIP's port-0 service, or null. */
    public RuntimeService lookup(int proto, int addr, int port) {
        RuntimeService s = find(key(proto, addr, port));
        return s != null ? s : find(key(proto, addr, 0));
    }

    private RuntimeService find(long key) {
        int i = slot(key);
        long k;
        while ((k = keys[i]) != -1L) {
            if (k == key) return services[i];
            i = (i + 1) & mask;
        }
        return null;
    }

    public boolean isVip(int addr) { return Arrays.binarySearch(vips, addr) >= 0; }

    public int[] vips() { return vips.clone(); }

    public RuntimeService byId(int id) { return id >= 0 && id < byId.length ? byId[id] : null; }
}
