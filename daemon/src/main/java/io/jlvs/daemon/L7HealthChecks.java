package io.jlvs.daemon;

import io.jlvs.control.l7.L7Check;
import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Endpoint;
import io.jlvs.control.l7.L7Health;
import io.jlvs.control.l7.L7Server;
import io.jlvs.control.l7.L7Service;
import io.jlvs.health.check.CheckResult;
import io.jlvs.health.check.CheckerFactory;
import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.engine.ServerWatch;
import io.jlvs.layer7.L7Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The health checks of the layer-7 servers: one {@link ServerWatch} per server of each started service whose
 * check is not none, on the health module's checkers and its engine's thread, each change of a server's state put
 * into the running routes ({@link L7Runtime#serverHealth}). {@link #follow} makes the watches those of a new
 * config: a new server or service starts being checked, a deleted or stopped one stops (its checker closed, its
 * server up again), a changed check starts afresh. The watches are created, closed and heard on loop only.
 */
final class L7HealthChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(L7HealthChecks.class);
    /** The first checks of new servers are spread over this, so that a large -f does not connect all at once. */
    private static final long FIRST_CHECK_SPREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final CheckerFactory checkers;
    private final ScheduledExecutorService loop;
    private final L7Runtime runtime;
    private final Function<L7Endpoint, InetSocketAddress> addresses;
    /** Written on loop only; read by health() from the control threads. */
    private final Map<Key, ServerWatch> watches = new ConcurrentHashMap<>();

    /** A watched server: its service, its endpoint, and the check it runs (another check is another watch). */
    private record Key(String ident, L7Endpoint server, L7Check check) {}

    L7HealthChecks(CheckerFactory checkers, ScheduledExecutorService loop, L7Runtime runtime,
                   Function<L7Endpoint, InetSocketAddress> addresses) {
        this.checkers = checkers;
        this.loop = loop;
        this.runtime = runtime;
        this.addresses = addresses;
    }

    /** Makes the watches those of config's started services; returns once they are (at most a few seconds). */
    void follow(L7Config config) {
        Map<Key, L7Service> wanted = new HashMap<>();
        for (L7Service s : config.services()) {
            if (!s.started() || !s.options().check().active()) continue;
            for (L7Server server : s.servers()) wanted.put(new Key(s.ident(), server.endpoint(), s.options().check()), s);
        }
        try {
            loop.submit(() -> reconcile(wanted)).get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("layer-7 health checks not changed: the health checks are stopping");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("layer-7 health checks not changed: {}", e.toString());
        }
    }

    private void reconcile(Map<Key, L7Service> wanted) {
        for (Key key : new ArrayList<>(watches.keySet())) {
            if (wanted.containsKey(key)) continue;
            watches.remove(key).close();
            runtime.serverHealth(key.ident(), addresses.apply(key.server()), true);
        }
        for (Key key : wanted.keySet()) {
            if (watches.containsKey(key)) continue;
            InetSocketAddress address = addresses.apply(key.server());
            CheckerSpec spec = L7CheckSpecs.of(key.ident(), key.check());
            ServerWatch watch = new ServerWatch(spec, checkers.create(spec, address), loop,
                    (up, cause) -> changed(key, address, up, cause));
            watches.put(key, watch);
            watch.start(ThreadLocalRandom.current().nextLong(FIRST_CHECK_SPREAD_NANOS));
        }
    }

    private void changed(Key key, InetSocketAddress address, boolean up, CheckResult cause) {
        if (up) LOG.info("layer-7 service {}: server {} up ({})", key.ident(), key.server(), cause.reason());
        else LOG.warn("layer-7 service {}: server {} down: {}", key.ident(), key.server(), cause.reason());
        runtime.serverHealth(key.ident(), address, up);
    }

    /** Each server's state as its checks say: unchecked when the service is stopped or its check is none. */
    L7Health health(L7Service service) {
        List<L7Health.ServerState> states = new ArrayList<>(service.servers().size());
        for (L7Server server : service.servers()) {
            ServerWatch w = watches.get(new Key(service.ident(), server.endpoint(), service.options().check()));
            states.add(w == null ? L7Health.ServerState.UNCHECKED
                    : w.up() ? L7Health.ServerState.UP : L7Health.ServerState.DOWN);
        }
        return new L7Health(states);
    }

    /** How many servers are under check now. */
    int watched() { return watches.size(); }

    /** Stops every check. */
    @Override
    public void close() {
        follow(L7Config.EMPTY);
    }
}
