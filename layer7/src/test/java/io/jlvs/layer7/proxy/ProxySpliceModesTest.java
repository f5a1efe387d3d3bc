package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ContentRule;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After the decision, each splice mode carries the rest: a request with a large body and its echo intact, and many
 * short connections that leave no descriptor behind.
 */
class ProxySpliceModesTest {
    @ParameterizedTest
    @EnumSource(SpliceMode.class)
    void theBodyAfterTheHeadIsCarriedIntactAndNothingLeaks(SpliceMode mode) throws Exception {
        try (TestServers servers = new TestServers();
             Layer7Proxy proxy = new Layer7Proxy(mode, 4096, 1, Thread.ofPlatform().daemon().factory())) {
            assertEquals(mode, proxy.spliceMode(), "the kernel accepts " + mode);
            Backend echo = new Backend(servers.echo(), 1);
            InetSocketAddress at = proxy.start("echo", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new ServiceRoutes("echo", SchedulerKind.HTTP, List.of(echo),
                            List.of(new ContentRule(Pattern.compile("^/upload"), null, 0, List.of(echo))),
                            ServiceRoutes.DEFAULT_COOKIE), ProxyOptions.DEFAULTS.withSpliceAfter(0));

            uploadEchoedIntact(at, 8 << 20, 11);

            long descriptors = openDescriptors();
            for (int i = 0; i < 200; i++) {
                String r = halfClosedRequest(at, "POST /upload HTTP/1.1\r\nHost: x\r\n\r\nping");
                assertTrue(r.endsWith("ping"), r);
            }
            awaitNothingLeft(proxy, descriptors);
            assertEquals(201, proxy.counters("echo").spliced.get(), "every connection spliced at once");
        }
    }

    /**
     * POSTs a head and {@code bodyBytes} random bytes to an echo server through the proxy, half-closes, and asserts
     * that everything came back intact, then the half-close.
     */
    static void uploadEchoedIntact(InetSocketAddress at, int bodyBytes, long seed) throws Exception {
        byte[] head = "POST /upload HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[bodyBytes];
        new Random(seed).nextBytes(body);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        sent.update(head);
        sent.update(body);
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(20_000);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(head);
                    out.write(body);
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            MessageDigest back = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; total += n) back.update(buf, 0, n);
            writer.join();
            assertEquals(head.length + body.length, total, "every byte came back, then the half-close");
            assertArrayEquals(sent.digest(), back.digest(), "the head and the body, intact both ways");
        }
    }

    /** Waits until no pair is spliced and the process has no more descriptors than {@code before} (and two). */
    static void awaitNothingLeft(Layer7Proxy proxy, long before) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((proxy.splicedConnections() > 0 || openDescriptors() > before + 2) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, proxy.splicedConnections(), "every spliced pair ended");
        assertTrue(openDescriptors() <= before + 2, "no descriptor left behind: " + before + " -> " + openDescriptors());
    }

    /** Sends the request, half-closes, and reads until the other side half-closes too. */
    static String halfClosedRequest(InetSocketAddress at, String request) throws Exception {
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static long openDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
