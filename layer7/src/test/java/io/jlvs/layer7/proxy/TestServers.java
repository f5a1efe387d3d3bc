package io.jlvs.layer7.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Loopback servers behind the proxy: one that names itself and the request it got, and an echo server. */
final class TestServers implements AutoCloseable {
    private final List<ServerSocket> sockets = new ArrayList<>();
    /** The first bytes each named server received, one entry per connection. */
    final List<byte[]> received = new CopyOnWriteArrayList<>();

    /** A server answering "NAME PATH" to each request, then closing. */
    InetSocketAddress named(String name) throws IOException {
        return serve(s -> {
            byte[] head = readHead(new java.io.BufferedInputStream(s.getInputStream()));
            received.add(head);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            int lineStart = text.indexOf("GET ");
            String path = lineStart < 0 ? "?" : text.substring(lineStart + 4, text.indexOf(' ', lineStart + 4));
            byte[] body = (name + " " + path).getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        });
    }

    /** A server that sends back every byte it receives until the client half-closes, then half-closes too. */
    InetSocketAddress echo() throws IOException {
        return serve(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            s.shutdownOutput();
        });
    }

    /** A server that reads the request head and resets the connection. */
    InetSocketAddress resetting() throws IOException {
        return serve(s -> {
            readHead(s.getInputStream());
            s.setSoLinger(true, 0);
        });
    }

    @FunctionalInterface
    interface Handler {
        void serve(Socket s) throws IOException;
    }

    private InetSocketAddress serve(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        sockets.add(server);
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            handler.serve(s);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Bytes up to the end of the head (PROXY v2 header included when one comes first). */
    static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // A PROXY v2 header first ("\r\n\r\n\0\r\nQUIT\n", version, family, length): kept, then the head.
        byte[] fixed = in.readNBytes(16);
        if (fixed.length == 16 && fixed[0] == 0x0D && fixed[4] == 0 && fixed[7] == 'Q') {
            b.write(fixed);
            b.write(in.readNBytes(((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff)));
        } else {
            b.write(fixed);
        }
        int c, last4 = 0;
        for (byte x : b.toByteArray()) last4 = b.size() > 16 ? 0 : (last4 << 8) | (x & 0xff);
        while ((c = in.read()) >= 0) {
            b.write(c);
            last4 = (last4 << 8) | c;
            if (last4 == 0x0D0A0D0A) break;
        }
        return b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket s : sockets) s.close();
    }
}
