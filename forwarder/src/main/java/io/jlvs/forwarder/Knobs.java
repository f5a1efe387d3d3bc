package io.jlvs.forwarder;

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

    /** @throws IllegalArgumentException when the table does not allow the value */
    public void set(IpvsSysctl sysctl, int value) {
        if (!sysctl.allows(value)) {
            throw new IllegalArgumentException(sysctl.sysctlName() + " " + sysctl.rangeText() + ": " + value);
        }
        values.set(sysctl.ordinal(), value);
    }

    public boolean expireNodestConn() { return get(IpvsSysctl.EXPIRE_NODEST_CONN) != 0; }

    public boolean expireQuiescentTemplate() { return get(IpvsSysctl.EXPIRE_QUIESCENT_TEMPLATE) != 0; }

    public int connReuseMode() { return get(IpvsSysctl.CONN_REUSE_MODE); }

    public boolean sloppyTcp() { return get(IpvsSysctl.SLOPPY_TCP) != 0; }

    public boolean natIcmpSend() { return get(IpvsSysctl.NAT_ICMP_SEND) != 0; }

    public boolean dropEntry() { return get(IpvsSysctl.DROP_ENTRY) != 0; }

    /**
     * pmtu_disc, for the tunnel path: whether a packet too big for the tunnel is answered with ICMP fragmentation
     * needed (only DF packets, and only while pmtu_disc is 1). With pmtu_disc 0 IPVS clears DF and lets the
     * packet be fragmented instead, which TunnelTransmitter then does to the outer packet.
     */
    public boolean answersFragmentationNeeded(boolean dontFragment) {
        return dontFragment && get(IpvsSysctl.PMTU_DISC) != 0;
    }
}
