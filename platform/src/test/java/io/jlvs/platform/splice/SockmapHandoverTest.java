package io.jlvs.platform.splice;

import io.jlvs.platform.splice.LoopbackConnections.Connections;
import io.jlvs.platform.splice.StreamEnds.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static io.jlvs.platform.splice.StreamEnds.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When SOCKMAP's kernel takes a direction over from the relay: a source nobody read goes to the kernel at once, even
 * while its peer streams without a pause (a server sending a large response as soon as it has the request head),
 * and every byte arrives once, in order.
 */
class SockmapHandoverTest {
    private static final long STREAM_BYTES = 48L << 20;

    private LoopbackConnections loopback;

    @BeforeEach
    void listen() throws IOException {
        loopback = new LoopbackConnections();
    }

    @AfterEach
    void stopListening() throws IOException {
        loopback.close();
    }

    @Test
    void aStreamingServerNobodyReadGoesToTheKernelAtOnce() throws Exception {
        try (Splicer splicer = Splicers.openExactly(SpliceMode.SOCKMAP, SpliceOptions.withCapacity(4))) {
            Connections c = loopback.open();
            AtomicLong written = new AtomicLong();
            CompletableFuture<String> fromServer = writeAsync(c.server(), STREAM_BYTES, 7, written);
            awaitWritten(written);   // the server's stream is under way and waits unread in the proxy's queue
            SplicedPair pair = splicer.splice(c.proxyClientSide(), c.proxyServerSide(), true);
            CompletableFuture<Received> atClient = StreamEnds.readToEndAsync(c.client());
            assertEquals(new Received(STREAM_BYTES, await(fromServer, 60)), await(atClient, 60));
            SockmapDirection serverToClient = (SockmapDirection) pair.backward;
            assertTrue(serverToClient.inKernel, "the server's direction is in the kernel");
            assertEquals(0, serverToClient.relayed, "bytes the relay carried from the server");
            c.client().shutdownOutput();
            assertEquals(-1, c.server().read(ByteBuffer.allocate(1)));
            assertEquals(new SpliceEnd(SpliceEnd.Reason.CLOSED, 0, STREAM_BYTES), await(pair.end(), 10));
            c.closeEnds();
        }
    }

    /** Waits until the server has written more than a mebibyte: the stream is under way. */
    private static void awaitWritten(AtomicLong written) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (written.get() <= (1 << 20)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the server wrote " + written.get() + " bytes within 10 s");
            Thread.onSpinWait();
        }
    }

    private static CompletableFuture<String> writeAsync(SocketChannel channel, long bytes, long seed, AtomicLong written) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return StreamEnds.writeAndShut(channel, bytes, seed, written);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }
}
