package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ContentRule;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * phttp on loopback: each request of a keep-alive connection placed by its own rule, bodies of every framing
 * intact, pipelined requests answered in order, and the client's connection closed when the server's ends early.
 */
class PersistentHttpTest {
    private KeepAliveServers servers;
    private Layer7Proxy proxy;
    private ContentRule images, api, rest;
    private InetSocketAddress at;

    @BeforeEach
    void start() throws Exception {
        servers = new KeepAliveServers();
        proxy = new Layer7Proxy(SpliceMode.COPY, 1024, 1, Thread.ofPlatform().daemon().factory());
        at = startService(ProxyOptions.DEFAULTS);
    }

    private InetSocketAddress startService(ProxyOptions options) throws Exception {
        Backend rs1 = new Backend(servers.start("rs1"), 1);
        Backend rs2 = new Backend(servers.start("rs2"), 1);
        Backend rs3 = new Backend(servers.start("rs3"), 1);
        images = new ContentRule(Pattern.compile("^/images/"), null, 0, List.of(rs1));
        api = new ContentRule(Pattern.compile("^/api/"), null, 0, List.of(rs2));
        rest = new ContentRule(Pattern.compile(".*"), null, 0, List.of(rs3));
        return proxy.start("web", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ServiceRoutes("web",
                SchedulerKind.PHTTP, List.of(rs1, rs2, rs3), List.of(images, api, rest), ServiceRoutes.DEFAULT_COOKIE), options);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        servers.close();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket(at.getAddress(), at.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static Http1.Message exchange(Socket s, String method, String path, String extraHeaders, byte[] body)
            throws Exception {
        Http1.write(s.getOutputStream(), method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders + "\r\n", body);
        return Http1.readResponse(s.getInputStream(), method);
    }

    private static Http1.Message get(Socket s, String path) throws Exception {
        return exchange(s, "GET", path, "", new byte[0]);
    }

    @Test
    void eachRequestOfOneConnectionGoesWhereItsRuleSaysReusingTheServerConnectionWhileItCan() throws Exception {
        try (Socket s = connect()) {
            assertEquals("rs1 /images/a.png", get(s, "/images/a.png").text());
            assertEquals("rs1 /images/b.png", get(s, "/images/b.png").text());
            assertEquals("rs2 /api/users", get(s, "/api/users").text());
            assertEquals("rs3 /index.html", get(s, "/index.html").text());
            assertEquals("rs1 /images/c.png", get(s, "/images/c.png").text());
        }
        assertEquals(3, images.hits().get());
        assertEquals(1, api.hits().get());
        assertEquals(1, rest.hits().get());
        assertEquals(2, servers.connections("rs1"), "a.png and b.png share one server connection, c.png opens another");
        assertEquals(1, servers.connections("rs2"));
        assertEquals(1, servers.connections("rs3"));
        ProxyCounters c = proxy.counters("web");
        assertEquals(1, c.accepted.get());
        assertEquals(5, c.requests.get());
    }

    @Test
    void chunkedRequestAndResponseBodiesPassIntact() throws Exception {
        byte[] body = new byte[100_000];
        new Random(3).nextBytes(body);
        try (Socket s = connect()) {
            Http1.Message echo = exchange(s, "POST", "/echo", "Transfer-Encoding: chunked\r\n",
                    Http1.chunked(body, 1, 17, 4096, 40_000, 100_000));
            assertArrayEquals(body, echo.body(), "a chunked request body, extension and trailer, intact");
            Http1.Message chunked = get(s, "/chunked");
            assertEquals("chunked", chunked.header("Transfer-Encoding"));
            assertEquals("rs3 /chunked in several chunks", chunked.text());
            assertEquals("rs3 /after", get(s, "/after").text(), "the connection goes on after chunked bodies");
        }
        assertEquals(1, servers.connections("rs3"));
    }

    @Test
    void largeChunkedBodiesPassIntactAsTheBuffersRead() throws Exception {
        byte[] body = new byte[12 << 20];
        new Random(9).nextBytes(body);
        int[] sizes = new int[(body.length >> 16) + 1];
        java.util.Arrays.fill(sizes, 65_537);
        try (Socket s = connect()) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Http1.write(s.getOutputStream(), "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                            Http1.chunked(body, sizes));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Http1.Message echo = Http1.readResponse(s.getInputStream(), "POST");
            writer.join();
            assertArrayEquals(body, echo.body(), "12 MiB in chunks to the server, intact");
            Http1.Message download = get(s, "/chunked-big/" + (16 << 20));
            assertEquals(16 << 20, download.body().length);
            for (int i = 0; i < download.body().length; i++) {
                if (download.body()[i] != KeepAliveServers.pattern(i)) throw new AssertionError("byte " + i + " differs");
            }
        }
        assertEquals(1, servers.connections("rs3"));
    }

    @Test
    void largeContentLengthBodiesAreSplicedIntact() throws Exception {
        byte[] body = new byte[8 << 20];
        new Random(5).nextBytes(body);
        try (Socket s = connect()) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Http1.write(s.getOutputStream(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                            + "\r\n\r\n", body);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Http1.Message echo = Http1.readResponse(s.getInputStream(), "POST");
            writer.join();
            assertArrayEquals(body, echo.body(), "8 MiB to the server and back, intact");
            Http1.Message big = get(s, "/big/" + (3 << 20));
            assertEquals(3 << 20, big.body().length);
            for (int i = 0; i < big.body().length; i++) {
                if (big.body()[i] != KeepAliveServers.pattern(i)) throw new AssertionError("byte " + i + " differs");
            }
            assertEquals("rs3 /small", get(s, "/small").text(), "the connection goes on after spliced bodies");
            assertEquals("short", new String(exchange(s, "POST", "/echo", "Content-Length: 5\r\n",
                    "short".getBytes(StandardCharsets.US_ASCII)).body(), StandardCharsets.US_ASCII));
        }
        assertTrue(proxy.counters("web").splicedBodies.get() >= 3,
                "the request, its echo and the download went by splice(2): " + proxy.counters("web").splicedBodies.get());
        assertEquals(1, servers.connections("rs3"));
    }

    @Test
    void headAnd204And304AnswersHaveNoBody() throws Exception {
        try (Socket s = connect()) {
            Http1.Message head = exchange(s, "HEAD", "/page", "", new byte[0]);
            assertEquals(200, head.status());
            assertEquals("1000", head.header("Content-Length"), "HEAD: the length of the body it does not get");
            assertEquals(204, get(s, "/204").status());
            Http1.Message notModified = get(s, "/304");
            assertEquals(304, notModified.status());
            assertEquals("rs3 /next", get(s, "/next").text(), "no body was awaited after any of them");
        }
        assertEquals(1, servers.connections("rs3"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderEachWhereItsRuleSays() throws Exception {
        try (Socket s = connect()) {
            String three = "GET /api/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /images/2.png HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthree";
            s.getOutputStream().write(three.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertEquals("rs2 /api/1", Http1.readResponse(in, "GET").text());
            assertEquals("rs1 /images/2.png", Http1.readResponse(in, "GET").text());
            assertEquals("three", Http1.readResponse(in, "POST").text());
        }
    }

    @Test
    void aServerThatClosesMidResponseClosesTheClient() throws Exception {
        for (String path : List.of("/cut", "/cut-large")) {
            try (Socket s = connect()) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String head = Http1.readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200 "), head);
                assertEquals("only this", new String(in.readAllBytes(), StandardCharsets.US_ASCII),
                        path + ": what the server sent, then the close");
            }
        }
    }

    @Test
    void aResponseEndedByTheServersCloseEndsTheClientsConnection() throws Exception {
        try (Socket s = connect()) {
            assertEquals("rs3 /first", get(s, "/first").text());
            Http1.Message eof = get(s, "/eof");
            assertEquals("rs3 until the close", eof.text(), "read until the proxy closed the connection");
        }
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        try (Socket s = connect()) {
            assertEquals("rs2 /api/x", exchange(s, "GET", "/api/x", "Connection: close\r\n", new byte[0]).text());
            assertEquals(-1, s.getInputStream().read(), "closed after the answer");
        }
        try (Socket s = connect()) {
            assertEquals("rs2 /api/y", get(s, "/api/y").text());
            s.setSoTimeout(300);
            assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read(),
                    "without it, the connection stays open");
        }
    }

    @Test
    void aRequestOnAKeptConnectionThatTheServerClosedUnansweredGoesAgainOnANewOne() throws Exception {
        try (Socket s = connect()) {
            assertEquals("rs3 /then-drop", get(s, "/then-drop").text());
            assertEquals("rs3 /again", get(s, "/again").text());
        }
        assertEquals(2, servers.connections("rs3"), "the second request went on a second connection");
        assertEquals(2, proxy.counters("web").requests.get());
        assertEquals(0, proxy.counters("web").serverRefused.get());
    }

    @Test
    void aSwitchOfProtocolsHandsBothConnectionsToTheSplicer() throws Exception {
        try (Socket s = connect()) {
            assertEquals("rs3 /before", get(s, "/before").text());
            Http1.write(s.getOutputStream(), "GET /upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n",
                    "early".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertTrue(Http1.readHead(in).startsWith("HTTP/1.1 101 "));
            s.getOutputStream().write("-and-later".getBytes(StandardCharsets.US_ASCII));
            assertEquals("early-and-later", new String(in.readNBytes(15), StandardCharsets.US_ASCII));
        }
        assertEquals(1, proxy.counters("web").spliced.get());
    }

    @Test
    void forwardedForOnEveryRequestAndProxyProtocolOncePerServerConnection() throws Exception {
        proxy.stop("web");
        at = startService(ProxyOptions.DEFAULTS.withForwardedFor(true).withProxyProtocol(true));
        try (Socket s = connect()) {
            assertEquals("rs2 /api/1", get(s, "/api/1").text());
            assertEquals("rs2 /api/2", get(s, "/api/2").text());
            assertEquals("rs3 /other", get(s, "/other").text());
        }
        assertEquals(List.of("GET /api/1 HTTP/1.1 xff=127.0.0.1", "GET /api/2 HTTP/1.1 xff=127.0.0.1",
                "GET /other HTTP/1.1 xff=127.0.0.1"), servers.heads);
        assertEquals(2, servers.firstBytes.size(), "two server connections");
        for (byte[] first : servers.firstBytes) {
            assertEquals("QUIT", new String(first, 7, 4, StandardCharsets.US_ASCII), "each begins with PROXY v2");
            assertEquals(0x21, first[12]);
        }
    }

    @Test
    void badRequestsAndMissingServersAreAnsweredByTheProxy() throws Exception {
        try (Socket s = connect()) {
            assertEquals("rs3 /ok", get(s, "/ok").text());
            Http1.Message smuggle = exchange(s, "POST", "/echo", "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
                    "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(400, smuggle.status(), "Content-Length and Transfer-Encoding together");
        }
        ProxyCounters c = proxy.counters("web");
        assertEquals(1, c.malformed.get());

        InetSocketAddress closedPort;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) closed.getLocalSocketAddress();
        }
        Backend refusing = new Backend(closedPort, 1);
        at = proxy.start("refusing", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ServiceRoutes(
                "refusing", SchedulerKind.PHTTP, List.of(refusing), List.of(new ContentRule(Pattern.compile("^/api/"),
                null, 0, List.of(refusing))), ServiceRoutes.DEFAULT_COOKIE), ProxyOptions.DEFAULTS);
        try (Socket s = connect()) {
            assertEquals(502, get(s, "/api/gone").status(), "the server refuses");
        }
        try (Socket s = connect()) {
            assertEquals(503, get(s, "/other").status(), "no rule matches");
        }
        assertEquals(1, proxy.counters("refusing").serverRefused.get());
        assertEquals(1, proxy.counters("refusing").noServer.get());
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheHeadTimeout() throws Exception {
        proxy.stop("web");
        at = startService(ProxyOptions.DEFAULTS.withTimeouts(java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(2)));
        try (Socket s = connect()) {
            assertEquals("rs3 /a", get(s, "/a").text());
            assertEquals(-1, s.getInputStream().read(), "closed when no next request came in time");
        }
        assertEquals(0, proxy.counters("web").slowHeads.get(), "an idle connection is not a slow head");
    }

}
