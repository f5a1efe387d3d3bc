package io.jlvs.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlvs.control.l7.L7Changes;
import io.jlvs.control.l7.L7Command;
import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Health.ServerState;
import io.jlvs.control.l7.TcpvsadmParser;
import io.jlvs.health.check.NettyCheckers;
import io.jlvs.layer7.L7Runtime;
import io.jlvs.layer7.http.RequestHead;
import io.jlvs.layer7.proxy.Layer7Proxy;
import io.jlvs.platform.splice.SpliceMode;
import io.jlvs.forwarder.KernelPorts;
import io.jlvs.layer7.proxy.ProxyOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The layer-7 servers' checks on the health module's checkers, through the supervisor tcpvsadm reaches. */
class L7HealthChecksTest {
    private ScheduledExecutorService loop;
    private NettyCheckers checkers;
    private L7Runtime runtime;
    private L7HealthChecks checks;
    private L7Supervisor supervisor;
    private ServerSocket a;
    private ServerSocket b;

    @BeforeEach
    void start() throws IOException {
        loop = Executors.newSingleThreadScheduledExecutor();
        checkers = new NettyCheckers(null);
        runtime = new L7Runtime(new Layer7Proxy(SpliceMode.COPY, 64, 1, Thread.ofPlatform().daemon().factory()));
        checks = new L7HealthChecks(checkers, loop, runtime, L7Supervisor::address);
        supervisor = new L7Supervisor(runtime, checks, new L7Supervisor.KernelPortsInForce() {
            private KernelPorts inForce = KernelPorts.NONE;

            @Override
            public KernelPorts kernelPorts() { return inForce; }

            @Override
            public void setKernelPorts(KernelPorts ports) { inForce = ports; }
        }, () -> new int[] {0x7F000001}, ProxyOptions.DEFAULT_SPLICE_AFTER);   // 127.0.0.1 is the director's own
        a = listen(0);
        b = listen(0);
    }

    @AfterEach
    void stop() throws IOException {
        checks.close();
        runtime.close();
        checkers.close();
        loop.shutdownNow();
        a.close();
        b.close();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private static String at(ServerSocket s) {
        return "127.0.0.1:" + s.getLocalPort();
    }

    private void tcpvs(String... lines) throws L7Exception {
        L7Config config = supervisor.config();
        for (String line : lines) {
            L7Command command = TcpvsadmParser.parse(line.split(" "));
            config = L7Changes.apply(config, command);
        }
        supervisor.apply(config);
    }

    private List<ServerState> states() {
        return supervisor.health(supervisor.config().service("web")).servers();
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s: " + what);
            Thread.sleep(20);
        }
    }

    private String routed() {
        return routed("/");
    }

    private String routed(String path) {
        var d = runtime.routes("web").route(new RequestHead("GET", path, "HTTP/1.1", List.of(), 0));
        return d.server() == null ? "status " + d.status() : "port " + d.server().address().getPort();
    }

    @Test
    void aServerThatStopsListeningGoesDownAndComesBackUp() throws Exception {
        tcpvs("-A -i web -l 127.0.0.1:0 --check-interval 1 --check-retries 0", "-a -i web -r " + at(a), "-a -i web -r " + at(b),
                "--add-rule -i web -p .* -r " + at(a), "--add-rule -i web -p .* -r " + at(b), "--start -i web");
        await("both up after their first checks", () -> states().equals(List.of(ServerState.UP, ServerState.UP)));
        assertEquals("port " + a.getLocalPort(), routed(), "a, the first of the least loaded, while it is up");

        int portOfA = a.getLocalPort();
        a.close();
        await("a down", () -> states().equals(List.of(ServerState.DOWN, ServerState.UP)));
        for (int i = 0; i < 3; i++) assertEquals("port " + b.getLocalPort(), routed(), "a is down: b takes its share");
        b.close();
        await("b down", () -> states().equals(List.of(ServerState.DOWN, ServerState.DOWN)));
        assertEquals("status 503", routed(), "no live server for the catch-all");

        a = listen(portOfA);
        await("a up again", () -> states().getFirst() == ServerState.UP);
        assertEquals("port " + portOfA, routed());
    }

    @Test
    void checkNoneAStoppedServiceAndADeletedServiceAreNotChecked() throws Exception {
        b.close();
        tcpvs("-A -i web -l 127.0.0.1:0 --check-interval 1 --check-retries 0", "-a -i web -r " + at(a), "-a -i web -r " + at(b),
                "--add-rule -i web -p ^/b -r " + at(b), "--start -i web");
        await("b down", () -> states().equals(List.of(ServerState.UP, ServerState.DOWN)));
        assertEquals(2, checks.watched());
        assertEquals("status 503", routed("/b"), "b's rule has no live server");

        tcpvs("-E -i web -l 127.0.0.1:0 --check none");
        assertEquals(List.of(ServerState.UNCHECKED, ServerState.UNCHECKED), states());
        assertEquals(0, checks.watched(), "check none: no checker left");
        assertEquals("port " + b.getLocalPort(), routed("/b"), "b, unchecked, is routed to again");

        tcpvs("-E -i web -l 127.0.0.1:0 --check-interval 1 --check-retries 0");
        await("b down again", () -> states().get(1) == ServerState.DOWN);
        tcpvs("--stop -i web");
        assertEquals(List.of(ServerState.UNCHECKED, ServerState.UNCHECKED), states(), "a stopped service is not checked");
        assertEquals(0, checks.watched());
        tcpvs("--start -i web");
        await("b down once its service runs again", () -> states().get(1) == ServerState.DOWN);
        tcpvs("--stop -i web", "-D -i web");
        assertEquals(0, checks.watched(), "no checker left behind by a deleted service");
    }
}
