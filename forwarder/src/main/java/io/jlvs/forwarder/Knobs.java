package io.jlvs.forwarder;

import io.jlvs.connections.SyncRule;
import io.jlvs.control.model.IpvsSysctl;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The values of the IPVS sysctls ({@link IpvsSysctl}: names, defaults and ranges are that table's), starting at
 * their defaults, set through jlvsadm --sysctl. Workers read them on the packet path (volatile reads, no lock)
 * through the typed accessors.
 */
public final class Knobs {
    private final AtomicIntegerArray values = new AtomicIntegerArray(IpvsSysctl.values().length);

    public Knobs() {
        for (IpvsSysctl s : IpvsSysctl.values()) values.set(s.ordinal(), s.defaultValue());
    }

    public int get(IpvsSysctl sysctl) { return values.get(sysctl.ordinal()); }

    /**
     * @throws IllegalArgumentException when the table does not allow the value, or it would put sync_threshold
     *                                  at or above a sync_period other than 0 (the kernel refuses that pair)
     */
    public synchronized void set(IpvsSysctl sysctl, int value) {
        if (!sysctl.allows(value)) {
            throw new IllegalArgumentException(sysctl.sysctlName() + " " + sysctl.rangeText() + ": " + value);
        }
        int threshold = sysctl == IpvsSysctl.SYNC_THRESHOLD ? value : get(IpvsSysctl.SYNC_THRESHOLD);
        int period = sysctl == IpvsSysctl.SYNC_PERIOD ? value : get(IpvsSysctl.SYNC_PERIOD);
        String problem = IpvsSysctl.syncPairProblem(threshold, period);
        if (problem != null) throw new IllegalArgumentException(problem);
        values.set(sysctl.ordinal(), value);
    }

    public boolean expireNodestConn() { return get(IpvsSysctl.EXPIRE_NODEST_CONN) != 0; }

    public boolean expireQuiescentTemplate() { return get(IpvsSysctl.EXPIRE_QUIESCENT_TEMPLATE) != 0; }

    public int connReuseMode() { return get(IpvsSysctl.CONN_REUSE_MODE); }

    public boolean sloppyTcp() { return get(IpvsSysctl.SLOPPY_TCP) != 0; }

    public boolean natIcmpSend() { return get(IpvsSysctl.NAT_ICMP_SEND) != 0; }

    /**
     * A defence's value moving between 1 and 2 with the table's room, as the kernel moves its sysctl; an operator's
     * write in between wins.
     */
    void switchLevel(IpvsSysctl defence, int from, int to) {
        values.compareAndSet(defence.ordinal(), from, to);
    }

    /** When connections are sent to a backup beyond their changes of state (the sync_* knobs). */
    public SyncRule syncRule() {
        return new SyncRule(get(IpvsSysctl.SYNC_THRESHOLD), get(IpvsSysctl.SYNC_PERIOD),
                get(IpvsSysctl.SYNC_REFRESH_PERIOD) * 1_000_000_000L, get(IpvsSysctl.SYNC_RETRIES));
    }

    /**
     * pmtu_disc, for the tunnel path: whether a packet too big for the tunnel is answered with ICMP fragmentation
     * needed (only DF packets, and only while pmtu_disc is 1). With pmtu_disc 0 IPVS clears DF and lets the
     * packet be fragmented instead, which TunnelTransmitter then does to the outer packet.
     */
    public boolean answersFragmentationNeeded(boolean dontFragment) {
        return dontFragment && get(IpvsSysctl.PMTU_DISC) != 0;
    }
}
