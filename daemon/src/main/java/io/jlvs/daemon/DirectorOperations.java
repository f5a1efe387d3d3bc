package io.jlvs.daemon;

import io.jlvs.control.AdmException;
import io.jlvs.control.ClusterOperations;
import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.VrrpStatus;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What `jlvs status`, drain, undrain and reload reach (the health engine, VRRP's state when it runs, the BGP
 * announcement with `jlvs director drain` when it runs, the data plane's lines), and jlvsadm's sync daemon commands.
 */
record DirectorOperations(ClusterOperations health, FailoverSupervisor failover, SyncDaemons sync,
                          BgpAnnouncement bgp, Supplier<List<String>> dataPlane) implements ClusterOperations {
    @Override
    public List<ServiceHealth> status() { return health.status(); }

    @Override
    public List<VrrpStatus> vrrpStatus() { return failover == null ? List.of() : failover.status(); }

    @Override
    public List<String> dataPlaneStatus() { return dataPlane.get(); }

    @Override
    public Optional<BgpStatus> bgpStatus() { return bgp == null ? Optional.empty() : Optional.of(bgp.status()); }

    @Override
    public void drainDirector(boolean drain) throws AdmException {
        if (bgp == null) ClusterOperations.super.drainDirector(drain);
        else bgp.drain(drain);
    }

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
