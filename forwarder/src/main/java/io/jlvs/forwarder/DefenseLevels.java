package io.jlvs.forwarder;

import io.jlvs.control.model.IpvsSysctl;

/**
 * IPVS's DoS defences (ip_vs_ctl.c, update_defense_level), judged by the connection table's free room where the
 * kernel counts free memory: the table is short when its free entries fall below amemthresh percent of its
 * capacity. Each of drop_entry, drop_packet and secure_tcp is off at 0, on while the table is short at 1 (and then
 * reads 2, back to 1 when it is not, as the kernel's sysctls do), and always on at 3. drop_packet drops one new
 * connection in amemthresh / (amemthresh - free) (in entries), or in am_droprate at 3. Updated by the housekeeping
 * thread; workers read the drop rate, the table the secure_tcp switch.
 */
public final class DefenseLevels {
    private final Knobs knobs;
    private volatile int dropRate;
    private volatile boolean dropEntry, secureTcp, tableShort;

    DefenseLevels(Knobs knobs) {
        this.knobs = knobs;
    }

    /** Judges the table's free room and sets each defence accordingly. */
    void update(int size, int capacity) {
        long free = capacity - (long) size;
        long threshold = (long) capacity * knobs.get(IpvsSysctl.AMEMTHRESH) / 100;
        boolean isShort = free < threshold;
        tableShort = isShort;
        dropEntry = level(IpvsSysctl.DROP_ENTRY, isShort);
        secureTcp = level(IpvsSysctl.SECURE_TCP, isShort);
        if (knobs.get(IpvsSysctl.DROP_PACKET) == 3) {
            dropRate = knobs.get(IpvsSysctl.AM_DROPRATE);
        } else if (level(IpvsSysctl.DROP_PACKET, isShort)) {
            dropRate = (int) Math.max(1, threshold / Math.max(1, threshold - free));
        } else {
            dropRate = 0;
        }
    }

    /** The kernel's four levels of one defence; at 1 and 2 its value follows the table's room. */
    private boolean level(IpvsSysctl defence, boolean isShort) {
        return switch (knobs.get(defence)) {
            case 0 -> false;
            case 1 -> {
                if (isShort) knobs.switchLevel(defence, 1, 2);
                yield isShort;
            }
            case 2 -> {
                if (!isShort) knobs.switchLevel(defence, 2, 1);
                yield isShort;
            }
            default -> true;
        };
    }

    /** One new connection in this many is dropped (drop_packet); 0: none. */
    public int dropRate() { return dropRate; }

    /** Whether half-open connections are being removed (drop_entry). */
    public boolean dropEntry() { return dropEntry; }

    /** Whether TCP follows the secure_tcp state table. */
    public boolean secureTcp() { return secureTcp; }

    /** Whether the table's free room is below amemthresh. */
    public boolean tableShort() { return tableShort; }
}
