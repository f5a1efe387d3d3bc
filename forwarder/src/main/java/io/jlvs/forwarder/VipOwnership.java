package io.jlvs.forwarder;

import java.util.Arrays;

/**
 * Which IPv4 addresses a VRRP instance manages and which of those this director owns now (its instance is MASTER).
 * A managed address that is not owned is on standby: the director neither answers ARP or ping for it nor forwards
 * packets to it, but it stays in the socket filter and the host guard so the kernel never answers for it either.
 * A managed address without a service (the NAT real servers' gateway) is owned like a VIP. Addresses no VRRP
 * instance manages are owned always, as without VRRP.
 */
public record VipOwnership(int[] managed, int[] owned) {
    /** No VRRP: every VIP is owned. */
    public static final VipOwnership UNMANAGED = new VipOwnership(new int[0], new int[0]);

    public VipOwnership {
        managed = Arrays.stream(managed).distinct().sorted().toArray();
        owned = Arrays.stream(owned).distinct().sorted().toArray();
        for (int a : owned) {
            if (Arrays.binarySearch(managed, a) < 0) throw new IllegalArgumentException("owned but not managed");
        }
    }

    /** The managed addresses not owned now, sorted. */
    int[] standby() {
        return Arrays.stream(managed).filter(a -> Arrays.binarySearch(owned, a) < 0).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VipOwnership v && Arrays.equals(managed, v.managed) && Arrays.equals(owned, v.owned);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(managed) + Arrays.hashCode(owned); }

    @Override
    public String toString() { return "managed " + Arrays.toString(managed) + ", owned " + Arrays.toString(owned); }
}
