package io.jlvs.announce;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A routing daemon whose BGP sessions are asked for at most once per time to live: `jlvs status` (and the console,
 * which polls it) reads the last answer, or the last failure, while it is younger than the TTL, so that many calls
 * cost one birdc. Callers that arrive while the answer is being fetched wait for it instead of asking too. A
 * reconfiguration passes through and forgets the answer (the sessions may change with it).
 */
public final class SessionCache implements RoutingDaemon {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(1);

    private final RoutingDaemon daemon;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private List<String> sessions;
    private IOException failure;
    private long fetchedAt;
    private boolean fresh;

    public SessionCache(RoutingDaemon daemon, Duration ttl) {
        this(daemon, ttl, System::nanoTime);
    }

    SessionCache(RoutingDaemon daemon, Duration ttl, LongSupplier nanoClock) {
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("TTL must be positive: " + ttl);
        this.daemon = daemon;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public String name() { return daemon.name(); }

    @Override
    public void reconfigure() throws IOException {
        try {
            daemon.reconfigure();
        } finally {
            forget();
        }
    }

    @Override
    public synchronized List<String> sessions() throws IOException {
        long now = nanoClock.getAsLong();
        if (!fresh || now - fetchedAt >= ttlNanos) {
            try {
                sessions = daemon.sessions();
                failure = null;
            } catch (IOException e) {
                sessions = null;
                failure = e;
            }
            fetchedAt = now;
            fresh = true;
        }
        if (failure != null) throw failure;
        return sessions;
    }

    private synchronized void forget() {
        fresh = false;
    }
}
