package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.ClusterOperations;
import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.VrrpStatus;

import java.util.List;

/**
 * What `jlvs status`, drain, undrain and reload reach (the health engine, and VRRP's state when it runs), and
 * jlvsadm's sync daemon commands.
 */
record DirectorOperations(ClusterOperations health, FailoverSupervisor failover, SyncDaemons sync)
        implements ClusterOperations {
    @Override
    public List<ServiceHealth> status() { return health.status(); }

    @Override
    public List<VrrpStatus> vrrpStatus() { return failover == null ? List.of() : failover.status(); }

    @Override
    public void drain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        health.drain(service, addrHi, addrLo, port);
    }

    @Override
    public void undrain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
        health.undrain(service, addrHi, addrLo, port);
    }

    @Override
    public List<String> reload() throws AdmException { return health.reload(); }

    @Override
    public void startSyncDaemon(AdmCommand.StartDaemon settings) throws AdmException { sync.start(settings); }

    @Override
    public void stopSyncDaemon(String state) throws AdmException { sync.stop(state); }

    @Override
    public List<ControlReply.SyncDaemonRow> syncDaemons() { return sync.rows(); }
}
