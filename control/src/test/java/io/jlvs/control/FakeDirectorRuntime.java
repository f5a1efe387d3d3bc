package io.jlvs.control;

import io.jlvs.control.model.ConnectionRow;

import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.Timeouts;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.ServiceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A DirectorRuntime that keeps everything in memory; tests set stats, connections and refusals directly. */
public final class FakeDirectorRuntime implements DirectorRuntime {
    IpvsConfig config = IpvsConfig.empty();
    int applyCount;
    String refuseWith;                       // when set, apply() refuses with this message
    int tableSize = 4096;
    ForwardMethod defaultMethod = ForwardMethod.ROUTE;
    final Map<ServiceKey, ServiceStats> serviceStats = new HashMap<>();
    final Map<List<Object>, RealServerStats> serverStats = new HashMap<>();
    final List<Object[]> connections = new ArrayList<>();
    /** When > 0, forEachConnection generates this many synthetic rows instead of the list. */
    public int syntheticConnections;
    Timeouts timeouts = new Timeouts(900, 120, 300);
    final Map<IpvsSysctl, Integer> sysctls = new EnumMap<>(IpvsSysctl.class);
    ServiceKey zeroed;
    boolean zeroCalled;

    public FakeDirectorRuntime() {
        for (IpvsSysctl s : IpvsSysctl.values()) sysctls.put(s, s.defaultValue());
    }

    @Override public IpvsConfig config() { return config; }

    @Override
    public void apply(IpvsConfig next) throws AdmException {
        if (refuseWith != null) throw AdmException.refused(refuseWith);
        config = next;
        applyCount++;
    }

    @Override public int connectionTableSize() { return tableSize; }

    @Override public ServiceStats serviceStats(ServiceKey key) { return serviceStats.get(key); }

    @Override
    public RealServerStats realServerStats(ServiceKey key, long hi, long lo, int port) {
        return serverStats.get(List.of(key, hi, lo, port));
    }

    /** The statistics serviceStats answers for key (null: all zero). */
    public void setServiceStats(ServiceKey key, ServiceStats s) {
        serviceStats.put(key, s);
    }

    /** The statistics realServerStats answers for that server of key (null: all zero). */
    public void setServerStats(ServiceKey key, long hi, long lo, int port, RealServerStats s) {
        serverStats.put(List.of(key, hi, lo, port), s);
    }

    @Override
    public void zeroStats(ServiceKey keyOrNull) {
        zeroCalled = true;
        zeroed = keyOrNull;
    }

    @Override
    public void forEachConnection(Consumer<ConnectionRow> visitor) {
        if (syntheticConnections > 0) {
            long v = 0x0000_FFFF_CFAF_2C6EL;   // 207.175.44.110
            for (int i = 0; i < syntheticConnections; i++) {
                visitor.accept(new ConnectionRow("TCP", "ESTABLISHED", i % 900, 0, 0x0000_FFFF_0A00_0000L | (i & 0xFFFF),
                        1024 + (i % 60000), 0, v, 80, 0, 0x0000_FFFF_C0A8_0A01L, 80));
            }
            return;
        }
        for (Object[] c : connections) {
            // c[12], c[13]: the persistence engine and its data of a template that has them
            visitor.accept(new ConnectionRow((String) c[0], (String) c[1], (Integer) c[2], (Long) c[3], (Long) c[4],
                    (Integer) c[5], (Long) c[6], (Long) c[7], (Integer) c[8], (Long) c[9], (Long) c[10], (Integer) c[11],
                    c.length > 12 ? (String) c[12] : null, c.length > 12 ? (String) c[13] : null));
        }
    }

    @Override public Timeouts timeouts() { return timeouts; }

    @Override
    public void setTimeouts(Timeouts update) {
        timeouts = timeouts.merge(update);
    }

    @Override public int sysctl(IpvsSysctl sysctl) { return sysctls.get(sysctl); }

    @Override
    public void setSysctl(IpvsSysctl sysctl, int value) throws AdmException {
        if (!sysctl.allows(value)) throw new IllegalArgumentException(sysctl + " " + value);
        int threshold = sysctl == IpvsSysctl.SYNC_THRESHOLD ? value : sysctls.get(IpvsSysctl.SYNC_THRESHOLD);
        int period = sysctl == IpvsSysctl.SYNC_PERIOD ? value : sysctls.get(IpvsSysctl.SYNC_PERIOD);
        String problem = IpvsSysctl.syncPairProblem(threshold, period);
        if (problem != null) throw AdmException.refused(problem);
        sysctls.put(sysctl, value);
    }

    @Override public ForwardMethod defaultForwardMethod() { return defaultMethod; }
}
