package io.jlvs.forwarder;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.ServiceConfig;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every FullNAT local address the data plane has been given, with its ports ({@link LocalAddressPorts}), kept for
 * the daemon's life so that an address given back to a pool finds its ports as it left them. An address taken out
 * of every pool is no longer the director's (the service index leaves it out): the connections still using it
 * lose their replies and time out. About 1 MiB per address (two protocols' port tables).
 */
final class LocalAddressPools {
    private final ConcurrentHashMap<Integer, LocalAddressPorts> byAddress = new ConcurrentHashMap<>();

    /** The ports of a service's local addresses, in the order configured (control plane). */
    LocalAddressPorts[] forService(ServiceConfig s) {
        List<Integer> addresses = s.localAddresses();
        LocalAddressPorts[] out = new LocalAddressPorts[addresses.size()];
        for (int i = 0; i < out.length; i++) out[i] = byAddress.computeIfAbsent(addresses.get(i), LocalAddressPorts::new);
        return out;
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
