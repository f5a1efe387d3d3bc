package io.jlvs.platform.net;

import io.jlvs.packets.Ipv4;
import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The single thread that owns all next-hop state. It waits (poll) on the netlink event socket and on an eventfd
 * that data-path misses ring, resolves destinations with route and neighbour requests, follows link, route and
 * neighbour events, retries unanswered ARP, and publishes a fresh {@link NextHopTable} after each batch.
 * Being the only writer, it needs no locks for its own state; processing events in arrival order means the last
 * event about a neighbour wins, as in the kernel.
 */
final class NextHopResolver implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NextHopResolver.class);
    /** A broken answer can repeat on every poll: a few messages a minute say what it is. */
    private static final RateLimitedLog LOOP_ERRORS = new RateLimitedLog(LOG, 5, Duration.ofMinutes(1));

    /** A failed resolution as seen by blocking callers; {@code ticket} ties it to the request that caused it. */
    record Failure(String reason, long ticket) {}

    private enum State { RESOLVING, RESOLVED, FAILED }

    /** What the resolver knows about one destination. */
    private static final class Resolution {
        final int dst;
        State state;
        int ifIndex, neighbour, gateway, source, routeMtu;
        NextHop hop;
        int attempts;
        long nextActionNanos;
        long ticket;

        Resolution(int dst) {
            this.dst = dst;
        }
    }

    private record LinkInfo(String name, long mac, int mtu, boolean up) {}

    static final long RETRY_NANOS = 1_000_000_000L;
    static final int ARP_ATTEMPTS = 3;
    /** How long a failure stays cached, so that packets to a dead destination do not flood the kernel. */
    static final long NEGATIVE_CACHE_NANOS = 1_000_000_000L;
    /** How often a resolved neighbour is re-solicited, so the kernel re-verifies STALE entries. */
    static final long REFRESH_NANOS = 30_000_000_000L;
    static final int MAX_DESTINATIONS = 65_536;
    private static final int MISS_QUEUE_SIZE = 1024;
    private static final int POLL_MILLIS = 200;

    private final Netlink requests;
    private final Netlink events;
    private final Set<Integer> allowedIfIndexes;
    private final Consumer<NextHopTable> publisher;
    private final Object publishMonitor;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);
    private final MemorySegment pollFds = arena.allocate(16, 8);
    private final MemorySegment eventCounter = arena.allocate(8, 8);
    private final MemorySegment wakeValue = arena.allocate(8, 8);
    private final int wakeFd;

    private final int[] missQueue = new int[MISS_QUEUE_SIZE];
    private int missHead, missTail;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final ConcurrentLinkedQueue<long[]> forcedRequests = new ConcurrentLinkedQueue<>();
    final ConcurrentHashMap<Integer, Failure> failures = new ConcurrentHashMap<>();

    private final Map<Integer, Resolution> resolutions = new HashMap<>();
    private final Map<Integer, LinkInfo> links = new HashMap<>();
    private boolean dirty;
    private boolean routesChanged;
    private volatile boolean running = true;

    NextHopResolver(Netlink requests, Netlink events, Set<Integer> allowedIfIndexes, Consumer<NextHopTable> publisher,
                    Object publishMonitor) throws IOException {
        this.requests = requests;
        this.events = events;
        this.allowedIfIndexes = Set.copyOf(allowedIfIndexes);
        this.publisher = publisher;
        this.publishMonitor = publishMonitor;
        this.wakeFd = Libc.eventfd();
        wakeValue.set(JAVA_LONG, 0, 1);
        reloadLinks();
    }

    // ---- called by other threads

    /** Data-path miss: queue the destination and wake the resolver; never blocks on I/O. */
    void requestFromDataPath(int dstV4) {
        synchronized (missQueue) {
            if (missTail - missHead == MISS_QUEUE_SIZE) return; // full: a later miss asks again
            missQueue[missTail++ & (MISS_QUEUE_SIZE - 1)] = dstV4;
        }
        wake();
    }

    /** Control-plane request: resolve now even if a recent failure is cached; failures carry {@code ticket}. */
    void requestForced(int dstV4, long ticket) {
        forcedRequests.add(new long[] {dstV4, ticket});
        wake();
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) Libc.writeIgnoringErrors(wakeFd, wakeValue, 8);
    }

    void stop() {
        running = false;
        wakePending.set(true);
        Libc.writeIgnoringErrors(wakeFd, wakeValue, 8);
    }

    void closeWakeFd() {
        Libc.close(wakeFd);
        arena.close();
    }

    // ---- the resolver thread

    @Override
    public void run() {
        pollFds.set(JAVA_INT, 0, events.fd());
        pollFds.set(JAVA_SHORT, 4, Libc.POLLIN);
        pollFds.set(JAVA_INT, 8, wakeFd);
        pollFds.set(JAVA_SHORT, 12, Libc.POLLIN);
        while (running) {
            pollFds.set(JAVA_SHORT, 6, (short) 0);
            pollFds.set(JAVA_SHORT, 14, (short) 0);
            Libc.poll(pollFds, 2, POLL_MILLIS, capture);
            if (!running) break;
            try {
                if (pollFds.get(JAVA_SHORT, 14) != 0) {
                    Libc.read(wakeFd, eventCounter, 8, capture);
                    wakePending.set(false); // before draining: a miss queued from now on rings again
                }
                drainEvents();
                drainRequests();
                if (routesChanged) revalidateRoutes();
                housekeeping(System.nanoTime());
            } catch (IOException | RuntimeException e) {
                // the loop must survive a bad answer; the affected destinations are retried by housekeeping
                LOOP_ERRORS.warn("next-hop resolution: {}", e.getMessage());
            }
            if (dirty) publish();
        }
    }

    private void drainEvents() throws IOException {
        while (true) {
            try {
                if (!events.receive(this::onEvent)) return;
            } catch (ErrnoException e) {
                if (e.errno() != Libc.ENOBUFS) throw e;
                // the kernel dropped events: everything we know may be stale
                reloadLinks();
                routesChanged = true;
                for (Resolution r : resolutions.values()) r.neighbour = 0;
            }
        }
    }

    private void onEvent(int type, MemorySegment buf, long payload, long end) throws IOException {
        switch (type) {
            case RtNetlink.RTM_NEWNEIGH, RtNetlink.RTM_DELNEIGH -> {
                if (buf.get(JAVA_BYTE, payload) != RtNetlink.AF_INET) return;
                int ifIndex = buf.get(JAVA_INT, payload + 4);
                int state = Short.toUnsignedInt(buf.get(JAVA_SHORT, payload + 8));
                RtAttributes a = events.attributes().parse(buf, payload + RtNetlink.NDMSG_LEN, end);
                onNeighbour(type == RtNetlink.RTM_DELNEIGH, ifIndex, a.ipv4(RtNetlink.NDA_DST, 0), state,
                        a.mac(RtNetlink.NDA_LLADDR));
            }
            case RtNetlink.RTM_NEWROUTE, RtNetlink.RTM_DELROUTE -> {
                if (buf.get(JAVA_BYTE, payload) == RtNetlink.AF_INET) routesChanged = true;
            }
            case RtNetlink.RTM_NEWLINK, RtNetlink.RTM_DELLINK -> {
                int ifIndex = buf.get(JAVA_INT, payload + 4);
                int flags = buf.get(JAVA_INT, payload + 8);
                RtAttributes a = events.attributes().parse(buf, payload + RtNetlink.IFINFOMSG_LEN, end);
                if (type == RtNetlink.RTM_DELLINK) links.remove(ifIndex);
                else links.put(ifIndex, new LinkInfo(a.string(RtNetlink.IFLA_IFNAME), a.mac(RtNetlink.IFLA_ADDRESS),
                        a.u32(RtNetlink.IFLA_MTU, 0), (flags & RtNetlink.IFF_UP) != 0));
                onLinkChanged(ifIndex);
            }
            default -> { }
        }
    }

    private void onNeighbour(boolean deleted, int ifIndex, int address, int state, long mac) throws IOException {
        boolean usable = !deleted && (state & RtNetlink.NUD_USABLE) != 0 && mac >= 0;
        boolean failed = !deleted && (state & RtNetlink.NUD_FAILED) != 0;
        boolean solicited = false;
        for (Resolution r : resolutions.values()) {
            if (r.ifIndex != ifIndex || r.neighbour != address || r.state == State.FAILED && !usable) continue;
            if (usable) {
                resolved(r, mac);
            } else if (failed) {
                fail(r, "neighbour " + Link.formatIpv4(address) + " did not answer ARP on " + linkName(ifIndex));
            } else if (deleted && !solicited) {
                // keep sending to the last known MAC while the kernel re-learns it; FAILED follows if it is gone
                Neighbours.solicit(requests, ifIndex, address);
                solicited = true;
            }
        }
    }

    private void onLinkChanged(int ifIndex) {
        LinkInfo link = links.get(ifIndex);
        for (Resolution r : resolutions.values()) {
            if (r.ifIndex != ifIndex || r.state == State.FAILED) continue;
            if (link == null || !link.up()) fail(r, "egress interface " + linkName(ifIndex) + " is down or gone");
            else if (r.state == State.RESOLVED) resolved(r, r.hop.dstMac());
        }
    }

    private void drainRequests() {
        while (true) {
            int dst;
            synchronized (missQueue) {
                if (missHead == missTail) break;
                dst = missQueue[missHead++ & (MISS_QUEUE_SIZE - 1)];
            }
            start(dst, 0, false);
        }
        long[] forced;
        while ((forced = forcedRequests.poll()) != null) start((int) forced[0], forced[1], true);
    }

    private void start(int dst, long ticket, boolean forced) {
        Resolution r = resolutions.get(dst);
        if (r != null) {
            r.ticket = Math.max(r.ticket, ticket);
            if (r.state != State.FAILED || !forced) return;
        } else {
            if (resolutions.size() >= MAX_DESTINATIONS) {
                failures.put(dst, new Failure("next-hop cache full (" + MAX_DESTINATIONS + " destinations)", ticket));
                notifyWaiters();
                return;
            }
            r = new Resolution(dst);
            r.ticket = ticket;
            resolutions.put(dst, r);
        }
        resolveRoute(r);
    }

    /** Looks up the route, then the neighbour; ends RESOLVED, RESOLVING (ARP sent) or FAILED. */
    private void resolveRoute(Resolution r) {
        dirty = true;
        try {
            Routes.Answer route = Routes.lookup(requests, r.dst, false);
            Routes.requireUnicast(r.dst, route);
            if (!allowedIfIndexes.isEmpty() && !allowedIfIndexes.contains(route.ifIndex())) {
                fail(r, "route to " + Link.formatIpv4(r.dst) + " leaves through " + linkName(route.ifIndex())
                        + ", not an interface jlvs manages");
                return;
            }
            r.ifIndex = route.ifIndex();
            r.gateway = route.gatewayV4();
            r.neighbour = route.gatewayV4() != 0 ? route.gatewayV4() : r.dst;
            r.source = route.prefSrcV4();
            r.routeMtu = route.mtu();
            Neighbours.Entry entry = Neighbours.get(requests, r.ifIndex, r.neighbour);
            if (entry != null && entry.usable()) {
                resolved(r, entry.mac());
            } else {
                r.state = State.RESOLVING;
                r.hop = null;
                r.attempts = 1;
                r.nextActionNanos = System.nanoTime() + RETRY_NANOS;
                Neighbours.solicit(requests, r.ifIndex, r.neighbour);
            }
        } catch (IOException e) {
            fail(r, e.getMessage());
        }
    }

    private void resolved(Resolution r, long mac) {
        LinkInfo link = links.get(r.ifIndex);
        if (link == null || !link.up()) {
            fail(r, "egress interface " + linkName(r.ifIndex) + " is down or gone");
            return;
        }
        int mtu = r.routeMtu > 0 ? r.routeMtu : link.mtu();
        NextHop hop = new NextHop(r.ifIndex, link.mac(), mac, mtu, r.source, r.gateway);
        if (r.state != State.RESOLVED) r.nextActionNanos = System.nanoTime() + REFRESH_NANOS;
        r.state = State.RESOLVED;
        failures.remove(r.dst);
        if (!hop.sameAs(r.hop)) {
            if (LOG.isDebugEnabled()) LOG.debug("next hop for {}: {}", Ipv4.toString(r.dst), hop);
            r.hop = hop;
            dirty = true;
        }
    }

    private void fail(Resolution r, String reason) {
        if (r.state != State.FAILED && LOG.isDebugEnabled()) LOG.debug("no next hop for {}: {}", Ipv4.toString(r.dst), reason);
        r.state = State.FAILED;
        r.hop = null;
        r.nextActionNanos = System.nanoTime() + NEGATIVE_CACHE_NANOS;
        failures.put(r.dst, new Failure(reason, r.ticket));
        dirty = true;
    }

    /** After route events: re-ask the route of every destination; only those whose next hop moved change. */
    private void revalidateRoutes() {
        routesChanged = false;
        for (Iterator<Resolution> it = resolutions.values().iterator(); it.hasNext(); ) {
            Resolution r = it.next();
            if (r.state == State.FAILED) {
                it.remove(); // retried on the next miss, under the new routes
                dirty = true;
                continue;
            }
            try {
                Routes.Answer route = Routes.lookup(requests, r.dst, false);
                int neighbour = route.gatewayV4() != 0 ? route.gatewayV4() : r.dst;
                if (route.type() == RtNetlink.RTN_UNICAST && route.ifIndex() == r.ifIndex && neighbour == r.neighbour) {
                    r.source = route.prefSrcV4();
                    r.routeMtu = route.mtu();
                    if (r.state == State.RESOLVED) resolved(r, r.hop.dstMac());
                    continue;
                }
            } catch (IOException e) {
                // no route any more: resolveRoute records why
            }
            resolveRoute(r);
        }
    }

    private void housekeeping(long now) throws IOException {
        for (Iterator<Resolution> it = resolutions.values().iterator(); it.hasNext(); ) {
            Resolution r = it.next();
            if (now - r.nextActionNanos < 0) continue;
            switch (r.state) {
                case RESOLVING -> {
                    if (r.attempts >= ARP_ATTEMPTS) {
                        fail(r, "neighbour " + Link.formatIpv4(r.neighbour) + " did not answer ARP on " + linkName(r.ifIndex)
                                + " (" + ARP_ATTEMPTS + " attempts)");
                    } else {
                        r.attempts++;
                        r.nextActionNanos = now + RETRY_NANOS;
                        Neighbours.solicit(requests, r.ifIndex, r.neighbour);
                    }
                }
                case RESOLVED -> {
                    r.nextActionNanos = now + REFRESH_NANOS;
                    Neighbours.solicit(requests, r.ifIndex, r.neighbour);
                }
                case FAILED -> {
                    it.remove();
                    failures.computeIfPresent(r.dst, (dst, f) -> f.ticket() == 0 ? null : f); // keep control-plane answers
                    dirty = true;
                }
            }
        }
    }

    private void publish() {
        dirty = false;
        Map<Integer, NextHop> entries = new HashMap<>(resolutions.size() * 2);
        for (Resolution r : resolutions.values()) entries.put(r.dst, r.state == State.RESOLVED ? r.hop : NextHop.UNRESOLVED);
        publisher.accept(new NextHopTable(entries));
        notifyWaiters();
    }

    private void notifyWaiters() {
        synchronized (publishMonitor) {
            publishMonitor.notifyAll();
        }
    }

    private void reloadLinks() throws IOException {
        links.clear();
        for (Link link : Links.all(requests)) links.put(link.ifIndex(), new LinkInfo(link.name(), link.mac(), link.mtu(), link.up()));
        dirty = true;
    }

    private String linkName(int ifIndex) {
        LinkInfo link = links.get(ifIndex);
        return link == null ? "ifindex " + ifIndex : link.name();
    }
}
