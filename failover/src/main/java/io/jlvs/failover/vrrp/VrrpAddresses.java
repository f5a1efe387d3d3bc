package io.jlvs.failover.vrrp;

import io.jlvs.control.model.Addresses;
import io.jlvs.packets.Ipv4;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/** VRRP's addresses as numbers: IPv4 as an int, or any address as 128 bits (IPv4 as IPv4-mapped). */
final class VrrpAddresses {
    private VrrpAddresses() {}

    static int v4(InetAddress a) {
        return Ipv4.toInt(a);
    }

    static long hi(InetAddress a) {
        return a instanceof Inet4Address ? 0 : VrrpAdvert.getLong(a.getAddress(), 0);
    }

    static long lo(InetAddress a) {
        return a instanceof Inet4Address ? Addresses.mappedLo(Ipv4.toInt(a))
                : VrrpAdvert.getLong(a.getAddress(), 8);
    }

    /** The addresses as (hi, lo) pairs: address i at [2i], [2i+1]. */
    static long[] pairs(List<InetAddress> addresses) {
        long[] out = new long[2 * addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            out[2 * i] = hi(addresses.get(i));
            out[2 * i + 1] = lo(addresses.get(i));
        }
        return out;
    }
}
