package io.jlvs.forwarder;

/**
 * When a connection is worth the XDP fast path: once the Java path has forwarded {@code afterPackets} of its packets
 * (both directions). Mirroring a connection and taking it back cost a handful of bpf() calls, about what the Java
 * path spends on a few packets, so a short connection (a request, its answer, the close) is cheaper left in Java;
 * a long one pays it back many times over. 0 mirrors a connection as soon as it qualifies.
 *
 * <p>One count per table slot (a byte, saturating), restarted when a connection is created in the slot; written
 * by the worker that forwarded the packet without a lock: two workers counting one connection at once may lose a
 * packet of the count, which only delays its entry by one packet.
 */
final class FastPathPromotion {
    /** The most packets a connection may be asked to show before it enters. */
    static final int MAX_AFTER_PACKETS = 255;

    private final byte[] forwarded;
    private final int afterPackets;

    FastPathPromotion(int capacity, int afterPackets) {
        if (afterPackets < 0 || afterPackets > MAX_AFTER_PACKETS) {
            throw new IllegalArgumentException("fast path after 0.." + MAX_AFTER_PACKETS + " packets: " + afterPackets);
        }
        this.forwarded = new byte[afterPackets == 0 ? 0 : capacity];
        this.afterPackets = afterPackets;
    }

    int afterPackets() {
        return afterPackets;
    }

    /**
     * Counts one packet of {@code connection} that the Java path forwarded ({@code created}: the connection's first,
     * which restarts the count) and tells whether the connection has now shown enough to enter the fast path.
     */
    boolean counted(long connection, boolean created) {
        if (afterPackets == 0) return true;
        int slot = (int) connection;
        int count = created ? 1 : Math.min(Byte.toUnsignedInt(forwarded[slot]) + 1, MAX_AFTER_PACKETS);
        forwarded[slot] = (byte) count;
        return count >= afterPackets;
    }
}
