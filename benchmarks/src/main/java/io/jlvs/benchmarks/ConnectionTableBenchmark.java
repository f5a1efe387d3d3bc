package io.jlvs.benchmarks;

import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.TcpState;
import io.jlvs.connections.Timeouts;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Connection table costs on the forwarding path: a lookup that hits among 1 M connections (plus the
 * per-packet refresh), and a create that the expirer later frees (steady-state churn).
 * Run: java -cp 'tools/target/jlvs-tools.jar:tools/target/lib/*' org.openjdk.jmh.Main ConnectionTableBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ConnectionTableBenchmark {
    private static final int CONNECTIONS = 1 << 20;
    private static final long SECOND = 1_000_000_000L;
    private static final long VIP = 0x0000_FFFF_CFAF_2C6EL, REAL = 0x0000_FFFF_AC10_0002L;

    private ConnectionTable table;
    private ConnectionTable churnTable;
    private int next;
    private long churnClock = 1000 * SECOND;
    private int churnCreated;

    private static long client(int i) { return 0x0000_FFFF_0A00_0000L | (i >>> 4); }
    private static int port(int i) { return 1024 + (i & 0xF); }

    @Setup
    public void setup() {
        table = new ConnectionTable(CONNECTIONS, ConnectionEvents.NONE, Timeouts.DEFAULTS);
        for (int i = 0; i < CONNECTIONS; i++) {
            long h = table.create(ConnectionTable.PROTO_TCP, 0, client(i), port(i), 0, VIP, 80, 0, REAL, 8080, 1, 1, 0, 0);
            table.onPacket(h, ConnectionTable.DIR_INPUT, TcpState.FLAG_SYN, 0);
        }
        churnTable = new ConnectionTable(CONNECTIONS, ConnectionEvents.NONE, Timeouts.DEFAULTS);
    }

    @TearDown
    public void tearDown() {
        table.close();
        churnTable.close();
    }

    /** Scattered keys: each lookup walks a different bucket, as with real traffic (cache misses included). */
    @Benchmark
    public long lookupHitAndRefresh() {
        int i = (next = (next + 0x9E3779B1) & (CONNECTIONS - 1));
        long h = table.lookupInbound(ConnectionTable.PROTO_TCP, 0, client(i), port(i), 0, VIP, 80);
        table.onPacket(h, ConnectionTable.DIR_INPUT, TcpState.FLAG_ACK, 0);
        return h;
    }

    @Benchmark
    public long lookupMiss() {
        int i = (next = (next + 0x9E3779B1) & (CONNECTIONS - 1));
        return table.lookupInbound(ConnectionTable.PROTO_TCP, 0, client(i), port(i) + 100, 0, VIP, 80);
    }

    /** Create + SYN, with one expire pass every 64 Ki creates (2 s of table time) that frees the NONE/SYN_RECV ones. */
    @Benchmark
    public long createAndExpire() {
        int i = churnCreated++;
        long h = churnTable.create(ConnectionTable.PROTO_TCP, 0, client(i), port(i), 0, VIP, 80, 0, REAL, 8080, 1, 1, 0, churnClock);
        if ((i & 0xFFFF) == 0xFFFF) {
            churnClock += 61 * SECOND;
            churnTable.expire(churnClock, Integer.MAX_VALUE);
        }
        return h;
    }
}
