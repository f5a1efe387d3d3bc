package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ContentRule;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy on loopback: rules, the answers it gives itself, what the server is told about the client. */
class Layer7ProxyTest {
    private TestServers servers;
    private Layer7Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        servers = new TestServers();
        proxy = new Layer7Proxy(SpliceMode.COPY, 1024, 1, Thread.ofPlatform().daemon().factory());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        servers.close();
    }

    private static InetSocketAddress any() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** One request on its own connection; the whole answer. */
    static String request(InetSocketAddress proxy, String head) throws Exception {
        try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static String get(InetSocketAddress proxy, String path) throws Exception {
        return request(proxy, "GET " + path + " HTTP/1.1\r\nHost: example\r\n\r\n");
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void httpRulesPlaceEachRequestAndCountTheirHits() throws Exception {
        Backend images = new Backend(servers.named("rs1"), 1);
        Backend rest = new Backend(servers.named("rs3"), 1);
        ContentRule imageRule = new ContentRule(Pattern.compile("^/images/"), null, 0, List.of(images));
        ContentRule catchAll = new ContentRule(Pattern.compile(".*"), null, 0, List.of(rest));
        InetSocketAddress at = proxy.start("web", any(), new ServiceRoutes("web", SchedulerKind.HTTP,
                List.of(images, rest), List.of(imageRule, catchAll), ServiceRoutes.DEFAULT_COOKIE), ProxyOptions.DEFAULTS);
        assertEquals("rs1 /images/a.png", body(get(at, "/images/a.png")));
        assertEquals("rs3 /index.html", body(get(at, "/index.html")));
        assertEquals("rs3 /x/images/", body(get(at, "/x/images/")));
        assertEquals(1, imageRule.hits().get());
        assertEquals(2, catchAll.hits().get());
        assertEquals(0, proxy.counters("web").spliced.get(), "short exchanges end before any splice");
    }

    @Test
    void hhttpKeepsEachKeyOnOneServerAndAddingAServerMovesOnlyKeysToIt() throws Exception {
        Backend a = new Backend(servers.named("a"), 1), b = new Backend(servers.named("b"), 1);
        Backend c = new Backend(servers.named("c"), 1);
        Pattern users = Pattern.compile("^/users/([^/]+)/");
        InetSocketAddress at = proxy.start("users", any(), hashed(users, List.of(a, b)), ProxyOptions.DEFAULTS);
        java.util.Map<String, String> before = new java.util.HashMap<>();
        for (int k = 0; k < 40; k++) {
            String server = body(get(at, "/users/u" + k + "/x")).split(" ")[0];
            before.put("u" + k, server);
            assertEquals(server, body(get(at, "/users/u" + k + "/y")).split(" ")[0], "the same key, the same server");
        }
        assertTrue(before.containsValue("a") && before.containsValue("b"), "both servers get keys: " + before);
        proxy.update("users", hashed(users, List.of(a, b, c)), ProxyOptions.DEFAULTS);
        int moved = 0;
        for (int k = 0; k < 40; k++) {
            String server = body(get(at, "/users/u" + k + "/x")).split(" ")[0];
            if (!server.equals(before.get("u" + k))) {
                assertEquals("c", server, "a key moves only to the new server");
                moved++;
            }
        }
        assertTrue(moved > 0 && moved < 40, "some keys move to the new server: " + moved);
    }

    private static ServiceRoutes hashed(Pattern p, List<Backend> servers) {
        return new ServiceRoutes("users", SchedulerKind.HHTTP, servers, List.of(new ContentRule(p, null, 1, servers)),
                ServiceRoutes.DEFAULT_COOKIE);
    }

    @Test
    void chttpPinsTheClientWithACookie() throws Exception {
        Backend a = new Backend(servers.named("a"), 1), b = new Backend(servers.named("b"), 1);
        InetSocketAddress at = proxy.start("shop", any(), new ServiceRoutes("shop", SchedulerKind.CHTTP, List.of(a, b),
                List.of(), ServiceRoutes.DEFAULT_COOKIE), ProxyOptions.DEFAULTS);
        String first = get(at, "/cart");
        String pinned = body(first).split(" ")[0];
        String cookieLine = first.lines().filter(l -> l.startsWith("Set-Cookie: JLVS_SERVER=")).findFirst().orElseThrow();
        String cookie = cookieLine.substring("Set-Cookie: ".length(), cookieLine.indexOf(';'));
        for (int i = 0; i < 6; i++) {
            String r = request(at, "GET /cart HTTP/1.1\r\nHost: x\r\nCookie: a=1; " + cookie + "\r\n\r\n");
            assertEquals(pinned, body(r).split(" ")[0], "the cookie pins the client");
            assertTrue(r.lines().noneMatch(l -> l.startsWith("Set-Cookie")), "a pinned client gets no new cookie");
        }
    }

    @Test
    void theProxyAnswersBadHeadsMissingServersAndSlowClientsItself() throws Exception {
        Backend down = new Backend(servers.named("down"), 1);
        down.up(false);
        InetSocketAddress closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) s.getLocalSocketAddress();
        }
        Backend refusing = new Backend(closedPort, 1);
        ServiceRoutes routes = new ServiceRoutes("web", SchedulerKind.HTTP, List.of(down, refusing), List.of(
                new ContentRule(Pattern.compile("^/down"), null, 0, List.of(down)),
                new ContentRule(Pattern.compile("^/refused"), null, 0, List.of(refusing))), ServiceRoutes.DEFAULT_COOKIE);
        ProxyOptions options = ProxyOptions.DEFAULTS.withTimeouts(Duration.ofMillis(400), Duration.ofSeconds(2));
        InetSocketAddress at = proxy.start("web", any(), routes, options);

        assertTrue(get(at, "/down").startsWith("HTTP/1.1 503 "), "every server of the rule is down");
        assertTrue(get(at, "/nothing").startsWith("HTTP/1.1 503 "), "no rule matches");
        assertTrue(get(at, "/refused").startsWith("HTTP/1.1 502 "), "the server refuses");
        assertTrue(request(at, "NOT HTTP AT ALL\r\n\r\n").startsWith("HTTP/1.1 400 "));
        String huge = "GET / HTTP/1.1\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n";
        assertTrue(request(at, huge).startsWith("HTTP/1.1 431 "));
        try (Socket slow = new Socket(at.getAddress(), at.getPort())) {
            slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.setSoTimeout(5000);
            assertEquals(-1, slow.getInputStream().read(), "a head not finished in time: closed without an answer");
        }
        ProxyCounters c = proxy.counters("web");
        assertEquals(2, c.noServer.get());
        assertEquals(1, c.serverRefused.get());
        assertEquals(1, c.malformed.get());
        assertEquals(1, c.headTooLarge.get());
        assertEquals(1, c.slowHeads.get());
    }

    @Test
    void theServerLearnsTheClientByForwardedForOrProxyProtocol() throws Exception {
        Backend s = new Backend(servers.named("s"), 1);
        ServiceRoutes routes = new ServiceRoutes("web", SchedulerKind.HTTP, List.of(s),
                List.of(new ContentRule(Pattern.compile(".*"), null, 0, List.of(s))), ServiceRoutes.DEFAULT_COOKIE);
        InetSocketAddress at = proxy.start("web", any(), routes, ProxyOptions.DEFAULTS.withForwardedFor(true));
        assertEquals("s /a", body(get(at, "/a")));
        String head = new String(servers.received.getLast(), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("GET /a HTTP/1.1\r\nX-Forwarded-For: 127.0.0.1\r\nHost: example\r\n"), head);

        proxy.update("web", routes, ProxyOptions.DEFAULTS.withProxyProtocol(true));
        assertEquals("s /b", body(get(at, "/b")));
        byte[] raw = servers.received.getLast();
        assertEquals(0x0D, raw[0]);
        assertEquals("QUIT", new String(raw, 7, 4, StandardCharsets.US_ASCII));
        assertEquals(0x21, raw[12], "version 2, PROXY");
        assertEquals(0x11, raw[13], "TCP over IPv4");
        assertEquals(127, raw[16], "the client's address");
        assertTrue(new String(raw, 28, raw.length - 28, StandardCharsets.ISO_8859_1).startsWith("GET /b HTTP/1.1\r\n"));
    }

    @Test
    void wlcReadsNothingAndSplicesAtOnce() throws Exception {
        Backend echo = new Backend(servers.echo(), 1);
        InetSocketAddress at = proxy.start("tcp", any(), new ServiceRoutes("tcp", SchedulerKind.WLC, List.of(echo),
                List.of(), ServiceRoutes.DEFAULT_COOKIE), ProxyOptions.DEFAULTS);
        byte[] data = new byte[4 << 20];
        new java.util.Random(7).nextBytes(data);
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(10_000);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(data);
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            InputStream in = s.getInputStream();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            in.transferTo(back);
            writer.join();
            assertTrue(java.util.Arrays.equals(data, back.toByteArray()), "4 MiB through and back, intact");
        }
    }
}
