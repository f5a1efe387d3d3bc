package io.jlvs.layer7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jlvs.layer7.http.RequestHead;
import io.jlvs.layer7.proxy.Layer7Proxy;
import io.jlvs.layer7.proxy.ProxyOptions;
import io.jlvs.layer7.route.Decision;
import io.jlvs.layer7.route.SchedulerKind;
import io.jlvs.platform.splice.SpliceMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the health checks say of a server reaches the routes in force, and every routes compiled later. */
class L7RuntimeHealthTest {
    private static final InetSocketAddress A = server(1), B = server(2), C = server(3);

    private L7Runtime runtime;

    private static InetSocketAddress server(int n) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 10_000 + n);
    }

    @BeforeEach
    void start() throws Exception {
        runtime = new L7Runtime(new Layer7Proxy(SpliceMode.COPY, 64, 1, Thread.ofPlatform().daemon().factory()));
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    /** /a/ to A; /b/ to B or C; everything else to C. */
    private static L7ServiceSpec web(boolean started, int weightOfC) {
        return new L7ServiceSpec("web", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SchedulerKind.HTTP,
                List.of(new L7ServiceSpec.Server(A, 1), new L7ServiceSpec.Server(B, 1),
                        new L7ServiceSpec.Server(C, weightOfC)),
                List.of(new L7ServiceSpec.Rule("^/a/", null, 0, A), new L7ServiceSpec.Rule("^/b/", null, 0, B),
                        new L7ServiceSpec.Rule("^/b/", null, 0, C), new L7ServiceSpec.Rule(".*", null, 0, C)),
                ProxyOptions.DEFAULTS, started);
    }

    private Decision route(String ident, String path) {
        return runtime.routes(ident).route(new RequestHead("GET", path, "HTTP/1.1", List.of(), 0));
    }

    private String served(String path) {
        Decision d = route("web", path);
        return d.server() == null ? "status " + d.status() : "port " + d.server().address().getPort();
    }

    @Test
    void aDownServerGetsNoRequestsAndARuleWithoutALiveServerAnswers503() throws Exception {
        runtime.apply(List.of(web(true, 1)));
        assertEquals("port 10002", served("/b/0"), "B, the first of the least loaded, takes /b/ while it is up");
        runtime.serverHealth("web", B, false);
        for (int i = 0; i < 4; i++) assertEquals("port 10003", served("/b/" + i), "B is down: C takes /b/");
        assertEquals("port 10003", served("/x"));
        runtime.serverHealth("web", C, false);
        assertEquals("status 503", served("/x"), "the catch-all's one server is down");
        assertEquals("status 503", served("/b/1"), "both servers of the rule are down");
        assertEquals("port 10001", served("/a/1"), "A is up and serves its rule");
        Decision refused = route("web", "/b/1");
        assertNull(refused.server());
        assertEquals("every server of the rule ^/b/ is down", refused.reason());

        runtime.serverHealth("web", C, true);
        assertEquals("port 10003", served("/x"), "C back up serves the catch-all again");
        assertEquals("port 10003", served("/b/2"));
        runtime.serverHealth("web", B, true);
        assertEquals("port 10002", served("/b/3"), "B back up takes /b/ again");
    }

    @Test
    void aDownServerStaysDownAcrossAChangeAndARestartOfItsService() throws Exception {
        runtime.apply(List.of(web(true, 1)));
        runtime.serverHealth("web", C, false);
        runtime.apply(List.of(web(true, 2)));
        assertEquals("status 503", served("/x"), "a changed service keeps C down");
        runtime.apply(List.of(web(false, 2)));
        assertNull(runtime.routes("web"), "stopped");
        runtime.apply(List.of(web(true, 2)));
        assertEquals("status 503", served("/x"), "the restarted service's new routes have C down");
        runtime.serverHealth("web", C, true);
        assertEquals("port 10003", served("/x"));
    }

    @Test
    void aServiceWithoutRulesAnswers503WhenNoServerLives() throws Exception {
        L7ServiceSpec plain = new L7ServiceSpec("plain", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                SchedulerKind.HTTP, List.of(new L7ServiceSpec.Server(A, 1), new L7ServiceSpec.Server(B, 1)), List.of(),
                ProxyOptions.DEFAULTS, true);
        runtime.apply(List.of(plain));
        assertEquals(A, route("plain", "/").server().address(), "A, the first of the least loaded, while it is up");
        runtime.serverHealth("plain", A, false);
        for (int i = 0; i < 3; i++) assertEquals(B, route("plain", "/" + i).server().address());
        runtime.serverHealth("plain", B, false);
        assertEquals(503, route("plain", "/").status());
        assertEquals("no server is available", route("plain", "/").reason());
    }
}
