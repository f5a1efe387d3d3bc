package io.jlvs.platform.net;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Next hops (egress interface, MACs, MTU, source) for IPv4 destinations, taken from the kernel's routing and
 * neighbour tables and kept current by a daemon thread that follows RTNLGRP_LINK, RTNLGRP_NEIGH and
 * RTNLGRP_IPV4_ROUTE. {@link #lookup} is the data path: an array probe, no allocation, no lock, no system call
 * on a hit. A miss queues the destination for the resolver, which asks the kernel (ARP included) and publishes
 * the answer; the caller drops or queues its packet meanwhile.
 *
 * <p>Construct it on a thread that is in the network namespace to follow: its sockets and thread belong there.
 */
public final class NextHops implements NextHopLookup, AutoCloseable {
    private static final int EVENT_GROUPS = RtNetlink.RTMGRP_LINK | RtNetlink.RTMGRP_NEIGH | RtNetlink.RTMGRP_IPV4_ROUTE;

    private volatile NextHopTable table = NextHopTable.EMPTY;
    private final Object publishMonitor = new Object();
    private final AtomicLong tickets = new AtomicLong();
    private final Netlink events;
    private final Netlink requests;
    private final Netlink control;
    private final NextHopResolver resolver;
    private final Thread thread;

    /** Follows destinations reached through the given interfaces; an empty set allows every interface. */
    public NextHops(Set<Integer> allowedIfIndexes) throws IOException {
        // subscribe first, so no change between the first reads and the subscription goes unseen
        events = Netlink.subscribe(EVENT_GROUPS);
        Netlink requestSocket = null;
        Netlink controlSocket = null;
        try {
            requestSocket = Netlink.open();
            controlSocket = Netlink.open();
            resolver = new NextHopResolver(requestSocket, events, allowedIfIndexes, t -> table = t, publishMonitor);
        } catch (IOException | RuntimeException e) {
            events.close();
            if (requestSocket != null) requestSocket.close();
            if (controlSocket != null) controlSocket.close();
            throw e;
        }
        requests = requestSocket;
        control = controlSocket;
        thread = Thread.ofPlatform().daemon().name("jlvs-nexthops").start(resolver);
    }

    /** A fixed table: no kernel behind it, nothing resolved, nothing followed (see {@link #fixed}). */
    private NextHops(Map<Integer, NextHop> hops) {
        table = new NextHopTable(hops);
        events = null;
        requests = null;
        control = null;
        resolver = null;
        thread = null;
    }

    /**
     * Next hops that never change and need no kernel: a data plane that runs on synthetic traffic (the forwarding
     * warm-up) uses the class the daemon's data plane uses, so the code compiled for it stays valid. A miss stays a
     * miss; {@link #route} fails.
     */
    public static NextHops fixed(Map<Integer, NextHop> hops) {
        return new NextHops(Map.copyOf(hops));
    }

    /** Follows destinations reached through the named interfaces (of the calling thread's namespace). */
    public static NextHops forInterfaces(Collection<String> interfaceNames) throws IOException {
        Set<Integer> indexes = new HashSet<>();
        for (int index : Links.indexesOf(List.copyOf(interfaceNames))) indexes.add(index);
        return new NextHops(indexes);
    }

    /**
     * Data path. The next hop for {@code dstV4}, or null while it is unknown: the first miss asks the kernel to
     * resolve it (without waiting), later lookups return it once the answer arrived. Allocation-free on a hit.
     */
    public NextHop lookup(int dstV4) {
        NextHop hop = table.get(dstV4);
        if (hop == null) {
            if (resolver != null) resolver.requestFromDataPath(dstV4);
            return null;
        }
        return hop == NextHop.UNRESOLVED ? null : hop;
    }

    /**
     * Control plane: waits until {@code dstV4} is resolved (ARP included). Throws with the reason (no route,
     * interface not managed, neighbour silent) or on timeout. A recent cached failure is retried, not reported.
     */
    public NextHop lookupBlocking(int dstV4, Duration timeout) throws IOException {
        NextHop hop = table.get(dstV4);
        if (hop != null && hop != NextHop.UNRESOLVED) return hop;
        if (resolver == null) throw new IOException("no next hop for " + Link.formatIpv4(dstV4) + " in a fixed table");
        long ticket = tickets.incrementAndGet();
        resolver.requestForced(dstV4, ticket);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (publishMonitor) {
            while (true) {
                hop = table.get(dstV4);
                if (hop != null && hop != NextHop.UNRESOLVED) return hop;
                NextHopResolver.Failure failure = resolver.failures.get(dstV4);
                if (failure != null && failure.ticket() >= ticket) throw new IOException(failure.reason());
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new IOException("next hop for " + Link.formatIpv4(dstV4) + " not resolved within " + timeout
                            + (hop == NextHop.UNRESOLVED ? " (ARP pending)" : ""));
                }
                try {
                    publishMonitor.wait(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while resolving " + Link.formatIpv4(dstV4), e);
                }
            }
        }
    }

    /** The kernel's route to {@code dstV4} (RTM_GETROUTE); throws for local, unreachable or missing routes. */
    public Route route(int dstV4) throws IOException {
        if (control == null) throw new IOException("no routes in a fixed next-hop table");
        synchronized (control) {
            return Routes.route(control, dstV4);
        }
    }

    /** Destinations currently known (resolved, resolving or recently failed). */
    public int size() {
        return table.size();
    }

    @Override
    public void close() {
        if (resolver == null) return;
        resolver.stop();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        requests.close();
        synchronized (control) {
            control.close();
        }
        resolver.closeWakeFd();
    }
}
