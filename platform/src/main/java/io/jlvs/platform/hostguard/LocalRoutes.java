package io.jlvs.platform.hostguard;

import io.jlvs.platform.net.Link;

import java.io.IOException;
import java.util.List;

/**
 * The local routes ({@code local VIP/32 dev lo} in the table local) that make the director's kernel deliver to its
 * own sockets what is addressed to a VIP, without configuring the address on an interface: a layer-7 listener can
 * bind it, and the kernel answers ARP for it only if the host guard let it (it does not, see {@link NftRules}).
 */
final class LocalRoutes {
    private LocalRoutes() {}

    /** Adds the route, or replaces an identical one left by an earlier run. */
    static void add(int vip) throws IOException {
        Commands.run(List.of("ip", "-4", "route", "replace", "local", Link.formatIpv4(vip) + "/32", "dev", "lo",
                "table", "local"));
    }

    /** Deletes the route; an absent route is not an error (it is what deleting wants). */
    static void delete(int vip) throws IOException {
        if (!present(vip)) return;
        Commands.run(List.of("ip", "-4", "route", "del", "local", Link.formatIpv4(vip) + "/32", "dev", "lo",
                "table", "local"));
    }

    static boolean present(int vip) throws IOException {
        return !Commands.run(List.of("ip", "-4", "route", "show", "table", "all", "type", "local", "dev", "lo",
                Link.formatIpv4(vip) + "/32")).isBlank();
    }
}
