package io.jlvs.health.check;

import io.jlvs.health.config.CheckEndpoint;
import io.jlvs.health.config.CheckerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jlvs.health.check.CheckerTestSupport.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSL_GET against a TLS server with a certificate made for the test by openssl, and genhash over both. */
class TlsAndGenhashTest {
    private static final String BODY = "hello from the real server\n";
    private static NettyCheckers checkers;
    private static SSLContext serverTls;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        checkers = CheckerTestSupport.newCheckers(null);
        serverTls = selfSignedServerContext(dir);
    }

    @AfterAll
    static void stop() { checkers.close(); }

    /** A key and self-signed certificate from openssl, in a PKCS#12 store the JDK's TLS server reads. */
    private static SSLContext selfSignedServerContext(Path dir) throws Exception {
        Path key = dir.resolve("key.pem"), cert = dir.resolve("cert.pem"), store = dir.resolve("server.p12");
        exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=www.example.com", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString());
        exec("openssl", "pkcs12", "-export", "-inkey", key.toString(), "-in", cert.toString(), "-out",
                store.toString(), "-passout", "pass:changeit");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command));
    }

    private static TestHttpServer tlsServer() throws Exception {
        return new TestHttpServer(InetAddress.getLoopbackAddress(), serverTls.getServerSocketFactory())
                .on("/", TestHttpServer.answer(200, BODY));
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static CheckerSpec.Http ssl(String digest, String virtualhost, boolean sni, String sniName) {
        return new CheckerSpec.Http(Specs.SOURCE, CheckEndpoint.DEFAULT, Specs.timing(2), true,
                List.of(Specs.urlWithDigest("/", digest)), virtualhost, "1.0", sni, sniName);
    }

    @Test
    void sslGetChecksTheDigestOverTls() throws Exception {
        try (TestHttpServer server = tlsServer()) {
            CheckResult up = check(checkers, ssl(md5(BODY), null, false, null), server.address());
            assertTrue(up.up(), up.toString());
            CheckResult down = check(checkers, ssl(md5("other"), null, false, null), server.address());
            assertFalse(down.up());
            assertTrue(down.reason().startsWith("digest mismatch (got " + md5(BODY)), down.reason());
            assertEquals(List.of(), server.sniNames);
        }
    }

    @Test
    void sniIsSniNameElseTheVirtualhost() throws Exception {
        try (TestHttpServer server = tlsServer()) {
            assertTrue(check(checkers, ssl(md5(BODY), "www.example.com", true, "sni.example.com"), server.address()).up());
            assertTrue(check(checkers, ssl(md5(BODY), "www.example.com", true, null), server.address()).up());
            assertTrue(check(checkers, ssl(md5(BODY), "www.example.com", false, "ignored.example.com"),
                    server.address()).up());
            assertEquals(List.of("sni.example.com", "www.example.com"), server.sniNames);
        }
    }

    @Test
    void sslGetToAPlainHttpServerFails() throws Exception {
        try (TestHttpServer plain = new TestHttpServer().on("/", TestHttpServer.answer(200, BODY))) {
            assertFalse(check(checkers, ssl(md5(BODY), null, false, null), plain.address()).up());
        }
    }

    @Test
    void genhashPrintsTheDigestHttpGetChecks() throws Exception {
        try (TestHttpServer tls = tlsServer();
             TestHttpServer plain = new TestHttpServer().on("/", TestHttpServer.answer(200, BODY))) {
            for (var request : List.of(
                    new Genhash.Request(plain.address(), "/", false, null, null, null, 0, Duration.ofSeconds(2)),
                    new Genhash.Request(tls.address(), "/", true, "www.example.com", "www.example.com", null, 0,
                            Duration.ofSeconds(2)))) {
                Genhash.Result result = Genhash.fetch(checkers, request).get(5, TimeUnit.SECONDS);
                assertNull(result.error());
                assertEquals("MD5SUM = " + md5(BODY) + "\n", Genhash.report(request, result, false));
                String verbose = Genhash.report(request, result, true);
                assertTrue(verbose.contains("HTTP/1.0 200 X\n") && verbose.contains("Content-Length: "
                        + BODY.length() + "\n"), verbose);
            }
            assertEquals(List.of("www.example.com"), tls.sniNames);
        }
    }

    @Test
    void genhashReportsAFailure() throws Exception {
        var request = new Genhash.Request(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 1), "/",
                false, null, null, null, 0, Duration.ofSeconds(1));
        Genhash.Result result = Genhash.fetch(checkers, request).get(5, TimeUnit.SECONDS);
        assertEquals("cannot fetch: connection refused\n", Genhash.report(request, result, false));
    }
}
