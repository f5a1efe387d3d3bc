package io.jlvs.control;

import io.jlvs.control.model.ConnectionRow;

import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.Timeouts;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.ServiceKey;
import java.util.function.Consumer;

/**
 * What the control plane needs from the running director. The daemon implements it; tests use a fake.
 * Calls that change state come from one thread at a time (the executor serialises them).
 */
public interface DirectorRuntime {
    /** The desired state currently applied. */
    IpvsConfig config();

    /**
     * Applies a new desired state: the runtime diffs it against {@link #config()} (see ConfigDiff) and changes only
     * the difference. It may refuse (for example a DR server not on a connected network) by throwing an
     * AdmException whose message is printed to the operator; the previous state then stays in force.
     */
    void apply(IpvsConfig next) throws AdmException;

    /** Size of the connection table hash, shown as "(size=N)" in the listing header. */
    int connectionTableSize();

    /** Statistics of a service; null means all zero. */
    ServiceStats serviceStats(ServiceKey key);

    /** Statistics and connection counts of a real server of a service; null means all zero. */
    RealServerStats realServerStats(ServiceKey key, long addrHi, long addrLo, int port);

    /** Zeroes the counters of one service and its servers, or of everything when key is null. */
    void zeroStats(ServiceKey keyOrNull);

    /** Visits every connection entry and persistence template, one row at a time; must not build a list of all rows. */
    void forEachConnection(Consumer<ConnectionRow> visitor);

    Timeouts timeouts();

    /** ipvsadm --set: applies {@link Timeouts#merge} of the update to the current timeouts. */
    void setTimeouts(Timeouts update);

    /** Current value of an IPVS sysctl. */
    int sysctl(IpvsSysctl sysctl);

    /**
     * Sets an IPVS sysctl to a value its table entry allows (the parser checked it).
     *
     * @throws AdmException when the value does not fit the others (sync_threshold at or above sync_period)
     */
    void setSysctl(IpvsSysctl sysctl, int value) throws AdmException;

    /** Forwarding method for -a/-e without -g/-i/-m (the daemon's --mode; ipvsadm's own default is ROUTE). */
    ForwardMethod defaultForwardMethod();
}
