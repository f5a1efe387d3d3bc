package io.jlvs.platform.net;

/**
 * Where the data plane gets the next hops of IPv6 destinations from: {@link Ipv6NextHops} in the daemon, {@link #NONE}
 * where nothing forwards IPv6.
 */
public interface Ipv6NextHopLookup {
    /** Resolves nothing: every IPv6 destination stays without a next hop. */
    Ipv6NextHopLookup NONE = (hi, lo) -> null;

    /**
     * Hot path: the next hop of an IPv6 destination (its address in two halves), or null while it is being
     * resolved. Never blocks; allocation-free on a hit. The hop's IPv4 source is 0, and its IPv4 gateway 0 when the
     * destination is on a connected network, -1 when it is reached through a router (so
     * {@link NextHop#directlyConnected()} holds for IPv6 too).
     */
    NextHop lookup(long dstHi, long dstLo);
}
