package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.ClusterOperations;
import io.jlvs.control.StatusTable;
import io.jlvs.control.model.ConfigDiff;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.DirectorRuntime;
import io.jlvs.health.check.NettyCheckers;
import io.jlvs.health.config.ConfigException;
import io.jlvs.health.config.ConfigMessage;
import io.jlvs.health.config.KeepalivedConfig;
import io.jlvs.health.config.KeepalivedParser;
import io.jlvs.health.engine.DesiredState;
import io.jlvs.health.engine.HealthEngine;
import io.jlvs.health.engine.HealthOptions;
import io.jlvs.health.script.ProcessScriptRunner;
import io.jlvs.health.script.ScriptRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The daemon's health checks: reads the keepalived.conf given with --config, runs the checkers on a Netty event
 * loop and the engine on a thread of its own, changes the desired state through
 * the same serialised path as jlvsadm, and answers status, drain and reload. Without --config it still answers
 * status and drain for the services jlvsadm made.
 */
final class HealthSupervisor implements ClusterOperations, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthSupervisor.class);

    private final Path configFile;
    private final AdmExecutor executor;
    private final DirectorRuntime runtime;
    private final ProcessScriptRunner scripts;
    private final NettyCheckers checkers;
    private final ScheduledExecutorService loop;
    private final HealthEngine engine;
    private final Object reloadLock = new Object();
    /** The configuration the daemon started with: its VRRP part stays in force until a restart. */
    private KeepalivedConfig started;

    /** The checkers, for the layer-7 servers' checks. */
    NettyCheckers checkers() { return checkers; }

    /** The engine's thread, on which the layer-7 servers' checks run too. */
    ScheduledExecutorService loop() { return loop; }

    /** The runner of keepalived's scripts (global_defs' script_user applies), shared with VRRP. */
    ScriptRunner scripts() { return scripts; }

    /** Reads and checks configFile (null: none); a file with errors is a ConfigException and nothing starts. */
    static KeepalivedConfig read(Path configFile) throws ConfigException {
        if (configFile == null) return KeepalivedParser.empty();
        KeepalivedConfig config = KeepalivedParser.parse(configFile);
        for (ConfigMessage w : config.warnings()) LOG.warn("{}", w);
        return config;
    }

    /** scriptUser: global_defs' script_user at start (null: root), the user scripts without their own run as. */
    HealthSupervisor(Path configFile, Path maintenanceDir, String scriptUser, AdmExecutor executor,
                     DirectorRuntime runtime) {
        this.configFile = configFile;
        this.executor = executor;
        this.runtime = runtime;
        this.scripts = new ProcessScriptRunner(scriptUser);
        this.checkers = new NettyCheckers(scripts);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jlvs-health");
            t.setDaemon(true);
            return t;
        });
        DesiredState state = new DesiredState() {
            public IpvsConfig current() { return executor.config(); }

            public IpvsConfig change(UnaryOperator<IpvsConfig> edit) throws AdmException { return executor.change(edit); }
        };
        this.engine = new HealthEngine(state, checkers, scripts, loop,
                new HealthOptions(maintenanceDir, Clock.systemUTC()));
    }

    /** Creates the configuration's services and starts their checks. */
    void start(KeepalivedConfig config) throws AdmException {
        started = config;
        engine.load(config);
        if (configFile != null) {
            LOG.info("health checks of {} virtual server(s) from {}", config.virtualServers().size(), configFile);
        }
    }

    @Override
    public List<ServiceHealth> status() {
        List<ServiceHealth> out = new ArrayList<>();
        for (ServiceHealth s : engine.status()) {
            List<ServerHealth> servers = new ArrayList<>(s.servers().size());
            for (ServerHealth r : s.servers()) {
                RealServerStats st = runtime.realServerStats(s.key(), r.addrHi(), r.addrLo(), r.port());
                servers.add(st == null ? r : r.withConnections(st.activeConns(), st.inactiveConns()));
            }
            out.add(new ServiceHealth(s.key(), s.virtualServer(), s.quorum(), s.hysteresis(), s.liveWeight(),
                    s.quorumHeld(), s.sorryActive(), servers));
        }
        return out;
    }

    @Override
    public void drain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        engine.drain(service, addrHi, addrLo, port);
        LOG.info("{} real server {} drained", StatusTable.serviceName(service), StatusTable.endpoint(addrHi, addrLo, port));
    }

    @Override
    public void undrain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        engine.undrain(service, addrHi, addrLo, port);
        LOG.info("{} real server {} undrained", StatusTable.serviceName(service),
                StatusTable.endpoint(addrHi, addrLo, port));
    }

    /** SIGHUP and `jlvs reload`: a bad file is refused as a whole, each error logged, the old configuration kept. */
    @Override
    public List<String> reload() throws AdmException {
        if (configFile == null) {
            LOG.warn("reload asked, but jlvs was started without --config: nothing to reload");
            throw AdmException.refused("jlvs was started without --config: nothing to reload");
        }
        synchronized (reloadLock) {
            KeepalivedConfig next;
            try {
                next = KeepalivedParser.parse(configFile);
            } catch (ConfigException e) {
                List<String> lines = new ArrayList<>();
                for (ConfigMessage m : e.errors()) {
                    LOG.error("reload refused: {}", m);
                    lines.add(m.toString());
                }
                throw AdmException.refused(String.join("\n", lines)
                        + "\nreload refused: the running configuration is unchanged");
            }
            for (ConfigMessage w : next.warnings()) LOG.warn("{}", w);
            IpvsConfig before = executor.config();
            try {
                engine.load(next);
            } catch (AdmException e) {
                LOG.error("reload refused: {}", e.getMessage());
                throw AdmException.refused(e.getMessage() + "\nreload refused: the running configuration is unchanged");
            }
            List<String> changes = new ArrayList<>(describe(ConfigDiff.between(before, executor.config())));
            if (started != null && vrrpChanged(started, next)) {
                String vrrp = "VRRP and lvs_sync_daemon: the changes take effect at the next start; the running "
                        + "instances are unchanged";
                LOG.warn("reload: {}", vrrp);
                changes.add(vrrp);
            }
            LOG.info("reloaded {}: {}", configFile, changes.isEmpty() ? "no change to the services" : String.join("; ", changes));
            return changes.isEmpty() ? List.of("reloaded " + configFile + ": no change to the services") : changes;
        }
    }

    /** Whether the VRRP part differs, where it is written aside. */
    private static boolean vrrpChanged(KeepalivedConfig a, KeepalivedConfig b) {
        return !a.vrrp().equals(b.vrrp()) || !withoutSources(a).equals(withoutSources(b));
    }

    private static List<Object> withoutSources(KeepalivedConfig c) {
        List<Object> parts = new ArrayList<>();
        c.vrrpInstances().forEach(i -> parts.add(List.of(i.name(), i.interfaceName(), i.virtualRouterId(),
                i.priority(), i.advertIntervalCentis(), i.version(), i.virtualAddresses(), i.excludedAddresses(),
                i.nopreempt(), i.preemptDelaySeconds(), String.valueOf(i.unicastSourceIp()), i.unicastPeers(),
                String.valueOf(i.authPass()), i.trackInterfaces(), i.trackScripts(), i.notifyScripts(),
                i.initialMaster())));
        c.vrrpScripts().forEach(s -> parts.add(List.of(s.name(), s.script(), s.intervalSeconds(), s.timeoutSeconds(),
                s.weight(), s.rise(), s.fall())));
        c.vrrpSyncGroups().forEach(g -> parts.add(List.of(g.name(), g.instances(), g.notifyScripts())));
        return parts;
    }

    /** One line per change, for the operator. */
    static List<String> describe(ConfigDiff diff) {
        List<String> lines = new ArrayList<>();
        for (var s : diff.addedServices()) lines.add("service " + StatusTable.serviceName(s.key()) + " added");
        for (var k : diff.removedServices()) lines.add("service " + StatusTable.serviceName(k) + " removed");
        for (var s : diff.changedServices())
            lines.add("service " + StatusTable.serviceName(s.key()) + " changed (scheduler " + s.scheduler() + ")");
        for (var c : diff.serverChanges()) {
            lines.add("server " + StatusTable.endpoint(c.server().addrHi(), c.server().addrLo(), c.server().port())
                    + " of " + StatusTable.serviceName(c.service()) + " " + c.kind().name().toLowerCase()
                    + (c.kind() == ConfigDiff.Kind.REMOVED ? "" : " (weight " + c.server().weight() + ")"));
        }
        return lines;
    }

    @Override
    public void close() {
        try {
            engine.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping the health checks: {}", e.getMessage());
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkers.close();
        scripts.close();
    }
}
