package io.jlvs.console.metrics;

import io.jlvs.control.AdmException;
import io.jlvs.control.DirectorRuntime;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.Timeouts;
import java.util.function.Consumer;

/** A runtime whose counters cannot be read: every listing with statistics fails. The rest is the delegate's. */
final class UnreadableStatsRuntime implements DirectorRuntime {
    private final DirectorRuntime delegate;

    UnreadableStatsRuntime(DirectorRuntime delegate) {
        this.delegate = delegate;
    }

    @Override public ServiceStats serviceStats(ServiceKey key) { throw new IllegalStateException("stats unreadable"); }

    @Override
    public RealServerStats realServerStats(ServiceKey key, long addrHi, long addrLo, int port) {
        throw new IllegalStateException("stats unreadable");
    }

    @Override public IpvsConfig config() { return delegate.config(); }

    @Override public void apply(IpvsConfig next) throws AdmException { delegate.apply(next); }

    @Override public int connectionTableSize() { return delegate.connectionTableSize(); }

    @Override public void zeroStats(ServiceKey keyOrNull) { delegate.zeroStats(keyOrNull); }

    @Override public void forEachConnection(Consumer<ConnectionRow> visitor) { delegate.forEachConnection(visitor); }

    @Override public Timeouts timeouts() { return delegate.timeouts(); }

    @Override public void setTimeouts(Timeouts update) { delegate.setTimeouts(update); }

    @Override public int sysctl(IpvsSysctl sysctl) { return delegate.sysctl(sysctl); }

    @Override public void setSysctl(IpvsSysctl sysctl, int value) throws AdmException { delegate.setSysctl(sysctl, value); }

    @Override public ForwardMethod defaultForwardMethod() { return delegate.defaultForwardMethod(); }
}
