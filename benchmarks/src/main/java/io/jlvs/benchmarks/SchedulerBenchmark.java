package io.jlvs.benchmarks;

import io.jlvs.packets.FlowDescription;
import io.jlvs.schedulers.Destination;
import io.jlvs.schedulers.DestinationIds;
import io.jlvs.schedulers.Scheduler;
import io.jlvs.schedulers.SchedulerRegistry;
import io.jlvs.schedulers.ServerSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One scheduling decision per call, for every scheduler with 10 and 1000 servers. Servers carry random weights
 * (1..100) and connection counts so that the least-connection scans do real comparisons; flows rotate over 1024
 * clients and 256 destinations (lblc/lblcr caches are warm after the warm-up). Run with -prof gc: the target is
 * 0 B/op for every scheduler.
 *
 * <p>{@link #schedule} leaves the counts alone (steady state: lc/wlc/sed answer from their cached block winners);
 * {@link #scheduleWithChurn} changes two servers' counts after every decision, as real traffic does: the chosen
 * server gains an active connection and a server taken in turn loses one, so every decision finds changed blocks.
 *
 * <pre>java -cp "tools/target/jlvs-tools.jar:tools/target/lib/*" org.openjdk.jmh.Main SchedulerBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerBenchmark {
    @Param({"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "lblc", "lblcr", "dh", "sh", "mh", "twos"})
    public String scheduler;

    @Param({"10", "1000"})
    public int servers;

    private ServerSet set;
    private Destination[] all;
    private Scheduler bound;
    private int leaving;
    private final FlowDescription flow = new FlowDescription();
    private int sequence;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        List<Destination> list = new ArrayList<>();
        DestinationIds ids = new DestinationIds();
        for (int i = 0; i < servers; i++) {
            Destination s = new Destination(ids, 0, FlowDescription.mappedLo(0xAC100000 + i + 1), 80, 1 + random.nextInt(100));
            s.addActive(random.nextInt(50));
            s.addInactive(random.nextInt(500));
            list.add(s);
        }
        set = ServerSet.of(list);
        all = list.toArray(new Destination[0]);
        leaving = 0;
        bound = SchedulerRegistry.create(scheduler, Set.of("flag-1"), Map.of()).withServers(set);
        flow.reset();
        flow.ipVersion = 4;
        flow.protocol = 6;
        flow.srcPort = 40000;
        flow.dstPort = 80;
    }

    @Benchmark
    public Destination schedule() {
        int i = sequence++;
        flow.srcLo = FlowDescription.mappedLo(0x0A000000 + (i & 1023));
        flow.dstLo = FlowDescription.mappedLo(0xC6336400 + ((i >>> 2) & 255));
        return bound.schedule(set, flow);
    }

    @Benchmark
    public Destination scheduleWithChurn() {
        Destination chosen = schedule();
        if (chosen != null) chosen.addConnections(1, 0);
        Destination done = all[leaving];
        if (++leaving == all.length) leaving = 0;
        if (done.activeConns() > 0) done.addConnections(-1, 0);
        return chosen;
    }
}
