package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.platform.testkit.NetNs;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layer-7 proxy's splice through a real daemon, in each splice mode: a gibibyte each way arrives with the
 * sender's SHA-256, half-closes and resets pass from either side, a thousand concurrent connections leave neither
 * a descriptor nor a sockhash entry behind, and the proxy's own answers (400, 431, 502, 503, the slow head closed)
 * are counted in tcpvsadm -L --stats. The server is a thread of this JVM listening in a real server's namespace;
 * the client's sockets are made in the client's namespace.
 */
@RunsAlone
class Layer7SpliceEndToEndTest {
    static final long GIB = 1L << 30;
    static final int SERVER_PORT = 9000;
    /** A port nothing listens on, on the second real server: connections to it are refused. */
    static final int CLOSED_PORT = 9999;
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Map<String, Integer> PORTS = Map.of("sockmap", 8101, "pipe", 8102, "copy", 8103);

    static LvsTopology topology;
    static JlvsDirector director;
    static HandoverServer server;
    static ExecutorService clientNamespace;
    static ExecutorService work;
    static String gibDigest;

    @BeforeAll
    static void start() throws Exception {
        topology = LvsTopology.nat("jlvsob", 2);
        // every connection spliced at once: this class is about the splicers (the relay before them has its own tests)
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120), List.of("--splice-after", "0"));
        server = HandoverServer.start(topology.serverNamespace(1), topology.serverAddress(1), SERVER_PORT);
        clientNamespace = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("client-ns").unstarted(() -> {
            try {
                NetNs.enter(topology.clientNamespace());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            r.run();
        }));
        work = Executors.newCachedThreadPool(Thread.ofPlatform().daemon(true).name("transfer-", 0).factory());
        for (Map.Entry<String, Integer> e : PORTS.entrySet()) {
            String ident = "splice" + e.getKey();
            tcpvs("-A", "-i", ident, "-s", "http", "-P", e.getValue().toString(), "--splice", e.getKey());
            tcpvs("-a", "-i", ident, "-r", backend());
            tcpvs("--add-rule", "-i", ident, "-p", ".*", "-r", backend());
            tcpvs("--start", "-i", ident);
        }
        gibDigest = PatternStream.digest(GIB);
    }

    @AfterAll
    static void stop() throws Exception {
        if (clientNamespace != null) clientNamespace.shutdownNow();
        if (work != null) work.shutdownNow();
        if (server != null) server.close();
        if (director != null) director.close();
        if (topology != null) topology.close();
    }

    private static String backend() {
        return topology.serverAddress(1) + ":" + SERVER_PORT;
    }

    private static void tcpvs(String... args) {
        CommandResult r = director.tcpvs(args);
        assertEquals(0, r.exitCode(), "tcpvsadm " + String.join(" ", args) + ": " + r.describe());
    }

    /** A connection from the client's namespace to a layer-7 service on the director. */
    private static Socket connect(int port) throws Exception {
        Socket s = clientNamespace.submit(() -> {
            Socket c = new Socket();
            c.connect(new InetSocketAddress(topology.directorClientAddress(), port), 10_000);
            return c;
        }).get(20, TimeUnit.SECONDS);
        s.setSoTimeout(60_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** The proxy's answer starts with its status line; else the answer and the daemon's last log lines are shown. */
    private static void assertAnswer(String status, String answer, String what) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), () -> what + ": answered '" + answer + "'\n"
                + director.daemon().logTail(30));
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** What the director's tcpvsadm -L -n --stats says of one service. */
    private static String stats(String ident) {
        return director.tcpvs("-L", "-n", "--stats", "-i", ident).stdoutOrThrow();
    }

    private static final Pattern SPLICER = Pattern.compile("# splicer: (\\S+), (\\d+) pairs?, (\\d+) sockhash entries");
    private static final Pattern CONNECTIONS = Pattern.compile("# connections: (\\d+) accepted, (\\d+) spliced, (\\d+) spliced now");

    private static long figure(String listing, Pattern pattern, int group) {
        Matcher m = pattern.matcher(listing);
        assertTrue(m.find(), "no " + pattern + " in:\n" + listing);
        return Long.parseLong(m.group(group));
    }

    /** The proxy's own answers of a service by status, and its slow heads closed, from --stats. */
    private static Map<String, Long> answered(String listing) {
        Matcher m = Pattern.compile("# answered: 400 (\\d+), 431 (\\d+), 502 (\\d+), 503 (\\d+), 504 (\\d+); "
                + "slow heads closed (\\d+)").matcher(listing);
        assertTrue(m.find(), listing);
        Map<String, Long> figures = new TreeMap<>();
        String[] names = {"400", "431", "502", "503", "504", "slow"};
        for (int i = 0; i < names.length; i++) figures.put(names[i], Long.parseLong(m.group(i + 1)));
        return figures;
    }

    @Test
    void thePeriodicPatternIsHttpIdentityServersPattern() throws Exception {
        long n = (40L << 20) + 12345;
        assertEquals(PatternFiles.digestOfPattern(n), PatternStream.digest(n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sockmap", "pipe", "copy"})
    void aGibibyteDownloadAndUploadArriveWithTheSendersDigest(String mode) throws Exception {
        int port = PORTS.get(mode);
        assertEquals(mode, SPLICER.matcher(stats("splice" + mode)).results().findFirst().orElseThrow().group(1),
                "the splice mode in force, without fallback");

        long started = System.nanoTime();
        try (Socket c = connect(port)) {
            send(c, "GET /download HTTP/1.1\r\nHost: test\r\n\r\n");
            HandoverServer.Peer p = server.next(WAIT);
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (p) {
                    p.out().write(("HTTP/1.1 200 OK\r\nContent-Length: " + GIB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    PatternStream.write(p.out(), GIB);
                    p.socket().shutdownOutput();
                    assertEquals(-1, p.in().read(), "nothing more from the client");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, work);
            InputStream in = c.getInputStream();
            assertTrue(HandoverServer.head(in).startsWith("HTTP/1.1 200 OK"));
            PatternStream.Received got = PatternStream.drain(in);
            c.shutdownOutput();
            serving.get(60, TimeUnit.SECONDS);
            assertEquals(GIB, got.bytes(), mode);
            assertEquals(gibDigest, got.sha256(), "the download's SHA-256 through " + mode);
        }
        long downloaded = System.nanoTime();

        try (Socket c = connect(port)) {
            CompletableFuture<PatternStream.Received> receiving = CompletableFuture.supplyAsync(() -> {
                try {
                    HandoverServer.Peer p = server.next(WAIT);
                    try (p) {
                        PatternStream.Received r = PatternStream.drain(p.in());
                        p.out().write(("HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n" + r.sha256() + "\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        return r;
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, work);
            send(c, "PUT /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + GIB + "\r\n\r\n");
            PatternStream.write(c.getOutputStream(), GIB);
            c.shutdownOutput();
            String reply = readAll(c.getInputStream());
            PatternStream.Received r = receiving.get(60, TimeUnit.SECONDS);
            assertEquals(GIB, r.bytes(), mode);
            assertEquals(gibDigest, r.sha256(), "the upload's SHA-256 through " + mode);
            assertTrue(reply.endsWith("\r\n\r\n" + gibDigest + "\n"), "the server's digest reached the client: " + reply);
        }
        long uploaded = System.nanoTime();
        System.out.printf("splice %s: 1 GiB download %.1f s, 1 GiB upload %.1f s%n", mode,
                (downloaded - started) / 1e9, (uploaded - downloaded) / 1e9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sockmap", "pipe", "copy"})
    void halfClosesPassInBothDirections(String mode) throws Exception {
        int port = PORTS.get(mode);
        // the client shuts its write side and still receives the server's reply
        try (Socket c = connect(port)) {
            send(c, "POST /half HTTP/1.1\r\nHost: test\r\n\r\nclient's last words");
            c.shutdownOutput();
            try (HandoverServer.Peer p = server.next(WAIT)) {
                assertEquals("client's last words", readAll(p.in()), "the client's bytes, then its end");
                p.out().write("the server's reply".getBytes(StandardCharsets.US_ASCII));
                p.socket().shutdownOutput();
            }
            assertEquals("the server's reply", readAll(c.getInputStream()));
        }
        // the server shuts its write side and still receives what the client sends after that
        try (Socket c = connect(port)) {
            send(c, "POST /half HTTP/1.1\r\nHost: test\r\n\r\n");
            try (HandoverServer.Peer p = server.next(WAIT)) {
                p.out().write("early answer".getBytes(StandardCharsets.US_ASCII));
                p.socket().shutdownOutput();
                assertEquals("early answer", readAll(c.getInputStream()), "the answer, then the server's end");
                send(c, "more from the client");
                c.shutdownOutput();
                assertEquals("more from the client", readAll(p.in()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sockmap", "pipe", "copy"})
    void aResetFromEitherSideReachesTheOther(String mode) throws Exception {
        int port = PORTS.get(mode);
        try (Socket c = connect(port); HandoverServer.Peer p = connectedPeer(c)) {
            c.setSoLinger(true, 0);
            c.close();
            assertReset(p.in(), "the client's reset at the server");
        }
        try (Socket c = connect(port); HandoverServer.Peer p = connectedPeer(c)) {
            p.socket().setSoLinger(true, 0);
            p.socket().close();
            assertReset(c.getInputStream(), "the server's reset at the client");
        }
    }

    /** Sends a head and a first exchange both ways, so that the pair is spliced before the test resets one end. */
    private static HandoverServer.Peer connectedPeer(Socket c) throws Exception {
        send(c, "GET /reset HTTP/1.1\r\nHost: test\r\n\r\nping");
        HandoverServer.Peer p = server.next(WAIT);
        assertEquals('p', p.in().read());
        p.in().readNBytes(3);
        p.out().write('!');
        p.out().flush();
        assertEquals('!', c.getInputStream().read());
        return p;
    }

    private static void assertReset(InputStream in, String what) {
        IOException e = assertThrows(IOException.class, () -> {
            for (int b; (b = in.read()) >= 0; ) {
                throw new AssertionError("a byte " + b + " instead of the reset");
            }
        }, what + ": an orderly end instead of a reset");
        assertInstanceOf(SocketException.class, e, what);
        assertTrue(!(e instanceof SocketTimeoutException) && e.getMessage().contains("reset"), what + ": " + e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sockmap", "pipe", "copy"})
    void aThousandConcurrentConnectionsLeaveNoDescriptorAndNoSockhashEntry(String mode) throws Exception {
        int port = PORTS.get(mode);
        String ident = "splice" + mode;
        Path fds = Path.of("/proc/" + director.daemon().pid() + "/fd");
        Conditions.await("no pair of an earlier test spliced", WAIT,
                () -> figure(stats(ident), CONNECTIONS, 3) == 0);
        long before = descriptors(fds);
        int n = 1000;
        List<Socket> clients = new ArrayList<>(n);
        List<HandoverServer.Peer> peers = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Socket c = connect(port);
                clients.add(c);
                send(c, "GET /many/" + i + " HTTP/1.1\r\nHost: test\r\n\r\n");
            }
            for (int i = 0; i < n; i++) peers.add(server.next(WAIT));
            // all thousand spliced at once: the figures the absence below is read from can see them
            Conditions.await("1000 pairs spliced now", WAIT, () -> figure(stats(ident), CONNECTIONS, 3) == n);
            String during = stats(ident);
            if (mode.equals("sockmap")) {
                assertTrue(figure(during, SPLICER, 3) >= 2L * n, "sockhash entries of 1000 pairs: " + during);
            } else {
                assertEquals(0, figure(during, SPLICER, 3), during);
            }
            assertTrue(descriptors(fds) >= before + 2L * n, "the daemon holds both sockets of each pair");
            for (HandoverServer.Peer p : peers) {
                p.out().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                p.close();
            }
            for (Socket c : clients) {
                assertTrue(readAll(c.getInputStream()).startsWith("HTTP/1.1 204"));
                c.close();
            }
        } finally {
            for (Socket c : clients) c.close();
            for (HandoverServer.Peer p : peers) p.close();
        }
        Conditions.await("no pair left spliced and no sockhash entry", WAIT, () -> {
            String after = stats(ident);
            return figure(after, CONNECTIONS, 3) == 0 && figure(after, SPLICER, 3) == 0 && figure(after, SPLICER, 2) == 0;
        });
        // the pipe splicer keeps up to 32 empty pipes open for the next pairs (PipeMover's spare pipes): bounded,
        // whatever the number of connections
        long spares = mode.equals("pipe") ? 2 * 32 : 0;
        boolean back = Conditions.holdsWithin(WAIT, () -> descriptors(fds) <= before + spares);
        assertTrue(back, "the daemon's descriptors: " + before + " before, " + descriptors(fds) + " after");
    }

    private static long descriptors(Path fds) {
        try (var list = Files.list(fds)) {
            return list.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theProxysOwnAnswersAreCountedInStats() throws Exception {
        tcpvs("-A", "-i", "answers", "-s", "http", "-P", "8110");
        String refusing = topology.serverAddress(2) + ":" + CLOSED_PORT;
        tcpvs("-a", "-i", "answers", "-r", refusing);
        tcpvs("--add-rule", "-i", "answers", "-p", ".*", "-r", refusing);
        tcpvs("-A", "-i", "empty", "-s", "http", "-P", "8111");
        tcpvs("--start", "-i", "answers");
        tcpvs("--start", "-i", "empty");
        Map<String, Long> before = answered(stats("answers"));
        assertEquals(0L, before.values().stream().mapToLong(Long::longValue).sum(), "a new service has answered nothing");

        // slowloris: a head that never ends is closed after the head timeout (10 s); the other checks run meanwhile
        Socket slow = connect(8110);
        send(slow, "GET / HTTP/1.1\r\nHost: test\r\n");
        long slowSince = System.nanoTime();

        try (Socket c = connect(8110)) {
            send(c, "NOT A REQUEST\r\n\r\n");
            assertAnswer("400", readAll(c.getInputStream()), "malformed");
        }
        try (Socket c = connect(8110)) {
            StringBuilder big = new StringBuilder("GET / HTTP/1.1\r\nX-Big: ");
            while (big.length() < 16 * 1024 + 1) big.append('a');
            send(c, big.substring(0, 16 * 1024 + 1));
            assertAnswer("431", readAll(c.getInputStream()), "oversize head");
        }
        try (Socket c = connect(8110)) {
            send(c, "GET / HTTP/1.1\r\nHost: test\r\n\r\n");
            assertAnswer("502", readAll(c.getInputStream()), "the server refuses connections");
        }
        try (Socket c = connect(8111)) {
            send(c, "GET / HTTP/1.1\r\nHost: test\r\n\r\n");
            assertAnswer("503", readAll(c.getInputStream()), "a service without a server");
        }
        try (slow) {
            String answer = readAll(slow.getInputStream());
            double waited = (System.nanoTime() - slowSince) / 1e9;
            assertEquals("", answer, "a slow head is closed without an answer");
            assertTrue(waited > 8 && waited < 20, "closed after the head timeout: " + waited + " s");
        }

        Map<String, Long> counted = answered(stats("answers"));
        assertEquals(Map.of("400", 1L, "431", 1L, "502", 1L, "503", 0L, "504", 0L, "slow", 1L), counted);
        assertEquals(4, figure(stats("answers"), CONNECTIONS, 1), "accepted");
        assertEquals(0, figure(stats("answers"), CONNECTIONS, 2), "spliced");
        assertEquals(Map.of("400", 0L, "431", 0L, "502", 0L, "503", 1L, "504", 0L, "slow", 0L), answered(stats("empty")));
    }
}
