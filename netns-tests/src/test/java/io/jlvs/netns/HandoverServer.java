package io.jlvs.netns;

import io.jlvs.platform.testkit.NetNs;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server inside a network namespace, run by a thread of the test's own JVM (the listening socket is made
 * after the thread entered the namespace, so it and every connection it accepts belong there). It reads each
 * connection's request head, as the layer-7 proxy sent it on, and hands the connection to the test, which plays
 * the server's part from there: stream, hash, half-close, reset.
 */
final class HandoverServer implements AutoCloseable {
    /** One accepted connection after its head: in reads what follows the head. */
    record Peer(Socket socket, String head, InputStream in, OutputStream out) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket listener;
    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    private HandoverServer(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = Thread.ofPlatform().name("handover-accept").daemon(true).start(this::acceptLoop);
    }

    /** Listens on address:port in namespace. */
    static HandoverServer start(String namespace, String address, int port) throws Exception {
        ServerSocket listener = NetNs.callIn(namespace, () -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port), 4096);
            return s;
        });
        return new HandoverServer(listener);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofPlatform().daemon(true).name("handover-head").start(() -> readHead(s));
        }
    }

    private void readHead(Socket s) {
        try {
            s.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            accepted.add(new Peer(s, head(in), in, s.getOutputStream()));
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }

    /** The bytes up to and including the blank line that ends a head. */
    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("the stream ended inside the head: " + head);
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The next connection whose head was read, waiting up to timeout. */
    Peer next(Duration timeout) throws InterruptedException {
        Peer p = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (p == null) throw new AssertionError("no connection reached the server within " + timeout);
        return p;
    }

    /** Connections accepted whose head was read and that no test took yet. */
    int waiting() {
        return accepted.size();
    }

    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join(5000);
        for (Peer p; (p = accepted.poll()) != null; ) p.close();
    }
}
