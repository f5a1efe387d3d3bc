package io.jlvs.health.check;

import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ServerSocketFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jlvs.health.check.CheckerTestSupport.check;
import static io.jlvs.health.check.Specs.http;
import static io.jlvs.health.check.Specs.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpCheckerTest {
    private static NettyCheckers checkers;

    @BeforeAll
    static void start() { checkers = CheckerTestSupport.newCheckers(null); }

    @AfterAll
    static void stop() { checkers.close(); }

    @Test
    void upOn200AndTheRequestIsKeepalivedsHttp10() throws Exception {
        try (TestHttpServer server = new TestHttpServer().on("/health", TestHttpServer.answer(200, "ok"))) {
            CheckResult result = check(checkers, http(1, url("/health")), server.address());
            assertTrue(result.up(), result.toString());
            assertEquals("HTTP 200", result.reason());
            String head = server.requestHeads.getFirst();
            assertTrue(head.startsWith("GET /health HTTP/1.0\r\n"), head);
            assertTrue(head.contains("Host: 127.0.0.1:" + server.address().getPort() + "\r\n"), head);
        }
    }

    @Test
    void downOn503() throws Exception {
        try (TestHttpServer server = new TestHttpServer().on("/", TestHttpServer.answer(503, "busy"))) {
            CheckResult result = check(checkers, http(1, url("/")), server.address());
            assertFalse(result.up());
            assertEquals("HTTP 503", result.reason());
        }
    }

    @Test
    void statusRangesAreAccepted() throws Exception {
        try (TestHttpServer server = new TestHttpServer().on("/", TestHttpServer.answer(302, "moved"))) {
            var moved = new CheckerSpec.UrlSpec("/", null, Specs.statuses(300, 399), null, false, null);
            assertTrue(check(checkers, http(1, moved), server.address()).up());
            assertEquals("HTTP 302", check(checkers, http(1, url("/")), server.address()).reason());
        }
    }

    @Test
    void digestIsMd5sumsOfTheBody(@TempDir Path dir) throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 7];
        for (int i = 0; i < body.length; i++) body[i] = (byte) (i * 31 + i / 1024);
        Path file = dir.resolve("body");
        Files.write(file, body);
        Process md5sum = new ProcessBuilder("md5sum", file.toString()).start();
        String want = new String(md5sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split(" ")[0];
        assertEquals(0, md5sum.waitFor());
        try (TestHttpServer server = new TestHttpServer().on("/big", TestHttpServer.answer(200, body))) {
            assertEquals(CheckResult.up("HTTP 200", 0).reason(),
                    check(checkers, http(5, Specs.urlWithDigest("/big", want)), server.address()).reason());
            String other = "0123456789abcdef0123456789abcdef";
            CheckResult mismatch = check(checkers, http(5, Specs.urlWithDigest("/big", other)), server.address());
            assertFalse(mismatch.up());
            assertEquals("digest mismatch (got " + want + ", want " + other + ")", mismatch.reason());
        }
    }

    @Test
    void regexAndRegexNoMatch() throws Exception {
        try (TestHttpServer server = new TestHttpServer().on("/", TestHttpServer.answer(200, "status: GREEN\n"))) {
            assertTrue(check(checkers, http(1, Specs.urlWithRegex("/", "status: (GREEN|YELLOW)", false)),
                    server.address()).up());
            assertEquals("body does not match regex", check(checkers,
                    http(1, Specs.urlWithRegex("/", "RED", false)), server.address()).reason());
            assertTrue(check(checkers, http(1, Specs.urlWithRegex("/", "RED", true)), server.address()).up());
            assertEquals("body matches regex_no_match", check(checkers,
                    http(1, Specs.urlWithRegex("/", "GREEN", true)), server.address()).reason());
        }
    }

    @Test
    void everyUrlInOrderMustPass() throws Exception {
        try (TestHttpServer server = new TestHttpServer().on("/a", TestHttpServer.answer(200, "a"))
                .on("/b", TestHttpServer.answer(200, "b"))) {
            assertEquals("HTTP 200 on /b", check(checkers, http(1, url("/a"), url("/b")), server.address()).reason());
            CheckResult missing = check(checkers, http(1, url("/a"), url("/c"), url("/b")), server.address());
            assertFalse(missing.up());
            assertEquals("HTTP 404 on /c", missing.reason());
            assertEquals(List.of("/a", "/b", "/a", "/c"), server.requestHeads.stream().map(h -> h.split(" ")[1]).toList());
        }
    }

    @Test
    void aTricklingServerIsCutOffAtTheTimeout() throws Exception {
        byte[] slow = TestHttpServer.answer(200, "x".repeat(100));
        try (TestHttpServer server = new TestHttpServer().on("/", new TestHttpServer.Response(slow, 200))) {
            CheckResult result = check(checkers, http(1, Specs.urlWithDigest("/", "00")), server.address());
            assertFalse(result.up());
            assertEquals("timeout after 1.0 s", result.reason());
            assertTrue(result.elapsedNanos() < TimeUnit.MILLISECONDS.toNanos(1300), result.toString());
        }
    }

    @Test
    void http11SendsHostAndConnectionCloseAndReadsChunkedBodies() throws Exception {
        byte[] chunked = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (TestHttpServer server = new TestHttpServer().on("/c", chunked)) {
            var spec = new CheckerSpec.Http(Specs.SOURCE, CheckEndpoint.DEFAULT, Specs.timing(1), false,
                    List.of(Specs.urlWithDigest("/c", "ab56b4d92b40713acc5af89985d4b786")), "www.example.com", "1.1",
                    false, null);
            CheckResult result = check(checkers, spec, server.address());
            assertTrue(result.up(), result.toString());
            String head = server.requestHeads.getFirst();
            assertTrue(head.startsWith("GET /c HTTP/1.1\r\n"), head);
            assertTrue(head.contains("Host: www.example.com:" + server.address().getPort() + "\r\n"), head);
            assertTrue(head.toLowerCase().contains("connection: close\r\n"), head);
        }
    }

    @Test
    void overIpv6() throws Exception {
        try (TestHttpServer server = new TestHttpServer(InetAddress.getByName("::1"), ServerSocketFactory.getDefault())
                .on("/", TestHttpServer.answer(200, "ok"))) {
            assertTrue(check(checkers, http(1, url("/")), server.address()).up());
            assertTrue(server.requestHeads.getFirst().contains("Host: [::1]:"), server.requestHeads.getFirst());
        }
    }

    @Test
    void connectIpAndPortOverrideTheRealServer() throws Exception {
        try (TestHttpServer server = new TestHttpServer().on("/", TestHttpServer.answer(200, "ok"))) {
            var endpoint = new CheckEndpoint(InetAddress.getLoopbackAddress(), server.address().getPort(),
                    InetAddress.getLoopbackAddress(), 0, 7);
            var spec = new CheckerSpec.Http(Specs.SOURCE, endpoint, Specs.timing(1), false, List.of(url("/")), null,
                    "1.0", false, null);
            var nowhere = new java.net.InetSocketAddress(InetAddress.getByName("198.51.100.9"), 1);
            assertTrue(check(checkers, spec, nowhere).up());
        }
    }
}
