package io.jlvs.layer7.proxy;

import java.io.BufferedInputStream;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback HTTP/1.1 servers that keep their connections open, answering by path: "NAME PATH" (Content-Length), /echo
 * (the request body back), /chunked (a chunked answer), /big/N and /chunked-big/N (N bytes, by length or in chunks), /204, /304, /cut and /cut-large (a
 * Content-Length answer cut short by a close), /eof (a body ended by the close), /upgrade (101, then an echo of every byte), /then-drop (answered, then the connection's next
 * request is not: the server closes, as one closing an idle connection while a request was on its way); HEAD gets a
 * head alone.
 */
final class KeepAliveServers implements AutoCloseable {
    private final List<ServerSocket> sockets = new ArrayList<>();
    /** Connections each server accepted, by name. */
    final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    /** What each connection began with, up to its first request's head (a PROXY v2 header included), in order. */
    final List<byte[]> firstBytes = new CopyOnWriteArrayList<>();
    /** Every request received, in order, as "START-LINE xff=X-FORWARDED-FOR". */
    final List<String> heads = new CopyOnWriteArrayList<>();

    int connections(String name) {
        AtomicInteger n = connections.get(name);
        return n == null ? 0 : n.get();
    }

    /** The byte at offset i of the /big answers. */
    static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 9));
    }

    InetSocketAddress start(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        sockets.add(server);
        connections.put(name, new AtomicInteger());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.get(name).incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            serve(name, s);
                        } catch (IOException e) {
                            // the proxy went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void serve(String name, Socket s) throws IOException {
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        in.mark(64);
        byte[] fixed = in.readNBytes(16);
        if (fixed.length == 16 && fixed[0] == 0x0D && fixed[4] == 0 && fixed[7] == 'Q') {
            byte[] rest = in.readNBytes(((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff));
            byte[] all = new byte[fixed.length + rest.length];
            System.arraycopy(fixed, 0, all, 0, 16);
            System.arraycopy(rest, 0, all, 16, rest.length);
            firstBytes.add(all);
        } else {
            in.reset();
            firstBytes.add(new byte[0]);
        }
        boolean dropNext = false;
        while (true) {
            Http1.Message req = Http1.readRequest(in);
            if (req == null || dropNext) return;
            dropNext = req.path().equals("/then-drop");
            heads.add(req.startLine() + " xff=" + req.header("X-Forwarded-For"));
            String path = req.path();
            if (req.method().equals("HEAD")) {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
            } else if (path.equals("/echo")) {
                Http1.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + req.body().length + "\r\n\r\n", req.body());
            } else if (path.equals("/chunked")) {
                byte[] body = (name + " " + path + " in several chunks").getBytes(StandardCharsets.US_ASCII);
                out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
                out.write(Http1.chunked(body, 3, 1, 7, 100));
            } else if (path.startsWith("/big/") || path.startsWith("/chunked-big/")) {
                boolean chunked = path.startsWith("/chunked-big/");
                long n = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
                out.write(ascii("HTTP/1.1 200 OK\r\n" + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + n)
                        + "\r\n\r\n"));
                byte[] chunk = new byte[1 << 16];
                for (long at = 0; at < n; ) {
                    int len = (int) Math.min(chunk.length, n - at);
                    for (int k = 0; k < len; k++) chunk[k] = pattern(at + k);
                    if (chunked) out.write(ascii(Integer.toHexString(len) + "\r\n"));
                    out.write(chunk, 0, len);
                    if (chunked) out.write(ascii("\r\n"));
                    at += len;
                }
                if (chunked) out.write(ascii("0\r\n\r\n"));
            } else if (path.equals("/204")) {
                out.write(ascii("HTTP/1.1 204 No Content\r\n\r\n"));
            } else if (path.equals("/304")) {
                out.write(ascii("HTTP/1.1 304 Not Modified\r\nContent-Length: 123\r\n\r\n"));
            } else if (path.startsWith("/cut")) {
                int declared = path.equals("/cut-large") ? 1 << 20 : 1000;
                Http1.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + declared + "\r\n\r\n", ascii("only this"));
                return;
            } else if (path.equals("/upgrade")) {
                out.write(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"));
                out.flush();
                in.transferTo(out);
                return;
            } else if (path.equals("/eof")) {
                Http1.write(out, "HTTP/1.1 200 OK\r\n\r\n", ascii(name + " until the close"));
                return;
            } else {
                byte[] body = (name + " " + path).getBytes(StandardCharsets.UTF_8);
                Http1.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n", body);
            }
            out.flush();
            if ("close".equalsIgnoreCase(req.header("Connection"))) return;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket s : sockets) s.close();
    }
}
