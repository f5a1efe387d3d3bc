package io.jlvs.benchmarks;

import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.NatRewrite;
import io.jlvs.packets.PacketBuilder;
import io.jlvs.packets.PacketParser;
import io.jlvs.packets.ParseStatus;
import io.jlvs.packets.Tcp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import java.lang.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/**
 * The per-packet work of the NAT data plane on one core: parse an Ethernet/IPv4/TCP frame that sits in native
 * memory (as in a TPACKET ring) and rewrite its destination address and port with incremental IPv4 and TCP
 * checksum updates. Each call alternates between two real servers so every call really changes the bytes.
 * Frame sizes: 64 bytes (minimum frame) and 1514 bytes (1500-byte IP packet). Target: at most 25 ns per packet
 * and 0 B/op with -prof gc. {@code parseAndNatRewriteBlock} does it frame after frame over a block, as the worker
 * does; {@code parseAndNatRewrite} one frame per call from JMH's loop; {@code parseOnly*} give the parser's share.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp "tools/target/jlvs-tools.jar:tools/target/lib/*" \
 *     org.openjdk.jmh.Main PacketRewrite -prof gc -f 1 -wi 3 -i 5 -w 1 -r 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PacketRewriteBenchmark {
    /** Where the frame sits in the ring block: not at 0, like a TPACKET_V3 frame after its header. */
    private static final long FRAME_OFFSET = 96;
    private static final int REAL_A = Ipv4.parse("172.16.0.2");
    private static final int REAL_B = Ipv4.parse("172.16.0.3");

    @Param({"64", "1514"})
    public int frameBytes;

    /**
     * Frames in the simulated ring: each call handles the next one, as a worker walks a TPACKET block, rather than
     * re-parsing the frame it has just rewritten.
     */
    private static final int FRAMES = 32;
    private static final int SLOT = 2048;

    private Arena arena;
    private MemorySegment ring;
    private int next;
    private final FlowDescription flow = new FlowDescription();

    @Setup(Level.Trial)
    public void setUp() {
        int payload = frameBytes - 14 - 20 - 20;
        byte[] frame = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02")
                .ipv4("10.0.0.2", "10.0.0.100").ttl(64).tcp(40000, 80).flags(Tcp.ACK).payload(payload).build();
        if (frame.length != frameBytes) throw new IllegalStateException("frame is " + frame.length + " bytes");
        arena = Arena.ofShared();
        // The forwarder maps its rings with global scope (no per-access liveness check); do the same here.
        long bytes = (long) FRAMES * SLOT;
        ring = MemorySegment.ofAddress(arena.allocate(bytes, 64).address()).reinterpret(bytes);
        for (int i = 0; i < FRAMES; i++) {
            MemorySegment.copy(frame, 0, ring, ValueLayout.JAVA_BYTE, (long) i * SLOT + FRAME_OFFSET, frame.length);
            if (PacketParser.parse(ring, (long) i * SLOT + FRAME_OFFSET, frameBytes, flow) != ParseStatus.OK) {
                throw new IllegalStateException("benchmark frame does not parse");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    // Each benchmark method is compiled on its own (DONT_INLINE) and called by JMH's loop. Inlined, JMH's stub
    // (a do-while) has C2 parse the method twice, and FFM accesses are hundreds of IR nodes each: the second copy
    // hits C2's NodeCountInliningCutoff and parse and rewrite become out-of-line calls, a cost of the harness that
    // the worker's loop does not have (about a quarter more per call).

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int parseAndNatRewrite() {
        long at = nextFrame();
        PacketParser.parse(ring, at, frameBytes, flow);
        int target = flow.dstV4() == REAL_A ? REAL_B : REAL_A;
        NatRewrite.setIpv4Destination(ring, flow, target, 8080, false);
        return flow.dstPort;
    }

    /**
     * The same work over a whole simulated block, frame after frame, as the worker walks a TPACKET block: the
     * figure is per packet, without a call into and out of JMH around each one. (The loop body is written out, not
     * shared with parseAndNatRewrite through a helper: C2 sometimes compiles such a helper on its own first, and
     * then does not inline it, being "already compiled into a big method", which adds a call per frame.)
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int parseAndNatRewriteBlock() {
        int sum = 0;
        for (int i = 0; i < FRAMES; i++) {
            PacketParser.parse(ring, (long) i * SLOT + FRAME_OFFSET, frameBytes, flow);
            int target = flow.dstV4() == REAL_A ? REAL_B : REAL_A;
            NatRewrite.setIpv4Destination(ring, flow, target, 8080, false);
            sum += flow.dstPort;
        }
        return sum;
    }

    /** Where the frame for this call starts; each call takes the next one. (Small: C2 always inlines it.) */
    private long nextFrame() {
        long at = (long) next * SLOT + FRAME_OFFSET;
        next = (next + 1) & (FRAMES - 1);
        return at;
    }

    /** What JMH's loop and the call cost without any packet work: subtract it from the per-call figures. */
    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int emptyCallBaseline() {
        long at = nextFrame();
        return (int) at + flow.dstPort;
    }

    @Benchmark
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int parseOnly() {
        long at = nextFrame();
        return PacketParser.parse(ring, at, frameBytes, flow) + flow.dstPort;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public int parseOnlyBlock() {
        int sum = 0;
        for (int i = 0; i < FRAMES; i++) {
            sum += PacketParser.parse(ring, (long) i * SLOT + FRAME_OFFSET, frameBytes, flow) + flow.dstPort;
        }
        return sum;
    }

    /**
     * A second opinion for a shared machine: the same work timed by this thread's CPU time, not wall-clock time,
     * so that other processes' load does not count (cache and SMT sharing still do).
     * {@code java -cp ... io.jlvs.benchmarks.PacketRewriteBenchmark}
     */
    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int size : new int[] {64, 1514}) {
            PacketRewriteBenchmark b = new PacketRewriteBenchmark();
            b.frameBytes = size;
            b.setUp();
            long sink = 0;
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 10; round++) {
                int n = 10_000_000;
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) sink += b.parseAndNatRewrite();
                best = Math.min(best, (threads.getCurrentThreadCpuTime() - start) / (double) n);
            }
            System.out.printf("parseAndNatRewrite %d-byte frame: %.1f ns CPU per packet (best of 10 rounds) [%d]%n",
                    size, best, sink & 1);
            b.tearDown();
        }
    }
}
