package io.jlvs.daemon;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.ControlClient;
import io.jlvs.control.FakeDirectorRuntime;
import io.jlvs.control.protocol.ControlProtocol;
import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.command.ListFormat;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control server's limits: a bounded number of clients, a timeout for stalled clients, accept backoff. */
class ControlServerLimitsTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result call(Path sock, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = ControlClient.run(sock, argv, null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    private ControlServer server(Path sock, int maxClients, Duration timeout) {
        return server(sock, maxClients, timeout, timeout, new FakeDirectorRuntime());
    }

    private ControlServer server(Path sock, int maxClients, Duration requestTimeout, Duration readerTimeout,
                                 FakeDirectorRuntime runtime) {
        return new ControlServer(sock, new AdmExecutor(runtime), maxClients, requestTimeout, readerTimeout,
                ServerSocketChannel::accept, Thread::sleep);
    }

    /** What the first read on a client's connection returns (-1: the server closed it; -2: it failed), waiting up to 20 s. */
    private static int firstRead(SocketChannel client) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.read(ByteBuffer.allocate(16));
            } catch (IOException e) {
                return -2;
            }
        }).get(20, TimeUnit.SECONDS);
    }

    /** A client that connects and then says nothing: it holds a slot while the server waits for its request. */
    private static SocketChannel silentClient(Path sock) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(sock));
    }

    @Test
    void clientsBeyondTheLimitAreToldTheDaemonIsBusy() throws Exception {
        Path sock = tmp.resolve("jlvs.sock");
        try (ControlServer server = server(sock, 2, Duration.ofMinutes(5))) {
            server.start();
            SocketChannel first = silentClient(sock);
            try (SocketChannel second = silentClient(sock)) {
                Result busy = call(sock, "-L", "-n");
                assertEquals(1, busy.code());
                assertEquals("jlvs: daemon busy: 2 control clients are being served; try again\n", busy.err());
                assertEquals("", busy.out());

                first.close();   // its slot frees as soon as the server sees the end of its connection
                waitFor("a slot is free again", () -> call(sock, "-L", "-n").code() == 0);
            }
        }
    }

    @Test
    void aStalledClientIsDisconnectedAndItsSlotFreed() throws Exception {
        Path sock = tmp.resolve("jlvs.sock");
        try (ControlServer server = server(sock, 1, Duration.ofMillis(200))) {
            server.start();
            SocketChannel stalled = silentClient(sock);
            assertEquals(-1, firstRead(stalled), "the server closed the stalled connection");
            stalled.close();
            waitFor("the slot is free for the next client", () -> call(sock, "-L", "-n").code() == 0);
        }
    }

    /**
     * A listing piped into a pager is read as slowly as the operator pages: a client that sent its request and reads
     * slowly is held to the long reader timeout, while a silent one is cut at the request timeout.
     */
    @Test
    void aSlowReaderOfItsRepliesIsNotCutAtTheRequestTimeout() throws Exception {
        Path sock = tmp.resolve("jlvs.sock");
        FakeDirectorRuntime runtime = new FakeDirectorRuntime();
        runtime.syntheticConnections = 100_000;   // megabytes of replies: the server blocks on the full socket
        try (ControlServer server = server(sock, 4, Duration.ofMillis(200), Duration.ofMinutes(5), runtime)) {
            server.start();
            try (SocketChannel reader = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                DataOutputStream requestOut = new DataOutputStream(Channels.newOutputStream(reader));
                ControlProtocol.writeHello(requestOut);
                ControlProtocol.writeRequest(requestOut, new ControlRequest.Run(new AdmCommand.List(
                        AdmCommand.ListWhat.CONNECTIONS, null, ListFormat.NUMERIC)));
                requestOut.flush();

                // The positive control: a silent client opened after the request went out is cut at the request
                // timeout, so by then the reader, blocked longer than that, would have been cut as well.
                SocketChannel silent = silentClient(sock);
                assertEquals(-1, firstRead(silent), "the silent client was disconnected");
                silent.close();

                DataInputStream in = new DataInputStream(Channels.newInputStream(reader));
                assertEquals(ControlProtocol.VERSION, ControlProtocol.readHello(in));
                long rows = 0;
                ControlReply reply;
                while (!((reply = ControlProtocol.readReply(in)) instanceof ControlReply.Outcome)) {
                    if (reply instanceof ControlReply.ConnectionBatch b) rows += b.rows().size();
                }
                assertEquals(0, ((ControlReply.Outcome) reply).exitCode());
                assertEquals(100_000, rows, "the slow reader got every row");
            }
        }
    }

    @Test
    void acceptFailuresBackOffExponentiallyUpToACapAndRecover() throws Exception {
        Path sock = tmp.resolve("jlvs.sock");
        // fail 9 times, accept one client, fail twice more, then accept normally
        List<Boolean> script = List.of(false, false, false, false, false, false, false, false, false, true, false, false);
        AtomicInteger calls = new AtomicInteger();
        List<Long> pauses = new CopyOnWriteArrayList<>();
        ControlServer.Acceptor failing = ch -> {
            int n = calls.getAndIncrement();
            if (n < script.size() && !script.get(n)) throw new IOException("Too many open files");
            return ch.accept();
        };
        try (ControlServer server = new ControlServer(sock, new AdmExecutor(new FakeDirectorRuntime()), 4,
                Duration.ofMinutes(5), Duration.ofMinutes(5), failing, pauses::add)) {
            server.start();
            assertEquals(0, call(sock, "-L", "-n").code(), "served once accepting works again");
            assertEquals(0, call(sock, "-L", "-n").code());
            assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 10L, 20L), pauses,
                    "doubling from 10 ms, capped at 1 s, and starting over after a success");
        }
    }

    @Test
    void aMalformedRequestGetsAClearAnswerAndTheServerGoesOn() throws Exception {
        Path sock = tmp.resolve("jlvs.sock");
        try (ControlServer server = server(sock, 4, Duration.ofMinutes(5))) {
            server.start();
            try (SocketChannel ch = silentClient(sock)) {
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
                ControlProtocol.writeHello(out);
                out.writeByte(0x01);      // a run request ...
                out.writeInt(100);        // ... announcing 100 bytes ...
                out.write(new byte[3]);   // ... of which 3 arrive
                ch.shutdownOutput();
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                assertEquals(ControlProtocol.VERSION, ControlProtocol.readHello(in));
                ControlReply.Failure f = (ControlReply.Failure) ControlProtocol.readReply(in);
                assertEquals("jlvs: malformed control request: truncated run request message: the connection ended inside it",
                        f.message());
                assertEquals(new ControlReply.Outcome(1), ControlProtocol.readReply(in));
            }
            try (SocketChannel ch = silentClient(sock)) {
                ch.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
                ControlProtocol.readHello(in);
                ControlReply.Failure f = (ControlReply.Failure) ControlProtocol.readReply(in);
                assertTrue(f.message().startsWith("jlvs: malformed control request: not a jlvs control connection"), f.message());
            }
            assertEquals(0, call(sock, "-L", "-n").code(), "the server still serves");
        }
    }
}
