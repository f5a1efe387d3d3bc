package io.jlvs.benchmarks;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.metrics.DirectorMetrics;
import io.jlvs.control.AdmException;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.ClusterOperations;
import io.jlvs.control.FakeDirectorRuntime;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.IpvsConfigBuilder;
import io.jlvs.control.model.Protocol;
import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.RealServerStats;
import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.model.ServiceStats;
import io.jlvs.control.model.VrrpStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One GET /metrics of a director with many services: the listing request, the families built from it and the
 * data plane's counters, written in the Prometheus text format ({@link #text}) or OpenMetrics ({@link #openMetrics}),
 * on the benchmark's thread and a helper thread, as the daemon scrapes (or on the benchmark's thread alone, with
 * helper false).
 * Every service has its own servers, each with non-zero counters, and is under health checks (unless health is
 * false); two VRRP instances; the data plane has 4 workers and 40 drop reasons.
 * The target is under 50 ms for 1,000 services of 10 servers; sample mode gives the median. Run it with the
 * daemon's collector (bin/jlvs-common.sh starts the daemon with the parallel GC):
 *
 * <pre>java -cp "benchmarks/target/jlvs-benchmarks.jar:benchmarks/target/lib/*" org.openjdk.jmh.Main MetricsScrapeBenchmark \
 *      -jvmArgsAppend -XX:+UseParallelGC</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MetricsScrapeBenchmark {
    @Param({"1000"})
    public int services;

    @Param({"10"})
    public int serversPerService;

    /** With the health engine's status (jlvs_real_server_up, jlvs_service_quorum_held) and VRRP, or without. */
    @Param({"true"})
    public boolean health;

    /** With a helper thread writing half of the scrape, as the daemon's, or on the benchmark's thread alone. */
    @Param({"true"})
    public boolean helper;

    private DirectorMetrics metrics;
    private ExecutorService helperThread;

    @Setup
    public void setUp() throws AdmException {
        FakeDirectorRuntime runtime = new FakeDirectorRuntime();
        Random random = new Random(42);
        IpvsConfigBuilder config = new IpvsConfigBuilder();
        for (int i = 0; i < services; i++) {
            ServiceKey key = ServiceKey.of(Protocol.TCP, 0, Addresses.mappedLo(0x0A00_0000 + i + 1), 80);
            config.putService(ServiceConfig.of(key, "wlc"));
            runtime.setServiceStats(key, new ServiceStats(random.nextInt(1_000_000), random.nextInt(1 << 30),
                    random.nextInt(1 << 30), random.nextLong(1L << 40), random.nextLong(1L << 40), 0, 0, 0, 0, 0));
            for (int j = 0; j < serversPerService; j++) {
                long server = Addresses.mappedLo(0x0A01_0000 + i * serversPerService + j + 1);
                config.putRealServer(key, RealServerConfig.of(0, server, 8080, ForwardMethod.MASQ, 1 + j));
                runtime.setServerStats(key, 0, server, 8080, new RealServerStats(random.nextInt(100_000),
                        random.nextInt(1 << 28), random.nextInt(1 << 28), random.nextLong(1L << 38),
                        random.nextLong(1L << 38), 0, 0, 0, 0, 0, random.nextInt(500), random.nextInt(2000), 0));
            }
        }
        AdmExecutor executor = new AdmExecutor(runtime);
        executor.change(c -> config.build());
        if (health) executor.setOperations(new HealthEngine(status(executor.config())));
        if (helper) {
            helperThread = Executors.newSingleThreadExecutor();
            metrics = new DirectorMetrics(executor, new Telemetry(), helperThread);
        } else {
            metrics = new DirectorMetrics(executor, new Telemetry());
        }
    }

    @TearDown
    public void tearDown() {
        if (helperThread != null) helperThread.shutdownNow();
    }

    /** Every service under health checks with a quorum, one server in ten down. */
    private static List<ServiceHealth> status(IpvsConfig config) {
        List<ServiceHealth> services = new ArrayList<>();
        for (IpvsConfig.ServiceEntry e : config.entries()) {
            List<ServerHealth> servers = new ArrayList<>();
            int n = 0;
            for (RealServerConfig d : e.realServers()) {
                ServerState state = n++ % 10 == 9 ? ServerState.DOWN : ServerState.UP;
                servers.add(new ServerHealth(d.addrHi(), d.addrLo(), d.port(), state, 1L, d.weight(), d.weight(),
                        false, "TCP_CHECK", "connected", 1L, 1000, 0, 0, 0));
            }
            services.add(new ServiceHealth(e.service().key(), "", 1, 0, 1, true, false, servers));
        }
        return services;
    }

    /** Returns the bytes written. */
    @Benchmark
    public int text() throws IOException {
        return scrape(null);
    }

    /** Returns the bytes written. */
    @Benchmark
    public int openMetrics() throws IOException {
        return scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
    }

    private int scrape(String accept) throws IOException {
        return metrics.scrape(accept).length;
    }

    /** The health engine's status: the services' health and two VRRP instances. */
    private record HealthEngine(List<ServiceHealth> status) implements ClusterOperations {
        @Override
        public List<VrrpStatus> vrrpStatus() {
            return List.of(new VrrpStatus("VI_1", "", "eth0", 51, 3, "MASTER", 100, 100, "", "", 1L, 1000, 0, 0, ""),
                    new VrrpStatus("VI_2", "", "eth1", 52, 3, "BACKUP", 90, 90, "", "", 1L, 0, 1000, 0, ""));
        }

        @Override
        public void drain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
            throw AdmException.refused("not in this benchmark");
        }

        @Override
        public void undrain(ServiceKey service, long addrHi, long addrLo, int port) throws AdmException {
            throw AdmException.refused("not in this benchmark");
        }

        @Override
        public List<String> reload() throws AdmException {
            throw AdmException.refused("not in this benchmark");
        }
    }

    /** A data plane of 4 workers and 40 drop reasons, with fixed counters. */
    private static final class Telemetry implements DataPlaneTelemetry {
        private final List<String> reasons = new ArrayList<>();

        Telemetry() {
            for (int i = 0; i < 40; i++) reasons.add("reason_" + i);
        }

        @Override public long tableEntries() { return 123_456; }

        @Override public long tableCapacity() { return 1 << 20; }

        @Override
        public void forEachDrop(DropVisitor visitor) {
            for (int i = 0; i < reasons.size(); i++) visitor.drop(reasons.get(i), 1000L * i);
        }

        @Override
        public List<WorkerCounters> workers() {
            List<WorkerCounters> workers = new ArrayList<>(4);
            for (int w = 0; w < 4; w++) workers.add(new WorkerCounters(w, 1_000_000L * w, 990_000L * w, w, w));
            return workers;
        }
    }
}
