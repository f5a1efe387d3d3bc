package io.jlvs.health.engine;

import io.jlvs.control.AdmException;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.health.check.CheckResult;
import io.jlvs.health.check.CheckerFactory;
import io.jlvs.health.config.CheckerSpec;
import io.jlvs.health.config.FlapPolicy;
import io.jlvs.health.config.KeepalivedConfig;
import io.jlvs.health.config.RealServer;
import io.jlvs.health.config.Script;
import io.jlvs.health.config.VirtualServer;
import io.jlvs.health.script.ScriptRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a keepalived.conf's virtual servers into services and keeps their real servers in line with their
 * health checks: retry, alpha and omega, inhibit_on_failure, dynamic weights, quorum with hysteresis and the
 * sorry server, notify scripts, flap damping, the maintenance directory, drains, and reloads that change only
 * the difference. All its state is confined to loop (one thread); public methods may be called from any thread.
 */
public final class HealthEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthEngine.class);
    /**
     * The first checks of a (re)load are spread over this (or over warmup), so that thousands of servers do not
     * all connect in the same instant while the director is busy starting.
     */
    private static final long FIRST_CHECK_SPREAD_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final DesiredState state;
    private final CheckerFactory checkers;
    private final ScriptRunner scripts;
    private final ScheduledExecutorService loop;
    private final HealthOptions options;
    private final Map<String, VirtualServerRun> virtualServers = new LinkedHashMap<>();
    private final Map<ServiceKey, VirtualServerRun> byService = new HashMap<>();
    /** Drained servers of services the configuration does not own (jlvsadm's), with the weight they had. */
    private final Map<ServiceKey, Map<Endpoint, Integer>> adminDrains = new HashMap<>();
    private final List<TransitionListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Virtual servers whose services changed and are not yet applied: one change applies them all. */
    private final Set<VirtualServerRun> unapplied = new java.util.LinkedHashSet<>();
    private boolean applyQueued;
    private FlapPolicy flap = FlapPolicy.OFF;
    private volatile Thread loopThread;
    private boolean closed;

    /** Told of every state change of a real server (for benchmarks and tests); called on the engine's thread. */
    @FunctionalInterface
    public interface TransitionListener {
        void onTransition(String virtualServer, String realServer, ServerState from, ServerState to, long atMillis);
    }

    public HealthEngine(DesiredState state, CheckerFactory checkers, ScriptRunner scripts,
                        ScheduledExecutorService loop, HealthOptions options) {
        this.state = state;
        this.checkers = checkers;
        this.scripts = scripts;
        this.loop = loop;
        this.options = options;
        loop.execute(() -> loopThread = Thread.currentThread());
        if (options.maintenanceDir() != null) {
            loop.scheduleWithFixedDelay(this::pollMaintenance, 1, 1, TimeUnit.SECONDS);
        }
    }

    public void addListener(TransitionListener listener) {
        listeners.add(listener);
    }

    /** Applies a configuration: the first one at start, later ones as a reload (only the difference changes). */
    public void load(KeepalivedConfig config) throws AdmException {
        onLoop(() -> {
            doLoad(config);
            return null;
        });
    }

    /** Every service in force (the configuration's and jlvsadm's) with its servers' health. */
    public List<ServiceHealth> status() {
        try {
            return onLoop(this::doStatus);
        } catch (AdmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the server's weight to 0 and remembers the weight it had; it stays drained across reloads. */
    public void drain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        onLoop(() -> {
            setDrained(service, new Endpoint(addrHi, addrLo, port), true);
            return null;
        });
    }

    /** Restores the weight a drained server had. */
    public void undrain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        onLoop(() -> {
            setDrained(service, new Endpoint(addrHi, addrLo, port), false);
            return null;
        });
    }

    /** Stops every check; with omega, runs notify_down and quorum_down as keepalived does at shutdown. */
    @Override
    public void close() {
        List<CompletableFuture<?>> omega;
        try {
            omega = onLoop(this::doClose);
        } catch (AdmException | RuntimeException e) {
            LOG.warn("stopping the health checks: {}", e.getMessage());
            return;
        }
        try {
            CompletableFuture.allOf(omega.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("omega scripts did not all finish within 5 s");
        }
    }

    // ---- loading and reloading

    private void doLoad(KeepalivedConfig config) throws AdmException {
        long now = options.clock().millis();
        Map<String, VirtualServerRun> next = new LinkedHashMap<>();
        List<CheckerRun> created = new ArrayList<>();
        Set<CheckerRun> carried = new HashSet<>();
        try {
            for (VirtualServer def : config.virtualServers()) {
                VirtualServerRun old = virtualServers.get(def.name());
                VirtualServerRun vs = new VirtualServerRun(def);
                for (RealServer rs : def.realServers()) {
                    ServerRun prev = old == null ? null : old.servers.get(Endpoint.of(rs.config()));
                    vs.servers.put(Endpoint.of(rs.config()), serverFor(def, rs, prev, now, created, carried));
                }
                if (old != null) vs.quorumHeld = old.quorumHeld;
                vs.updateQuorum();
                next.put(def.name(), vs);
            }
            Set<ServiceKey> removed = new HashSet<>(byService.keySet());
            for (VirtualServerRun vs : next.values()) removed.removeAll(vs.keys());
            state.change(current -> ServiceEdit.apply(current, next.values(), removed));
        } catch (AdmException | RuntimeException e) {
            for (CheckerRun c : created) c.stop(true);
            throw e;
        }
        // Committed: retire what the new state no longer runs, then start the new runs.
        unapplied.clear();
        for (VirtualServerRun old : virtualServers.values()) {
            for (ServerRun s : old.servers.values()) {
                for (CheckerRun c : s.checkers) c.stop(!carried.contains(c));
                if (s.holdRelease != null) s.holdRelease.cancel(false);
            }
        }
        virtualServers.clear();
        virtualServers.putAll(next);
        byService.clear();
        for (VirtualServerRun vs : next.values()) {
            for (ServiceKey k : vs.keys()) {
                byService.put(k, vs);
                adminDrains.remove(k); // the configuration owns the service now
            }
        }
        flap = config.global().flap();
        for (VirtualServerRun vs : next.values()) {
            for (ServerRun s : vs.servers.values()) {
                if (s.state == ServerState.HELD) scheduleHoldRelease(vs, s, s.heldUntilMillis - now);
                for (CheckerRun c : s.checkers) schedule(vs, s, c, firstDelay(c));
            }
        }
    }

    /**
     * The run of one real server in the new configuration: a new server starts as alpha says; a server that
     * stays keeps its health state, and its checkers where their specification did not change.
     */
    private ServerRun serverFor(VirtualServer def, RealServer rs, ServerRun prev, long now, List<CheckerRun> created,
                                Set<CheckerRun> carried) {
        boolean startDown = def.alpha() && !rs.checkers().isEmpty();
        ServerRun s = new ServerRun(rs, startDown ? ServerState.DOWN : ServerState.UP, now);
        if (prev != null) s.carryStateFrom(prev);
        if (prev != null && prev.def.checkers().equals(rs.checkers())) {
            for (CheckerRun c : prev.checkers) {
                s.checkers.add(c.carriedOver());
                carried.add(c);
            }
            return s;
        }
        boolean passing = prev != null ? prev.up() || prev.checksPass() : !startDown;
        for (CheckerSpec spec : rs.checkers()) {
            CheckerRun c = new CheckerRun(spec, checkers.create(spec, s.endpoint.socketAddress()), passing);
            created.add(c);
            s.checkers.add(c);
        }
        return s;
    }

    private static long firstDelay(CheckerRun c) {
        long warmup = c.timing().warmup().toNanos();
        long spread = warmup > 0 ? warmup : FIRST_CHECK_SPREAD_NANOS;
        return spread <= 0 ? 0 : ThreadLocalRandom.current().nextLong(spread);
    }

    // ---- checking

    private void schedule(VirtualServerRun vs, ServerRun s, CheckerRun c, long delayNanos) {
        if (closed || c.stopped) return;
        c.next = loop.schedule(() -> startCheck(vs, s, c), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void startCheck(VirtualServerRun vs, ServerRun s, CheckerRun c) {
        if (closed || c.stopped) return;
        c.start(loop, r -> onResult(vs, s, c, r));
    }

    private void onResult(VirtualServerRun vs, ServerRun s, CheckerRun c, CheckResult r) {
        if (closed || c.stopped) return;
        long now = options.clock().millis();
        long delay = c.record(r, now);
        s.lastChecker = c.checker.describe();
        s.lastResult = r;
        s.lastCheckMillis = now;
        boolean weightChanged = false;
        if (r.up() && r.dynamicWeight() >= 0 && r.dynamicWeight() != s.dynamicWeight) {
            s.dynamicWeight = r.dynamicWeight();
            weightChanged = true;
        }
        if (!r.up() && c.timing().logAllFailures()) {
            LOG.info("virtual_server {}: real server {} check failed: {}: {} ({})", vs.name(), s.endpoint,
                    s.lastChecker, r.reason(), millis(r.elapsedNanos()));
        }
        s.inMaintenance = inMaintenance(s);
        evaluate(vs, s, c, now, weightChanged);
        schedule(vs, s, c, delay);
    }

    /** Moves the server to the state its checks, the maintenance directory and flap damping say, and applies it. */
    private void evaluate(VirtualServerRun vs, ServerRun s, CheckerRun cause, long now, boolean weightChanged) {
        ServerState target = s.inMaintenance ? ServerState.MAINTENANCE
                : s.heldUntilMillis > now ? ServerState.HELD
                : s.checksPass() ? ServerState.UP : ServerState.DOWN;
        if (target == s.state) {
            if (weightChanged && s.up()) {
                LOG.info("virtual_server {}: real server {} weight {} from {}: {}", vs.name(), s.endpoint,
                        s.upWeight(), s.lastChecker, s.lastResult.reason());
                afterChange(vs);
            }
            return;
        }
        if ((target == ServerState.UP || target == ServerState.DOWN)
                && (s.state == ServerState.UP || s.state == ServerState.DOWN)) {
            long holdEnd = s.flap.onChange(flap, now);
            if (holdEnd > 0) {
                s.heldUntilMillis = holdEnd;
                target = ServerState.HELD;
                scheduleHoldRelease(vs, s, holdEnd - now);
            }
        }
        transition(vs, s, cause, target, now);
        afterChange(vs);
    }

    private void transition(VirtualServerRun vs, ServerRun s, CheckerRun cause, ServerState target, long now) {
        ServerState from = s.state;
        boolean wasUp = s.up();
        s.state = target;
        s.sinceMillis = now;
        String why = switch (target) {
            case MAINTENANCE -> "maintenance file in " + options.maintenanceDir();
            case HELD -> "held until " + java.time.Instant.ofEpochMilli(s.heldUntilMillis)
                    + ": changed state more than " + flap.maxChanges() + " times in " + flap.window().toSeconds() + " s";
            default -> cause == null || cause.last == null ? "checks pass"
                    : cause.checker.describe() + ": " + cause.last.reason() + " (" + millis(cause.last.elapsedNanos())
                    + (target == ServerState.DOWN ? ", " + cause.consecutiveFailures + " failure"
                    + (cause.consecutiveFailures == 1 ? "" : "s") : "") + ")";
        };
        LOG.info("virtual_server {}: real server {} {}: {}", vs.name(), s.endpoint, target, why);
        if (wasUp && !s.up()) runScript(s.def.notifyDown(), "notify_down of " + s.endpoint);
        if (!wasUp && s.up()) runScript(s.def.notifyUp(), "notify_up of " + s.endpoint);
        for (TransitionListener l : listeners) l.onTransition(vs.name(), s.endpoint.toString(), from, target, now);
    }

    /** After a server's weight or state changed: the quorum, then the services of its virtual server. */
    private void afterChange(VirtualServerRun vs) {
        int quorum = vs.updateQuorum();
        if (quorum < 0) {
            LOG.warn("virtual_server {}: quorum lost (live weight {} below {} - {}){}", vs.name(), vs.liveWeight(),
                    vs.def.quorum(), vs.def.hysteresis(), vs.def.sorryServer() == null ? ""
                            : ": sorry server " + Endpoint.of(vs.def.sorryServer()) + " serves");
            runScript(vs.def.quorumDown(), "quorum_down of " + vs.name());
        } else if (quorum > 0) {
            LOG.info("virtual_server {}: quorum regained (live weight {})", vs.name(), vs.liveWeight());
            runScript(vs.def.quorumUp(), "quorum_up of " + vs.name());
        }
        unapplied.add(vs);
        if (!applyQueued) {
            applyQueued = true;
            loop.execute(this::applyUnapplied);
        }
    }

    /**
     * Applies every virtual server changed since the last apply in one change of the desired state. The apply runs
     * after the check results already waiting on the loop, so a burst of transitions (a switch failing under a
     * thousand servers) costs one change of the director, not one each.
     */
    private void applyUnapplied() {
        applyQueued = false;
        if (closed || unapplied.isEmpty()) return;
        List<VirtualServerRun> changed = new ArrayList<>();
        for (VirtualServerRun vs : unapplied) if (virtualServers.get(vs.name()) == vs) changed.add(vs);
        unapplied.clear();
        try {
            state.change(current -> ServiceEdit.apply(current, changed, List.of()));
        } catch (AdmException | RuntimeException e) {
            LOG.warn("the director refused the health checks' change of {} virtual server(s): {}", changed.size(),
                    e.getMessage());
        }
    }

    private void scheduleHoldRelease(VirtualServerRun vs, ServerRun s, long delayMillis) {
        if (s.holdRelease != null) s.holdRelease.cancel(false);
        s.holdRelease = loop.schedule(() -> {
            if (closed || virtualServers.get(vs.name()) != vs) return;
            s.heldUntilMillis = 0;
            evaluate(vs, s, null, options.clock().millis(), false);
        }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    // ---- the maintenance directory

    private boolean inMaintenance(ServerRun s) {
        if (options.maintenanceDir() == null) return false;
        return Files.exists(options.maintenanceDir().resolve(s.endpoint.toString()))
                || Files.exists(options.maintenanceDir().resolve(s.endpoint.address()));
    }

    private void pollMaintenance() {
        if (closed) return;
        long now = options.clock().millis();
        for (VirtualServerRun vs : virtualServers.values()) {
            for (ServerRun s : vs.servers.values()) {
                boolean m = inMaintenance(s);
                if (m != s.inMaintenance) {
                    s.inMaintenance = m;
                    evaluate(vs, s, null, now, false);
                }
            }
        }
    }

    // ---- drain

    private void setDrained(ServiceKey key, Endpoint ep, boolean drain) throws AdmException {
        VirtualServerRun vs = byService.get(key);
        if (vs != null) {
            ServerRun s = vs.servers.get(ep);
            if (s == null) throw AdmException.refused("No such destination");
            if (s.drained == drain) return;
            boolean quorumBefore = vs.quorumHeld;
            s.drained = drain;
            vs.updateQuorum();
            try {
                state.change(current -> ServiceEdit.apply(current, List.of(vs), List.of()));
            } catch (AdmException | RuntimeException e) {
                s.drained = !drain;
                vs.quorumHeld = quorumBefore;
                throw e;
            }
            return;
        }
        IpvsConfig current = state.current();
        if (!current.hasService(key)) throw AdmException.refused("No such service");
        RealServerConfig rs = current.realServer(key, ep.hi(), ep.lo(), ep.port())
                .orElseThrow(() -> AdmException.refused("No such destination"));
        Map<Endpoint, Integer> drained = adminDrains.computeIfAbsent(key, k -> new HashMap<>());
        if (drain == drained.containsKey(ep)) return;
        int weight = drain ? 0 : drained.get(ep);
        state.change(c -> c.realServer(key, ep.hi(), ep.lo(), ep.port())
                .map(r -> c.withRealServer(key, r.withWeight(weight))).orElse(c));
        if (drain) drained.put(ep, rs.weight());
        else drained.remove(ep);
    }

    // ---- status

    private List<ServiceHealth> doStatus() {
        IpvsConfig current = state.current();
        long now = options.clock().millis();
        List<ServiceHealth> out = new ArrayList<>();
        for (IpvsConfig.ServiceEntry e : current.entries()) {
            ServiceKey key = e.service().key();
            Map<Endpoint, Integer> inForce = new LinkedHashMap<>();
            for (RealServerConfig rs : e.realServers()) inForce.put(Endpoint.of(rs), rs.weight());
            List<ServerHealth> rows = new ArrayList<>();
            VirtualServerRun vs = byService.get(key);
            if (vs != null) {
                for (ServerRun s : vs.servers.values()) {
                    Integer w = inForce.remove(s.endpoint);
                    rows.add(s.health(w == null ? -1 : w));
                }
            }
            Map<Endpoint, Integer> drained = adminDrains.getOrDefault(key, Map.of());
            for (Map.Entry<Endpoint, Integer> r : inForce.entrySet()) {
                Endpoint ep = r.getKey();
                Integer before = drained.get(ep);
                rows.add(new ServerHealth(ep.hi(), ep.lo(), ep.port(), ServerState.UNCHECKED, 0,
                        before != null ? before : r.getValue(), r.getValue(), before != null, "", "", 0, 0, 0, 0, 0));
            }
            if (vs != null) {
                out.add(new ServiceHealth(key, vs.name(), vs.def.quorum(), vs.def.hysteresis(), vs.liveWeight(),
                        vs.quorumHeld, vs.sorryActive(), rows));
            } else {
                int live = 0;
                for (RealServerConfig rs : e.realServers()) live += rs.weight();
                out.add(new ServiceHealth(key, "", 0, 0, live, true, false, rows));
            }
        }
        return out;
    }

    // ---- stop

    private List<CompletableFuture<?>> doClose() {
        if (closed) return List.of();
        closed = true;
        List<CompletableFuture<?>> omega = new ArrayList<>();
        for (VirtualServerRun vs : virtualServers.values()) {
            for (ServerRun s : vs.servers.values()) {
                for (CheckerRun c : s.checkers) c.stop(true);
                if (s.holdRelease != null) s.holdRelease.cancel(false);
                if (vs.def.omega() && s.up()) omega.add(runScript(s.def.notifyDown(), "notify_down of " + s.endpoint));
            }
            if (vs.def.omega()) omega.add(runScript(vs.def.quorumDown(), "quorum_down of " + vs.name()));
        }
        return omega;
    }

    // ---- helpers

    private CompletableFuture<?> runScript(Script script, String what) {
        if (script == null) return CompletableFuture.completedFuture(null);
        return scripts.run(script, List.of(), null).whenComplete((outcome, error) -> {
            if (error != null) LOG.warn("{} ({}) failed: {}", what, script.commandLine(), error.toString());
            else if (outcome.error() != null) LOG.warn("{} ({}) did not run: {}", what, script.commandLine(), outcome.error());
            else if (outcome.exitCode() != 0) LOG.warn("{} ({}) exited {}", what, script.commandLine(), outcome.exitCode());
        });
    }

    private static String millis(long nanos) {
        return nanos < 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : (nanos / 1_000_000) + " ms";
    }

    /** Runs task on the engine's thread and returns its result; AdmExceptions reach the caller as they are. */
    private <T> T onLoop(Callable<T> task) throws AdmException {
        try {
            if (Thread.currentThread() == loopThread) return task.call();
            Future<T> f = loop.submit(task);
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AdmException a) throw a;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (AdmException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the health engine", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the health engine did not answer within 30 s", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
