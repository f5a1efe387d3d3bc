package io.jlvs.forwarder;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.ServiceConfig;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every FullNAT local address the data plane has been given, with its ports ({@link LocalAddressPorts}). An
 * address keeps its ports for the daemon's life, so connections that outlive a change of a service's pool keep
 * theirs and their replies still find them. About 1 MiB per address (two protocols' port tables).
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
