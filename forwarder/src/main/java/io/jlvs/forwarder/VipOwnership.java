package io.jlvs.forwarder;

import io.jlvs.platform.hostguard.Ipv6Endpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Which addresses VRRP instances manage and which of those this director owns now (their instance is MASTER), IPv4
 * and IPv6. A managed address that is not owned is on standby: the director neither answers ARP or ping (IPv6:
 * neighbour solicitations and echo) for it nor forwards packets to it, but it stays in the socket filter and the
 * host guard so the kernel never answers for it either. A managed address without a service (the NAT real
 * servers' gateway) is owned like a VIP. Addresses no VRRP instance manages are owned always, as without VRRP.
 *
 * @param managed6 the managed IPv6 addresses (as {@link Ipv6Endpoint#address}), each once, sorted
 * @param owned6   those owned now, each once, sorted
 */
public record VipOwnership(int[] managed, int[] owned, List<Ipv6Endpoint> managed6, List<Ipv6Endpoint> owned6) {
    /** No VRRP: every VIP is owned. */
    public static final VipOwnership UNMANAGED = new VipOwnership(new int[0], new int[0]);

    public VipOwnership {
        managed = Arrays.stream(managed).distinct().sorted().toArray();
        owned = Arrays.stream(owned).distinct().sorted().toArray();
        for (int a : owned) {
            if (Arrays.binarySearch(managed, a) < 0) throw new IllegalArgumentException("owned but not managed");
        }
        managed6 = sorted(managed6);
        owned6 = sorted(owned6);
        if (!Set.copyOf(managed6).containsAll(owned6)) throw new IllegalArgumentException("owned but not managed");
    }

    /** IPv4 addresses only. */
    public VipOwnership(int[] managed, int[] owned) {
        this(managed, owned, List.of(), List.of());
    }

    private static List<Ipv6Endpoint> sorted(List<Ipv6Endpoint> addresses) {
        return addresses.stream()
                .map(e -> Ipv6Endpoint.address(e.hi(), e.lo()))
                .distinct()
                .sorted((a, b) -> a.hi() != b.hi() ? Long.compareUnsigned(a.hi(), b.hi()) : Long.compareUnsigned(a.lo(), b.lo()))
                .toList();
    }

    /** The managed addresses not owned now, sorted. */
    int[] standby() {
        return Arrays.stream(managed).filter(a -> Arrays.binarySearch(owned, a) < 0).toArray();
    }

    /** The managed IPv6 addresses not owned now. */
    List<Ipv6Endpoint> standby6() {
        Set<Ipv6Endpoint> own = Set.copyOf(owned6);
        return managed6.stream().filter(a -> !own.contains(a)).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VipOwnership v && Arrays.equals(managed, v.managed) && Arrays.equals(owned, v.owned)
                && managed6.equals(v.managed6) && owned6.equals(v.owned6);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(managed) + Arrays.hashCode(owned)) + 17 * managed6.hashCode() + owned6.hashCode();
    }

    @Override
    public String toString() {
        String v4 = "managed " + Arrays.toString(managed) + ", owned " + Arrays.toString(owned);
        if (managed6.isEmpty()) return v4;
        return v4 + "; IPv6 managed " + format(managed6) + ", owned " + format(owned6);
    }

    private static String format(List<Ipv6Endpoint> addresses) {
        return addresses.stream().map(e -> io.jlvs.control.model.Addresses.formatV6(e.hi(), e.lo())).toList().toString();
    }
}
