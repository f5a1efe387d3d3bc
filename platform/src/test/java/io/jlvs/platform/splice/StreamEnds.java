package io.jlvs.platform.splice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the tests' clients and servers do at their end of a spliced pair: write a known stream, read one, hash. */
final class StreamEnds {
    private StreamEnds() {}

    private static final int CHUNK = 1 << 16;
    private static final int PATTERN = 1 << 20;

    /** The bytes read until end of stream and their SHA-256. */
    record Received(long bytes, String sha256) {}

    /**
     * Writes {@code bytes} bytes (a seeded 1 MiB pattern, each 64 KiB chunk stamped with its number so a lost or
     * reordered chunk changes the hash), then shuts the channel's output; returns the SHA-256 of what it wrote.
     */
    static String writeAndShut(SocketChannel channel, long bytes, long seed) throws IOException {
        return writeAndShut(channel, bytes, seed, new AtomicLong());
    }

    /** As {@link #writeAndShut(SocketChannel, long, long)}, counting the bytes written so far in {@code written}. */
    static String writeAndShut(SocketChannel channel, long bytes, long seed, AtomicLong written) throws IOException {
        byte[] pattern = new byte[PATTERN];
        new SplittableRandom(seed).nextBytes(pattern);
        MessageDigest sha = sha256();
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        byte[] heap = new byte[CHUNK];
        for (long sent = 0, number = 0; sent < bytes; number++) {
            int length = (int) Math.min(CHUNK, bytes - sent);
            System.arraycopy(pattern, (int) ((number * CHUNK) % PATTERN), heap, 0, length);
            for (int i = 0; i < Math.min(8, length); i++) heap[i] = (byte) ((number ^ seed) >>> (8 * i));
            sha.update(heap, 0, length);
            chunk.clear().put(heap, 0, length).flip();
            while (chunk.hasRemaining()) channel.write(chunk);
            sent += length;
            written.set(sent);
        }
        channel.shutdownOutput();
        return HexFormat.of().formatHex(sha.digest());
    }

    static Received readToEnd(SocketChannel channel) throws IOException {
        MessageDigest sha = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long total = 0;
        for (int n; (n = channel.read(buffer.clear())) >= 0; ) {
            sha.update(buffer.array(), 0, n);
            total += n;
        }
        return new Received(total, HexFormat.of().formatHex(sha.digest()));
    }

    /** Reads exactly {@code length} bytes (blocking) and returns them as text. */
    static String readExactly(SocketChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new IOException("end of stream after " + buffer.position() + " bytes");
        }
        return new String(buffer.array(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    static CompletableFuture<String> readExactlyAsync(SocketChannel channel, int length) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return readExactly(channel, length);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }

    static void writeText(SocketChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /** The outcome of a blocking read to the end: the bytes, or the exception that ended it. */
    static CompletableFuture<Received> readToEndAsync(SocketChannel channel) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return readToEnd(channel);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> Thread.ofPlatform().daemon().start(runnable));
    }

    static <T> T await(CompletableFuture<T> future, long seconds) throws Exception {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.io.UncheckedIOException unchecked) throw unchecked.getCause();
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + seconds + " s", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
