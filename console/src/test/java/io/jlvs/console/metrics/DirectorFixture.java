package io.jlvs.console.metrics;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.ClusterOperations;
import io.jlvs.control.FakeDirectorRuntime;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.VrrpStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A director without a daemon: two services of two real servers each with known counters, the health engine's
 * view of them, one VRRP instance and a data plane of two workers. Fields are open for tests to change.
 */
final class DirectorFixture {
    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo(0x0A00_0001), 80);
    static final ServiceKey DNS = v6Service(Protocol.UDP, "2001:db8::1", 53);
    static final long WEB1 = Addresses.mappedLo(0x0A00_0101);
    static final long WEB2 = Addresses.mappedLo(0x0A00_0102);
    static final long[] DNS1 = v6("2001:db8::2");
    static final long[] DNS2 = v6("2001:db8::3");

    final FakeDirectorRuntime runtime = new FakeDirectorRuntime();
    final AdmExecutor executor = new AdmExecutor(runtime);
    List<ServiceHealth> health = new ArrayList<>();
    List<VrrpStatus> vrrp = new ArrayList<>();
    RuntimeException statusFailure;
    final Telemetry telemetry = new Telemetry();

    DirectorFixture() {
        run("-A -t 10.0.0.1:80 -s wlc");
        run("-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 3");
        run("-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 0");
        run("-A -u [2001:db8::1]:53 -s rr");
        run("-a -u [2001:db8::1]:53 -r [2001:db8::2]:53 -g -w 1");
        run("-a -u [2001:db8::1]:53 -r [2001:db8::3]:53 -g -w 2");
        runtime.setServiceStats(WEB, new ServiceStats(12, 80, 64, 6100, 54000, 2, 13, 11, 1016, 9000));
        runtime.setServiceStats(DNS, new ServiceStats(7, 7, 7, 420, 1100, 0, 0, 0, 0, 0));
        runtime.setServerStats(WEB, 0, WEB1, 80,
                new RealServerStats(8, 50, 40, 4000, 36000, 1, 5, 4, 339, 3000, 3, 1, 0));
        runtime.setServerStats(WEB, 0, WEB2, 80,
                new RealServerStats(4, 30, 24, 2100, 18000, 0, 0, 0, 0, 0, 0, 2, 0));
        runtime.setServerStats(DNS, DNS1[0], DNS1[1], 53,
                new RealServerStats(5, 5, 5, 300, 800, 0, 0, 0, 0, 0, 0, 5, 0));
        // DNS2 has no statistics yet: the runtime answers null, the listing zeros.
        health.add(new ServiceHealth(WEB, "10.0.0.1 80", 2, 0, 3, true, false, List.of(
                server(0, WEB1, 80, ServerState.UP, 3, false),
                server(0, WEB2, 80, ServerState.UP, 0, true))));
        health.add(new ServiceHealth(DNS, "", 1, 0, 0, false, false, List.of(
                server(DNS1[0], DNS1[1], 53, ServerState.DOWN, 1, false),
                server(DNS2[0], DNS2[1], 53, ServerState.UNCHECKED, 2, false))));
        vrrp.add(new VrrpStatus("VI_1", "", "eth0", 51, 3, "MASTER", 100, 110, "10.0.0.2", "priority", 1L, 42, 7, 1,
                "10.0.0.1"));
        executor.setOperations(operations());
    }

    /** The health engine's answers: health and vrrp, or statusFailure when set. */
    ClusterOperations operations() {
        return new Operations();
    }

    /** Runs a jlvsadm command line against the fake runtime and fails when it is refused. */
    void run(String line) {
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int code = executor.execute(line.split(" "), out, err);
        if (code != 0) throw new AssertionError("`" + line + "` exited " + code + ": " + err);
    }

    DirectorMetrics metrics() {
        return new DirectorMetrics(executor, telemetry);
    }

    private static ServerHealth server(long hi, long lo, int port, ServerState state, int weight, boolean drained) {
        return new ServerHealth(hi, lo, port, state, 1L, weight, drained ? 0 : weight, drained, "", "", 0, 0, 0, 0, 0);
    }

    static long[] v6(String address) {
        long[] out = new long[2];
        if (!Addresses.parseV6(address, out)) throw new IllegalArgumentException(address);
        return out;
    }

    private static ServiceKey v6Service(Protocol protocol, String address, int port) {
        long[] a = v6(address);
        return ServiceKey.of(protocol, a[0], a[1], port);
    }

    /** The health engine's answers, or a failure when statusFailure is set. */
    private final class Operations implements ClusterOperations {
        @Override
        public List<ServiceHealth> status() {
            if (statusFailure != null) throw statusFailure;
            return health;
        }

        @Override
        public List<VrrpStatus> vrrpStatus() { return vrrp; }

        @Override
        public void drain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
            throw AdmException.refused("not in this fixture");
        }

        @Override
        public void undrain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
            throw AdmException.refused("not in this fixture");
        }

        @Override
        public List<String> reload() throws AdmException {
            throw AdmException.refused("not in this fixture");
        }
    }

    /** Two workers, three drop reasons and a table of 40 entries out of 1,048,576; workersFailure breaks a read. */
    static final class Telemetry implements DataPlaneTelemetry {
        RuntimeException workersFailure;
        long noServiceDrops = 17;

        @Override public long tableEntries() { return 40; }

        @Override public long tableCapacity() { return 1 << 20; }

        @Override
        public void forEachDrop(DropVisitor visitor) {
            visitor.drop("no_service", noServiceDrops);
            visitor.drop("standby", 0);
            visitor.drop("ttl_expired", 3);
        }

        @Override
        public void forEachImport(ImportVisitor visitor) {
            visitor.imported("created", 12);
            visitor.imported("stale", 2);
        }

        @Override
        public List<WorkerCounters> workers() {
            if (workersFailure != null) throw workersFailure;
            return List.of(new WorkerCounters(0, 1000, 990, 2, 1), new WorkerCounters(1, 2000, 1980, 0, 0,
                    java.util.Map.of("rx_ring_full", 7L, "rx_fill_ring_empty_descs", 3L)));
        }
    }
}
