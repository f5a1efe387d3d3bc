package io.jlvs.platform.splice;

import io.jlvs.platform.splice.LoopbackConnections.Connections;
import io.jlvs.platform.splice.StreamEnds.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static io.jlvs.platform.splice.StreamEnds.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every splice mode on two loopback connections (client ↔ proxy side A, proxy side B ↔ server): data both ways,
 * half-close both ways, a reset from either side, and a thousand pairs leaving nothing behind.
 */
class SpliceModesTest {
    private static final long STREAM_BYTES = 64L << 20;

    record Variant(String name, SpliceMode mode, SpliceOptions options) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> variants() {
        SpliceOptions options = SpliceOptions.withCapacity(1024);
        return Stream.of(
                new Variant("sockmap verdict", SpliceMode.SOCKMAP, options),
                new Variant("sockmap parser+verdict", SpliceMode.SOCKMAP,
                        options.withAttachment(SockmapAttachment.PARSER_AND_VERDICT)),
                new Variant("pipe", SpliceMode.PIPE, options),
                new Variant("copy", SpliceMode.COPY, options));
    }

    private LoopbackConnections loopback;

    /**
     * Runs the endpoints' code (pattern, SHA-256, blocking channels) once over a direct loopback connection, so the
     * first mode measured does not pay their compilation; the rate printed is the endpoints' own ceiling.
     */
    @BeforeAll
    static void warmUpTheEnds() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel a = SocketChannel.open(listener.getLocalAddress());
             SocketChannel b = listener.accept()) {
            long start = System.nanoTime();
            CompletableFuture<Received> atB = StreamEnds.readToEndAsync(b), atA = StreamEnds.readToEndAsync(a);
            CompletableFuture<String> fromA = writeAsync(a, 1), fromB = writeAsync(b, 2);
            assertEquals(await(fromA, 30), await(atB, 30).sha256());
            assertEquals(await(fromB, 30), await(atA, 30).sha256());
            System.out.printf("no splice (direct connection): 2 x %d MiB in %.2f s, %.0f MiB/s%n", STREAM_BYTES >> 20,
                    (System.nanoTime() - start) / 1e9, 2 * (STREAM_BYTES >> 20) / ((System.nanoTime() - start) / 1e9));
        }
    }

    @BeforeEach
    void listen() throws IOException {
        loopback = new LoopbackConnections();
    }

    @AfterEach
    void stopListening() throws IOException {
        loopback.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void sixtyFourMebibytesEachWayArriveIntact(Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            Connections c = loopback.open();
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            long start = System.nanoTime();
            CompletableFuture<Received> atServer = StreamEnds.readToEndAsync(c.server());
            CompletableFuture<Received> atClient = StreamEnds.readToEndAsync(c.client());
            CompletableFuture<String> fromClient = writeAsync(c.client(), 1);
            CompletableFuture<String> fromServer = writeAsync(c.server(), 2);
            Received serverGot = await(atServer, 30), clientGot = await(atClient, 30);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(new Received(STREAM_BYTES, await(fromClient, 5)), serverGot);
            assertEquals(new Received(STREAM_BYTES, await(fromServer, 5)), clientGot);
            SpliceEnd end = await(pair.end(), 10);
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, STREAM_BYTES, STREAM_BYTES), end);
            System.out.printf("splice %s: 2 x %d MiB in %.2f s, %.0f MiB/s%n", variant, STREAM_BYTES >> 20, seconds,
                    2 * (STREAM_BYTES >> 20) / seconds);
            c.closeEnds();
        }
    }

    /**
     * The engine's own rate, as far as loopback endpoints that neither fill nor hash their buffers let it show:
     * 256 MiB each way, printed, not asserted (the machine is shared and noisy).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void rateWithoutHashing(Variant variant) throws Exception {
        long bytes = 256L << 20;
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            Connections c = loopback.open();
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            long start = System.nanoTime();
            List<CompletableFuture<Long>> ends = List.of(blast(c.client(), bytes), blast(c.server(), bytes),
                    discard(c.client()), discard(c.server()));
            for (CompletableFuture<Long> end : ends) await(end, 60);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(bytes, await(ends.get(2), 1));
            assertEquals(bytes, await(ends.get(3), 1));
            assertEquals(SpliceEnd.Reason.CLOSED, await(pair.end(), 10).reason());
            System.out.printf("splice %s without hashing: 2 x %d MiB in %.2f s, %.0f MiB/s%n", variant, bytes >> 20,
                    seconds, 2 * (bytes >> 20) / seconds);
            c.closeEnds();
        }
    }

    private static CompletableFuture<Long> blast(SocketChannel channel, long bytes) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 18);
                for (long sent = 0; sent < bytes; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), bytes - sent));
                    sent += channel.write(buffer);
                }
                channel.shutdownOutput();
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }

    private static CompletableFuture<Long> discard(SocketChannel channel) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1 << 18);
                long total = 0;
                for (int n; (n = channel.read(buffer.clear())) >= 0; ) total += n;
                return total;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }

    private static CompletableFuture<String> writeAsync(SocketChannel channel, long seed) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return StreamEnds.writeAndShut(channel, STREAM_BYTES, seed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }

    /**
     * The proxy's case: it read the request head itself and sent it on; the body and an early reply arrived before
     * the splice and wait unread in the kernel. Both must come through, and only once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void bytesQueuedBeforeTheSpliceComeThroughOnce(Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options());
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Connections c = loopback.open();
            StreamEnds.writeText(c.client(), "HEAD|BODY");
            java.lang.foreign.MemorySegment head = arena.allocate(5);
            java.lang.foreign.MemorySegment capture = io.jlvs.platform.libc.Libc.newCapture(arena);
            assertEquals(5, io.jlvs.platform.libc.Libc.recv(c.proxyClientSide(), head, 5, 0, capture));
            assertEquals(5, io.jlvs.platform.libc.StreamSockets.send(c.proxyServerSide(), head.address(), 5, capture));
            StreamEnds.writeText(c.server(), "early");
            Thread.sleep(50);   // the body and the early reply are in the proxy's receive queues now
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            assertEquals("HEAD|BODY", await(StreamEnds.readExactlyAsync(c.server(), 9), 10));
            assertEquals("early", await(StreamEnds.readExactlyAsync(c.client(), 5), 10));
            c.client().shutdownOutput();
            c.server().shutdownOutput();
            assertEquals(-1, c.server().read(java.nio.ByteBuffer.allocate(1)));
            assertEquals(-1, c.client().read(java.nio.ByteBuffer.allocate(1)));
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, 4, 5), await(pair.end(), 10));
            c.closeEnds();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void clientHalfCloseReachesServerWhoseRepliesStillFlow(Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            Connections c = loopback.open();
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            StreamEnds.writeText(c.client(), "request");
            c.client().shutdownOutput();
            assertEquals(new Received(7, sha("request")), await(StreamEnds.readToEndAsync(c.server()), 10));
            StreamEnds.writeText(c.server(), "reply after the client's FIN");
            assertEquals("reply after the client's FIN", StreamEnds.readExactly(c.client(), 28));
            c.server().shutdownOutput();
            assertEquals(-1, c.client().read(java.nio.ByteBuffer.allocate(1)));
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, 7, 28), await(pair.end(), 10));
            c.closeEnds();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void serverHalfCloseReachesClientWhoseRequestsStillFlow(Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            Connections c = loopback.open();
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            StreamEnds.writeText(c.server(), "banner");
            c.server().shutdownOutput();
            assertEquals(new Received(6, sha("banner")), await(StreamEnds.readToEndAsync(c.client()), 10));
            StreamEnds.writeText(c.client(), "more from the client");
            assertEquals("more from the client", StreamEnds.readExactly(c.server(), 20));
            c.client().shutdownOutput();
            assertEquals(-1, c.server().read(java.nio.ByteBuffer.allocate(1)));
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, 20, 6), await(pair.end(), 10));
            c.closeEnds();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void clientResetReachesServer(Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            Connections c = loopback.open();
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            StreamEnds.writeText(c.client(), "hello");
            assertEquals("hello", StreamEnds.readExactly(c.server(), 5));
            CompletableFuture<Received> atServer = StreamEnds.readToEndAsync(c.server());
            reset(c.client());
            IOException failure = assertThrows(IOException.class, () -> await(atServer, 10).bytes());
            assertTrue(failure.getMessage().contains("reset"), failure.toString());
            assertEquals(SpliceEnd.Reason.RESET_BY_FIRST, await(pair.end(), 10).reason());
            c.server().close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void serverResetReachesClient(Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            Connections c = loopback.open();
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            StreamEnds.writeText(c.server(), "hi");
            assertEquals("hi", StreamEnds.readExactly(c.client(), 2));
            CompletableFuture<Received> atClient = StreamEnds.readToEndAsync(c.client());
            reset(c.server());
            IOException failure = assertThrows(IOException.class, () -> await(atClient, 10).bytes());
            assertTrue(failure.getMessage().contains("reset"), failure.toString());
            assertEquals(SpliceEnd.Reason.RESET_BY_SECOND, await(pair.end(), 10).reason());
            c.client().close();
        }
    }

    /** SO_LINGER {on, 0}: close sends RST. */
    private static void reset(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aThousandPairsLeaveNoDescriptorNorMapEntry(Variant variant) throws Exception {
        long before = OpenDescriptors.count();
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            List<Connections> connections = new ArrayList<>();
            List<SplicedPair> pairs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Connections c = loopback.open();
                connections.add(c);
                pairs.add(splicer.splice(c.proxyClientSide(), c.proxyServerSide()));
            }
            for (Connections c : connections) StreamEnds.writeText(c.client(), "ping");
            for (Connections c : connections) assertEquals("ping", StreamEnds.readExactly(c.server(), 4));
            for (Connections c : connections) StreamEnds.writeText(c.server(), "pong");
            for (Connections c : connections) assertEquals("pong", StreamEnds.readExactly(c.client(), 4));
            for (int i = 0; i < connections.size(); i++) {
                Connections c = connections.get(i);
                if (i % 3 == 0) reset(c.client());
                else if (i % 3 == 1) reset(c.server());
                else c.closeEnds();
            }
            for (int i = 0; i < pairs.size(); i++) {
                SpliceEnd end = await(pairs.get(i).end(), 10);
                SpliceEnd.Reason expected = i % 3 == 0 ? SpliceEnd.Reason.RESET_BY_FIRST
                        : i % 3 == 1 ? SpliceEnd.Reason.RESET_BY_SECOND : SpliceEnd.Reason.CLOSED;
                assertEquals(expected, end.reason(), "pair " + i);
            }
            for (Connections c : connections) c.closeEnds();
            assertEquals(0, splicer.activePairs());
            if (splicer instanceof LoopSplicer loop && loop.mover() instanceof SockmapMover sockmap) {
                assertEquals(0, sockmap.kernelEntries(), "sockhash entries left");
            }
        }
        assertEquals(before, OpenDescriptors.awaitCount(before), "open descriptors");
    }

    private static String sha(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
