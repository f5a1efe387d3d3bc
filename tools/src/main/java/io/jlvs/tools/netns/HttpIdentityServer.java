package io.jlvs.tools.netns;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * A small real server for tests, the demo and the benchmark. Run inside a namespace as
 * {@code java -cp ... io.jlvs.tools.netns.HttpIdentityServer NAME PORT [THREADS]}.
 * <ul>
 *   <li>GET / answers {@code server=NAME client=IP:PORT} — the client address this server sees, so tests can check
 *   that NAT kept the client's own address.</li>
 *   <li>POST /echo returns the request body unchanged.</li>
 *   <li>GET /bytes/N streams N bytes of {@link #pattern} (large transfers, nothing held in memory).</li>
 *   <li>POST /digest answers the SHA-256 of the request body, read as a stream, in hex.</li>
 * </ul>
 * Prints {@code READY NAME PORT} once it listens.
 */
public final class HttpIdentityServer {
    public static final String READY_LINE = "READY";

    /** One parsed GET / reply. */
    public record Reply(String server, String clientAddress, int clientPort) {
        /** Parses {@code server=rs1 client=10.0.0.2:43210}; throws on anything else. */
        public static Reply parse(String text) {
            String[] fields = text.strip().split(" ");
            if (fields.length != 2 || !fields[0].startsWith("server=") || !fields[1].startsWith("client=")) {
                throw new IllegalArgumentException("not an identity reply: '" + text.strip() + "'");
            }
            String client = fields[1].substring("client=".length());
            int colon = client.lastIndexOf(':');
            return new Reply(fields[0].substring("server=".length()), client.substring(0, colon),
                    Integer.parseInt(client.substring(colon + 1)));
        }
    }

    private HttpIdentityServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: HttpIdentityServer NAME PORT [THREADS]");
            System.exit(2);
        }
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        // Without TCP_NODELAY, keep-alive latency is dominated by Nagle and delayed ACKs (40 ms steps).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/", exchange -> answerIdentity(name, exchange));
        server.createContext("/echo", HttpIdentityServer::echo);
        server.createContext("/bytes/", HttpIdentityServer::bytes);
        server.createContext("/digest", HttpIdentityServer::digest);
        server.start();
        System.out.println(READY_LINE + " " + name + " " + port);
        System.out.flush();
    }

    private static void answerIdentity(String name, HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            InetSocketAddress peer = exchange.getRemoteAddress();
            byte[] body = ("server=" + name + " client=" + peer.getAddress().getHostAddress() + ":" + peer.getPort()
                    + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void echo(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Byte {@code i} of the /bytes stream: a pattern that no shift of itself matches, so a lost or repeated segment shows. */
    public static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 8) + (i >>> 16) * 7);
    }

    private static void bytes(HttpExchange exchange) throws IOException {
        try (exchange) {
            long n = Long.parseLong(exchange.getRequestURI().getPath().substring("/bytes/".length()));
            exchange.sendResponseHeaders(200, n == 0 ? -1 : n);
            byte[] chunk = new byte[1 << 16];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long at = 0; at < n; ) {
                    int len = (int) Math.min(chunk.length, n - at);
                    for (int k = 0; k < len; k++) chunk[k] = pattern(at + k);
                    out.write(chunk, 0, len);
                    at += len;
                }
            }
        }
    }

    private static void digest(HttpExchange exchange) throws IOException {
        try (exchange) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            byte[] chunk = new byte[1 << 16];
            try (InputStream in = exchange.getRequestBody()) {
                for (int len; (len = in.read(chunk)) > 0; ) sha.update(chunk, 0, len);
            }
            byte[] body = (HexFormat.of().formatHex(sha.digest()) + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
