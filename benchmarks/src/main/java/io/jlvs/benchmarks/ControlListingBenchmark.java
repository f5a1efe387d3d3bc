package io.jlvs.benchmarks;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.AdmExecutor;
import io.jlvs.control.FakeDirectorRuntime;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.protocol.ControlProtocol;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
 * jlvsadm -L -n -c of a large connection table, in its two halves: the daemon's rows encoded into control
 * protocol frames and decoded again ({@link #encodeAndDecode}), and the rows formatted as ipvsadm prints them
 * ({@link #format}, the in-process path without the encoding).
 *
 * <pre>java -cp "benchmarks/target/jlvs-benchmarks.jar:benchmarks/target/lib/*" org.openjdk.jmh.Main ControlListingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ControlListingBenchmark {
    @Param({"100000"})
    public int connections;

    private final FakeDirectorRuntime runtime = new FakeDirectorRuntime();
    private AdmExecutor executor;
    private final ControlRequest listConnections = new ControlRequest.Run(
            new AdmCommand.List(AdmCommand.ListWhat.CONNECTIONS, null, ListFormat.NUMERIC));

    @Setup
    public void setUp() {
        runtime.syntheticConnections = connections;
        executor = new AdmExecutor(runtime);
    }

    /** Returns the rows decoded. */
    @Benchmark
    public int encodeAndDecode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(connections * 80);
        DataOutputStream out = new DataOutputStream(bytes);
        executor.handle(listConnections, reply -> ControlProtocol.writeReply(out, reply));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        int rows = 0;
        for (ControlReply r = ControlProtocol.readReply(in); !(r instanceof ControlReply.Outcome); r = ControlProtocol.readReply(in)) {
            if (r instanceof ControlReply.ConnectionBatch b) rows += b.rows().size();
        }
        return rows;
    }

    /** Returns the characters printed. */
    @Benchmark
    public int format() {
        StringBuilder out = new StringBuilder(connections * 96);
        executor.execute(new String[] {"-L", "-n", "-c"}, out, new StringBuilder());
        return out.length();
    }
}
