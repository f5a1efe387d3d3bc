package io.jlvs.health.check;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jlvs.health.check.CheckerTestSupport.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpCheckerTest {
    private static NettyCheckers checkers;

    @BeforeAll
    static void start() { checkers = CheckerTestSupport.newCheckers(null); }

    @AfterAll
    static void stop() { checkers.close(); }

    @Test
    void upWhenTheServerAccepts() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CheckResult result = check(checkers, Specs.tcp(1), (InetSocketAddress) server.getLocalSocketAddress());
            assertEquals(CheckResult.up("connected", result.elapsedNanos()), result);
        }
    }

    @Test
    void upOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket server = new ServerSocket(0, 50, v6)) {
            CheckResult result = check(checkers, Specs.tcp(1), new InetSocketAddress(v6, server.getLocalPort()));
            assertTrue(result.up(), result.toString());
        }
    }

    @Test
    void downWhenRefused() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        CheckResult result = check(checkers, Specs.tcp(1), new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertFalse(result.up());
        assertEquals("connection refused", result.reason());
    }

    @Test
    void timesOutWhenTheServerNeverCompletesTheHandshake() throws Exception {
        // a listener that never accepts, its queue filled: the kernel drops further SYNs, so connect hangs
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            List<Socket> fillers = fillAcceptQueue(address);
            try {
                CheckResult result = check(checkers, Specs.tcp(1), address);
                assertEquals("timeout after 1.0 s", result.reason());
                assertFalse(result.up());
                assertTrue(result.elapsedNanos() >= TimeUnit.MILLISECONDS.toNanos(1000), result.toString());
            } finally {
                for (Socket s : fillers) s.close();
            }
            // the same listener, accepting again, would have been seen
            server.accept().close();
        }
    }

    private static List<Socket> fillAcceptQueue(InetSocketAddress address) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = new Socket();
            try {
                s.connect(address, 200);
                sockets.add(s);
            } catch (java.io.IOException full) {
                s.close();
                break;
            }
        }
        return sockets;
    }

    @Test
    void twoThousandConcurrentChecksOnOneLoop() throws Exception {
        int count = 2000;
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) server.accept().close();
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            List<Checker> all = new ArrayList<>();
            List<CompletableFuture<CheckResult>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Checker checker = checkers.create(Specs.tcp(10), address);
                all.add(checker);
                results.add(checker.check());
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long up = results.stream().filter(f -> f.join().up()).count();
            assertEquals(count, up);
            server.close();
            acceptor.join();
        }
    }

    @Test
    void closingTheCheckersEndsRunningChecks() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
            List<Socket> fillers = fillAcceptQueue(address);
            try {
                NettyCheckers own = CheckerTestSupport.newCheckers(null);
                CompletableFuture<CheckResult> running = own.create(Specs.tcp(30), address).check();
                own.close();
                CheckResult result = running.get(5, TimeUnit.SECONDS);
                assertFalse(result.up());
                assertEquals("checkers closed", result.reason());
            } finally {
                for (Socket s : fillers) s.close();
            }
        }
    }
}
