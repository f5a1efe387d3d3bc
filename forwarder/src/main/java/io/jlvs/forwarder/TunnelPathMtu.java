package io.jlvs.forwarder;

/**
 * The path MTU towards one tunnelled real server as learnt from ICMP fragmentation-needed errors about our outer
 * packets (the kernel keeps it in the route cache; jlvs keeps it per real server). Expires after 10 minutes, as
 * the kernel's learnt PMTUs do (net.ipv4.route.mtu_expires), so a path that grew again is used again. Written by
 * any worker, read by all: one volatile long, mtu and expiry packed, no lock.
 */
final class TunnelPathMtu {
    static final long EXPIRY_NANOS = 600_000_000_000L;
    /** High 16 bits: the MTU; low 48 bits: expiry in nanoTime >> 8 units (enough for about 2 years of uptime). */
    private volatile long packed;

    void learn(int mtu, long nowNanos) {
        packed = ((long) mtu << 48) | (((nowNanos + EXPIRY_NANOS) >>> 8) & 0xFFFF_FFFF_FFFFL);
    }

    /** The learnt MTU, or {@code Integer.MAX_VALUE} when none or expired. */
    int get(long nowNanos) {
        long p = packed;
        if (p == 0) return Integer.MAX_VALUE;
        long expiry = (p & 0xFFFF_FFFF_FFFFL) << 8;
        return nowNanos - expiry > 0 ? Integer.MAX_VALUE : (int) (p >>> 48);
    }
}
