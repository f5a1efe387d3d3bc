package io.jlvs.health.engine;

import io.jlvs.control.AdmException;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.health.check.CheckerFactory;
import io.jlvs.health.config.KeepalivedConfig;
import io.jlvs.health.script.ScriptRunner;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Turns a keepalived.conf's virtual servers into services and keeps their real servers in line with their
 * health checks: retry, alpha and omega, inhibit_on_failure, dynamic weights, quorum with hysteresis and the
 * sorry server, notify scripts, flap damping, the maintenance directory, drains, and reloads that change only
 * the difference. All its state is confined to loop (one thread); public methods may be called from any thread.
 */
public final class HealthEngine implements AutoCloseable {

    public HealthEngine(DesiredState state, CheckerFactory checkers, ScriptRunner scripts,
                        ScheduledExecutorService loop, HealthOptions options) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Applies a configuration: the first one at start, later ones as a reload (only the difference changes). */
    public void load(KeepalivedConfig config) throws AdmException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Every service in force (the configuration's and jlvsadm's) with its servers' health. */
    public List<ServiceHealth> status() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Sets the server's weight to 0 and remembers the weight it had; it stays drained across reloads. */
    public void drain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Restores the weight a drained server had. */
    public void undrain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Stops every check; with omega, runs notify_down and quorum_down as keepalived does at shutdown. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not built yet");
    }
}
