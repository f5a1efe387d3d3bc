package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;
import io.jlvs.platform.splice.LoopbackConnections.Connections;
import io.jlvs.platform.splice.StreamEnds.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

import static io.jlvs.platform.splice.StreamEnds.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The states a proxy hands its sockets over in, after it has read a request head itself: the client's FIN already
 * received (the socket is past ESTABLISHED, which a sockhash refuses), and both receive queues and both peers' send
 * buffers full, with neither peer reading until the splice has begun.
 */
class SpliceHandoffStatesTest {
    private LoopbackConnections loopback;

    @BeforeEach
    void listen() throws IOException {
        loopback = new LoopbackConnections();
    }

    @AfterEach
    void stopListening() throws IOException {
        loopback.close();
    }

    static java.util.stream.Stream<SpliceModesTest.Variant> variants() {
        return SpliceModesTest.variants();
    }

    /** The proxy read "HEAD|" and sent it on; "BODY" and the client's FIN wait, and so does the server's "early". */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void bodyAndFinReceivedBeforeTheSpliceArriveAndTheRepliesStillFlow(SpliceModesTest.Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options());
             Arena arena = Arena.ofConfined()) {
            Connections c = loopback.open();
            StreamEnds.writeText(c.client(), "HEAD|BODY");
            c.client().shutdownOutput();
            passOn(c, 5, arena);
            StreamEnds.writeText(c.server(), "early");
            awaitFin(c.proxyClientSide(), arena);
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            assertEquals(new Received(9, sha("HEAD|BODY")), await(StreamEnds.readToEndAsync(c.server()), 10));
            StreamEnds.writeText(c.server(), " and the reply after the FIN");
            c.server().shutdownOutput();
            assertEquals(new Received(33, sha("early and the reply after the FIN")),
                    await(StreamEnds.readToEndAsync(c.client()), 10));
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, 4, 33), await(pair.end(), 10));
            c.closeEnds();
        }
    }

    /** The client's FIN arrives with nothing queued: the end alone is passed on, the server's reply still flows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void finAloneReceivedBeforeTheSpliceIsPassedOn(SpliceModesTest.Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options());
             Arena arena = Arena.ofConfined()) {
            Connections c = loopback.open();
            StreamEnds.writeText(c.client(), "ping");
            c.client().shutdownOutput();
            passOn(c, 4, arena);
            awaitFin(c.proxyClientSide(), arena);
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            assertEquals(new Received(4, sha("ping")), await(StreamEnds.readToEndAsync(c.server()), 10));
            StreamEnds.writeText(c.server(), "ping");
            c.server().shutdownOutput();
            assertEquals(new Received(4, sha("ping")), await(StreamEnds.readToEndAsync(c.client()), 10));
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, 0, 4), await(pair.end(), 10));
            c.closeEnds();
        }
    }

    /**
     * Both ends wrote until their send buffers were full and read nothing: splice() must return at once (no peer
     * can take what was queued before the other is read) and every byte must then arrive once, in order.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void queuesFullBothWaysBeforeTheSpliceAllArrive(SpliceModesTest.Variant variant) throws Exception {
        try (Splicer splicer = Splicers.openExactly(variant.mode(), variant.options())) {
            Connections c = loopback.open();
            Filled fromClient = fill(c.client(), 1), fromServer = fill(c.server(), 2);
            long start = System.nanoTime();
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide());
            long splicedMillis = (System.nanoTime() - start) / 1_000_000;
            CompletableFuture<Received> atServer = StreamEnds.readToEndAsync(c.server());
            CompletableFuture<Received> atClient = StreamEnds.readToEndAsync(c.client());
            c.client().shutdownOutput();
            c.server().shutdownOutput();
            assertEquals(new Received(fromClient.bytes, fromClient.sha256()), await(atServer, 20));
            assertEquals(new Received(fromServer.bytes, fromServer.sha256()), await(atClient, 20));
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, fromClient.bytes, fromServer.bytes),
                    await(pair.end(), 10));
            assertEquals(true, splicedMillis < 500, "splice() waited " + splicedMillis + " ms for the peers");
            c.closeEnds();
        }
    }

    /** What {@link #fill} wrote: the byte count and the SHA-256 of the bytes. */
    private record Filled(long bytes, java.security.MessageDigest digest) {
        String sha256() {
            return java.util.HexFormat.of().formatHex(digest.digest());
        }
    }

    /**
     * Writes seeded bytes without blocking until the socket takes no more, then puts it back in blocking mode. The
     * stream is what each write took, so a write taking part of a buffer leaves its rest unsent.
     */
    private static Filled fill(SocketChannel channel, long seed) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        channel.configureBlocking(false);
        for (int idle = 0; idle < 20; ) {
            random.nextBytes(chunk);
            int n = channel.write(ByteBuffer.wrap(chunk));
            if (n == 0) {
                idle++;
                Thread.sleep(5);   // loopback moves what was sent into the peer's receive queue meanwhile
                continue;
            }
            sha.update(chunk, 0, n);
            total += n;
        }
        channel.configureBlocking(true);
        return new Filled(total, sha);
    }

    /** The proxy's own read of the first {@code length} bytes from the client, sent on to the server. */
    private static void passOn(Connections c, int length, Arena arena) throws IOException {
        MemorySegment head = arena.allocate(length);
        MemorySegment capture = Libc.newCapture(arena);
        assertEquals(length, Libc.recv(c.proxyClientSide(), head, length, 0, capture));
        assertEquals(length, StreamSockets.send(c.proxyServerSide(), head.address(), length, capture));
    }

    /** Waits until the client's FIN has reached the proxy's socket. */
    private static void awaitFin(int fd, Arena arena) throws Exception {
        TcpCounters counters = new TcpCounters(arena);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (counters.finReceived(fd) != 1) {
            if (System.nanoTime() > deadline) throw new AssertionError("no FIN on fd " + fd);
            Thread.sleep(1);
        }
    }

    private static String sha(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
