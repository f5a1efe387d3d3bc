package io.jlvs.forwarder;

import io.jlvs.platform.net.NextHop;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.platform.net.Route;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A fixed next-hop table for a data plane without a kernel behind it (the forwarding warm-up, tests). Lookups scan
 * two arrays, so the hot path neither allocates nor boxes; {@link #put} is for setting the table up.
 */
public final class StaticNextHops implements NextHopLookup {
    private int[] destinations = new int[0];
    private NextHop[] hops = new NextHop[0];

    /** Sets the next hop of {@code destination}, replacing an earlier one. */
    public StaticNextHops put(int destination, NextHop hop) {
        for (int i = 0; i < destinations.length; i++) {
            if (destinations[i] == destination) {
                hops[i] = hop;
                return this;
            }
        }
        destinations = Arrays.copyOf(destinations, destinations.length + 1);
        hops = Arrays.copyOf(hops, hops.length + 1);
        destinations[destinations.length - 1] = destination;
        hops[hops.length - 1] = hop;
        return this;
    }

    @Override
    public NextHop lookup(int dstV4) {
        int[] d = destinations;
        for (int i = 0; i < d.length; i++) if (d[i] == dstV4) return hops[i];
        return null;
    }

    @Override
    public NextHop lookupBlocking(int dstV4, Duration timeout) { return lookup(dstV4); }

    @Override
    public Route route(int dstV4) throws IOException {
        throw new IOException("no routes in a fixed next-hop table");
    }
}
