package io.jlvs.platform.net;

import java.io.IOException;
import java.time.Duration;

/**
 * Where the data plane gets next hops from: {@link NextHops} (the kernel's tables over netlink) in the daemon,
 * a fixed table in tests that run the pipeline without sockets.
 */
public interface NextHopLookup {
    /** Hot path: the next hop of an IPv4 destination, or null while it is being resolved. Never blocks. */
    NextHop lookup(int dstV4);

    /** Control plane: waits until the next hop is resolved or the timeout passes. */
    NextHop lookupBlocking(int dstV4, Duration timeout) throws IOException;

    /** Control plane: the kernel's route to a destination. */
    Route route(int dstV4) throws IOException;
}
