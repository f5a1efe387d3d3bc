package io.jlvs.layer7.proxy;

import io.jlvs.layer7.route.Backend;
import io.jlvs.layer7.route.ContentRule;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.layer7.route.ServiceRoutes;
import io.jlvs.platform.splice.SpliceMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay before the splice: a short exchange ends on the event loop and is never spliced, a long one is spliced
 * once enough has passed and arrives intact, a half-close passes through, and a reset reaches the client.
 */
class RelayBeforeSpliceTest {
    private TestServers servers;
    private Layer7Proxy proxy;

    @BeforeEach
    void start() throws Exception {
        servers = new TestServers();
        proxy = new Layer7Proxy(SpliceMode.SOCKMAP, 4096, 1, Thread.ofPlatform().daemon().factory());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        servers.close();
    }

    private InetSocketAddress serve(InetSocketAddress server) throws Exception {
        Backend backend = new Backend(server, 1);
        return proxy.start("svc", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new ServiceRoutes("svc", SchedulerKind.HTTP, List.of(backend),
                        List.of(new ContentRule(Pattern.compile(".*"), null, 0, List.of(backend))),
                        ServiceRoutes.DEFAULT_COOKIE), ProxyOptions.DEFAULTS);
    }

    @Test
    void shortExchangesEndOnTheEventLoopAndLeaveNothingBehind() throws Exception {
        InetSocketAddress at = serve(servers.echo());
        long descriptors = ProxySpliceModesTest.openDescriptors();
        for (int i = 0; i < 200; i++) {
            String r = ProxySpliceModesTest.halfClosedRequest(at, "POST /upload HTTP/1.1\r\nHost: x\r\n\r\nping " + i);
            assertTrue(r.endsWith("ping " + i), r);
        }
        ProxySpliceModesTest.awaitNothingLeft(proxy, descriptors);
        assertEquals(200, proxy.counters("svc").accepted.get());
        assertEquals(0, proxy.counters("svc").spliced.get(), "connections spliced");
    }

    @Test
    void aLongExchangeIsSplicedOnceEnoughPassedAndArrivesIntact() throws Exception {
        InetSocketAddress at = serve(servers.echo());
        ProxySpliceModesTest.uploadEchoedIntact(at, 8 << 20, 5);
        assertEquals(1, proxy.counters("svc").spliced.get(), "connections spliced");
    }

    @Test
    void aServerResetReachesTheClient() throws Exception {
        InetSocketAddress echoed = serve(servers.echo());
        // the same client code sees a clean end from a server that ends cleanly
        assertTrue(ProxySpliceModesTest.halfClosedRequest(echoed, "GET / HTTP/1.1\r\n\r\n").endsWith("\r\n\r\n"));
        proxy.stop("svc");
        InetSocketAddress at = serve(servers.resetting());
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            SocketException e = assertThrows(SocketException.class, () -> s.getInputStream().readAllBytes());
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }
}
