package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.VrrpStatus;

import java.util.List;
import java.util.Optional;

/**
 * The operations of `jlvs` beside ipvsadm's language: the health of every service, draining a server, reloading
 * the configuration file. The daemon's health engine implements them.
 */
public interface ClusterOperations {
    /** Every service in force with its servers' health. */
    List<ServiceHealth> status();

    /** Every VRRP instance with its state; none without VRRP. */
    default List<VrrpStatus> vrrpStatus() { return List.of(); }

    /** The director's BGP announcement of its VIPs; empty when it announces none (no --bgp). */
    default Optional<BgpStatus> bgpStatus() { return Optional.empty(); }

    /** Lines `jlvs status` prints about the data plane (the XDP fast path when it runs); none by default. */
    default List<String> dataPlaneStatus() { return List.of(); }

    /**
     * `jlvs director drain` (true) and `undrain` (false): every VIP withdrawn from BGP while drained, so the router
     * sends this director no new flows while the connections it has continue. Returns once the routing daemon has
     * the new announcement.
     */
    default void drainDirector(boolean drain) throws AdmException {
        throw AdmException.refused("this jlvs announces no VIPs (start it with --bgp)");
    }

    /** ipvsadm --start-daemon: a connection sync daemon in the given role (one master and one backup at most). */
    default void startSyncDaemon(AdmCommand.StartDaemon settings) throws AdmException {
        throw AdmException.refused("this jlvs runs without connection synchronization");
    }

    /** ipvsadm --stop-daemon: the daemon of that role (null: both). */
    default void stopSyncDaemon(String state) throws AdmException {
        throw AdmException.refused("No daemon is running");
    }

    /** ipvsadm -L --daemon: the sync daemons running. */
    default List<ControlReply.SyncDaemonRow> syncDaemons() { return List.of(); }

    /** Weight 0 for the server, remembering the weight it had. */
    void drain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException;

    /** The weight a drained server had, back. */
    void undrain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException;

    /**
     * Re-reads the configuration file and applies the difference. Returns what changed, a line per change; a file
     * with errors is refused as a whole (every error in the message, one per line) and the old one stays.
     */
    List<String> reload() throws AdmException;

    /** A director without health checks: status lists nothing, the rest is refused. */
    ClusterOperations NONE = new ClusterOperations() {
        public List<ServiceHealth> status() { return List.of(); }

        public void drain(ServiceKey s, long hi, long lo, int p) throws AdmException { throw unavailable(); }

        public void undrain(ServiceKey s, long hi, long lo, int p) throws AdmException { throw unavailable(); }

        public List<String> reload() throws AdmException { throw unavailable(); }

        private AdmException unavailable() {
            return AdmException.refused("this jlvs runs without the health engine");
        }
    };
}
