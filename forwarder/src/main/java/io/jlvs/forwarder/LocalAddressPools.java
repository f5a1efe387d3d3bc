package io.jlvs.forwarder;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.Ipv6Address;
import io.jlvs.control.model.ServiceConfig;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every FullNAT local address the data plane has been given, with its ports ({@link LocalAddressPorts}), kept for
 * the daemon's life so that an address given back to a pool finds its ports as it left them. IPv6 ones are also
 * numbered, as FullNAT's records in memory name them. An address taken out of every pool is no longer the
 * director's (the service index leaves it out): the connections still using it lose their replies and time out.
 * Every address's ports are held in one {@link FullNatPorts}, made with the first address (2 to 4 slots of 16 bytes
 * per entry of the connection table).
 */
final class LocalAddressPools {
    /** The first number given to an IPv6 local address (127.0.0.1: never an IPv4 local address). */
    private static final int FIRST_IPV6_NUMBER = 0x7F00_0001;

    private final ConcurrentHashMap<Integer, LocalAddressPorts> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Ipv6Address, LocalAddressPorts> byIpv6Address = new ConcurrentHashMap<>();
    /** The IPv6 local addresses by their number less {@link #FIRST_IPV6_NUMBER}; replaced whole (workers read it). */
    private volatile LocalAddressPorts[] ipv6ByNumber = new LocalAddressPorts[0];
    private final int connectionCapacity;
    private FullNatPorts ports;

    /** Pools for the FullNAT connections of a connection table of {@code connectionCapacity} entries. */
    LocalAddressPools(int connectionCapacity) {
        this.connectionCapacity = connectionCapacity;
    }

    private synchronized FullNatPorts ports() {
        if (ports == null) ports = new FullNatPorts(connectionCapacity);
        return ports;
    }

    /** The ports of a service's local addresses, in the order configured (control plane). */
    LocalAddressPorts[] forService(ServiceConfig s) {
        if (s.key().af() == 6) {
            List<Ipv6Address> addresses = s.localAddresses6();
            LocalAddressPorts[] out = new LocalAddressPorts[addresses.size()];
            for (int i = 0; i < out.length; i++) out[i] = ipv6(addresses.get(i));
            return out;
        }
        List<Integer> addresses = s.localAddresses();
        LocalAddressPorts[] out = new LocalAddressPorts[addresses.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = byAddress.computeIfAbsent(addresses.get(i), a -> new LocalAddressPorts(a, ports()));
        }
        return out;
    }

    private synchronized LocalAddressPorts ipv6(Ipv6Address a) {
        LocalAddressPorts known = byIpv6Address.get(a);
        if (known != null) return known;
        LocalAddressPorts[] numbered = ipv6ByNumber;
        LocalAddressPorts made = LocalAddressPorts.ipv6(FIRST_IPV6_NUMBER + numbered.length, a.hi(), a.lo(), ports());
        LocalAddressPorts[] next = java.util.Arrays.copyOf(numbered, numbered.length + 1);
        next[numbered.length] = made;
        ipv6ByNumber = next;
        byIpv6Address.put(a, made);
        return made;
    }

    /** The IPv6 local address a FullNAT record names by its number, or null (workers; allocation-free). */
    LocalAddressPorts ipv6ByNumber(int number) {
        LocalAddressPorts[] numbered = ipv6ByNumber;
        int i = number - FIRST_IPV6_NUMBER;
        return i >= 0 && i < numbered.length ? numbered[i] : null;
    }

    /** An IPv6 local address of {@code next} that is also an IPv6 VIP there, or null. */
    static Ipv6Address clashWithIpv6Vip(IpvsConfig next) {
        java.util.Set<Ipv6Address> vips = new java.util.HashSet<>();
        for (ServiceConfig s : next.services()) {
            if (!s.key().isFwmark() && s.key().af() == 6) vips.add(new Ipv6Address(s.key().addrHi(), s.key().addrLo()));
        }
        for (ServiceConfig s : next.services()) {
            for (Ipv6Address a : s.localAddresses6()) if (vips.contains(a)) return a;
        }
        return null;
    }

    /** A local address of {@code next} that is also a VIP there (it could not be both), or null. */
    static Integer clashWithVip(IpvsConfig next) {
        java.util.Set<Integer> vips = new java.util.HashSet<>();
        for (ServiceConfig s : next.services()) {
            if (!s.key().isFwmark() && s.key().af() == 4) vips.add((int) s.key().addrLo());
        }
        for (ServiceConfig s : next.services()) {
            for (int a : s.localAddresses()) if (vips.contains(a)) return a;
        }
        return null;
    }
}
