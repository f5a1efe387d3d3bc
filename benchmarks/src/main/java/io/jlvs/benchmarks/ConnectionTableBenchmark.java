package io.jlvs.benchmarks;

import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Tcp;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Connection table costs on the forwarding path: a lookup that hits among 1 M connections and copies the entry
 * into the worker's view (plus the per-packet refresh), and a create that the expirer later frees (steady-state
 * churn). The key and the view are reused, as a worker reuses them.
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
    private final ConnectionParam key = new ConnectionParam();
    private final ConnectionView entry = new ConnectionView();

    private static long client(int i) { return 0x0000_FFFF_0A00_0000L | (i >>> 4); }
    private static int port(int i) { return 1024 + (i & 0xF); }

    /** The key of connection i, as a client packet's (the real endpoint is used by create only). */
    private ConnectionParam key(int i, int clientPort) {
        return key.protocol(Ipv4.PROTO_TCP).client(0, client(i), clientPort).virtual(0, VIP, 80).real(0, REAL, 8080)
                .binding(1, 1, 0);
    }

    @Setup
    public void setup() {
        table = new ConnectionTable(CONNECTIONS, ConnectionEvents.NONE);
        for (int i = 0; i < CONNECTIONS; i++) {
            long h = table.create(key(i, port(i)), 0);
            table.onPacket(h, ConnectionTable.DIR_INPUT, Tcp.SYN, 0);
        }
        churnTable = new ConnectionTable(CONNECTIONS, ConnectionEvents.NONE);
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
        long h = table.lookup(key(i, port(i)), ConnectionTable.DIR_INPUT, entry);
        table.onPacket(h, ConnectionTable.DIR_INPUT, Tcp.ACK, 0);
        return h + entry.destId();
    }

    @Benchmark
    public long lookupMiss() {
        int i = (next = (next + 0x9E3779B1) & (CONNECTIONS - 1));
        return table.lookup(key(i, port(i) + 100), ConnectionTable.DIR_INPUT, entry);
    }

    /** Create + SYN, with one expire pass every 64 Ki creates (2 s of table time) that frees the NONE/SYN_RECV ones. */
    @Benchmark
    public long createAndExpire() {
        int i = churnCreated++;
        long h = churnTable.create(key(i, port(i)), churnClock);
        if ((i & 0xFFFF) == 0xFFFF) {
            churnClock += 61 * SECOND;
            churnTable.expire(churnClock, Integer.MAX_VALUE);
        }
        return h;
    }
}
