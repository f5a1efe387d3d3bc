package io.jlvs.health.check;

import javax.net.ServerSocketFactory;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * A minimal HTTP/1.0 server for the tests, on virtual threads: each path answers a fixed response, optionally
 * trickled a byte at a time. It records the request heads it got and the SNI names TLS clients sent.
 */
final class TestHttpServer implements AutoCloseable {
    /** One canned answer: the raw bytes sent, and the pause between bytes (0: all at once). */
    record Response(byte[] bytes, long trickleMillis) {}

    private final ServerSocket server;
    private final Map<String, Response> responses = new ConcurrentHashMap<>();
    final List<String> requestHeads = new CopyOnWriteArrayList<>();
    final List<String> sniNames = new CopyOnWriteArrayList<>();

    TestHttpServer(InetAddress address, ServerSocketFactory factory) throws IOException {
        server = factory.createServerSocket(0, 100, address);
        Thread.ofVirtual().start(this::acceptLoop);
    }

    TestHttpServer() throws IOException {
        this(InetAddress.getLoopbackAddress(), ServerSocketFactory.getDefault());
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    static byte[] answer(int status, String body) {
        return answer(status, body.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] answer(int status, byte[] body) {
        byte[] head = ("HTTP/1.0 " + status + " X\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    TestHttpServer on(String path, byte[] response) {
        return on(path, new Response(response, 0));
    }

    TestHttpServer on(String path, Response response) {
        responses.put(path, response);
        return this;
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            }
        } catch (IOException closed) {
            // the server is closed
        }
    }

    private void serve(Socket client) {
        try (client) {
            String head = readHead(client.getInputStream());
            if (client instanceof SSLSocket ssl && ssl.getSession() instanceof ExtendedSSLSession session) {
                for (SNIServerName name : session.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host) sniNames.add(host.getAsciiName());
                }
            }
            requestHeads.add(head);
            String path = head.split(" ")[1];
            Response response = responses.getOrDefault(path, new Response(answer(404, "no such path"), 0));
            OutputStream out = client.getOutputStream();
            if (response.trickleMillis() == 0) {
                out.write(response.bytes());
            } else {
                for (byte b : response.bytes()) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(response.trickleMillis()); // the server under test is slow on purpose
                }
            }
            out.flush();
        } catch (IOException | InterruptedException | RuntimeException gone) {
            // the client closed, as a checker does when its time is up
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
