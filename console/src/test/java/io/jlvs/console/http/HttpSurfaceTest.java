package io.jlvs.console.http;

import io.jlvs.console.DataPlaneTelemetry;
import io.jlvs.console.RecentEvents;

import io.jlvs.control.AdmExecutor;
import io.jlvs.control.FakeDirectorRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listener itself: live events, slow clients, TLS, who may read without the token, and its settings. */
class HttpSurfaceTest {
    private static final String TOKEN = RestApiTest.TOKEN;

    private final RecentEvents log = new RecentEvents();

    private HttpConsole console(AdmExecutor executor, HttpSettings settings, long deadlineMillis) throws Exception {
        HttpConsole c = new HttpConsole(settings, AccessToken.of(TOKEN), executor, DataPlaneTelemetry.NONE, null, log,
                Thread.ofPlatform().daemon().factory(), deadlineMillis);
        c.start();
        return c;
    }

    private static HttpSettings loopback() {
        return new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null, null, null);
    }

    @Test
    void theEventStreamSendsStatsEverySecondAChangeWhateverMadeItAndTheLog() throws Exception {
        AdmExecutor executor = new AdmExecutor(new FakeDirectorRuntime());
        try (HttpConsole c = console(executor, loopback(), 10_000)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + c.boundAddress().getPort() + "/api/v1/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            try (BufferedReader events = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                assertTrue(nextEvent(events).startsWith("event: stats"));
                // A change made by jlvsadm's path, not the API: the stream still reports it.
                assertEquals(0, executor.execute(new String[] {"-A", "-t", "10.0.0.1:80", "-s", "rr"},
                        new StringBuilder(), new StringBuilder()));
                String event;
                do {
                    event = nextEvent(events);
                } while (!event.startsWith("event: change"));
                assertTrue(event.contains("-A -t 10.0.0.1:80 -s rr"), event);
                assertTrue(nextEvent(events).contains("\"id\":\"tcp/10.0.0.1:80\""), "the next stats carry the new service");
                log.add(1, "INFO", "HealthEngine", "real server 10.0.1.2:80 DOWN");
                do {
                    event = nextEvent(events);
                } while (!event.startsWith("event: log"));
                assertTrue(event.contains("real server 10.0.1.2:80 DOWN"), event);
            }
        }
    }

    /** The event and data lines of the next event; the stream's comments are skipped. */
    private static String nextEvent(BufferedReader in) throws Exception {
        StringBuilder event = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (!event.isEmpty()) return event.toString();
                continue;
            }
            if (!line.startsWith(":") && !line.startsWith("retry:")) event.append(line).append('\n');
        }
        throw new AssertionError("the event stream ended");
    }

    @Test
    void aClientThatNeverFinishesItsRequestIsClosedAndOthersAreServed() throws Exception {
        try (HttpConsole c = console(new AdmExecutor(new FakeDirectorRuntime()), loopback(), 500);
             Socket slow = new Socket("127.0.0.1", c.boundAddress().getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /api/v1/services HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            slow.setSoTimeout(5000);
            long start = System.nanoTime();
            assertEquals(-1, slow.getInputStream().read(), "closed without an answer");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 4000);
            // The same listener answers a complete request at once: the close was the deadline's.
            assertEquals(200, new ConsoleClient("http://127.0.0.1:" + c.boundAddress().getPort())
                    .get("/api/v1/services").statusCode());
        }
    }

    @Test
    void aMalformedRequestGets400() throws Exception {
        try (HttpConsole c = console(new AdmExecutor(new FakeDirectorRuntime()), loopback(), 5000);
             Socket s = new Socket("127.0.0.1", c.boundAddress().getPort())) {
            s.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertTrue(status != null && status.startsWith("HTTP/1.1 400"), status);
        }
    }

    @Test
    void readsFromAnotherAddressNeedTheToken() throws Exception {
        InetAddress hostAddress = nonLoopbackAddress();
        HttpSettings settings = new HttpSettings(new InetSocketAddress(hostAddress, 0), Path.of("/unused"), null, null);
        try (HttpConsole c = console(new AdmExecutor(new FakeDirectorRuntime()), settings, 5000)) {
            int port = c.boundAddress().getPort();
            // From the listener's own address: no token needed.
            ConsoleClient same = new ConsoleClient("http://" + hostAddress.getHostAddress() + ":" + port);
            assertEquals(200, same.get("/api/v1/services").statusCode());
            // From 127.0.0.1, another address than the listener's: the token is needed, and enough.
            HttpClient fromLoopback = HttpClient.newBuilder().localAddress(InetAddress.getLoopbackAddress()).build();
            ConsoleClient other = new ConsoleClient(fromLoopback, "http://" + hostAddress.getHostAddress() + ":" + port);
            assertEquals(401, other.get("/api/v1/services").statusCode());
            assertEquals(403, other.get("/api/v1/services", "wrong").statusCode());
            assertEquals(200, other.get("/api/v1/services", TOKEN).statusCode());
        }
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
            if (!i.isUp() || i.isLoopback()) continue;
            for (InetAddress a : i.inetAddresses().toList()) if (a instanceof Inet4Address) return a;
        }
        throw new AssertionError("this host has no IPv4 address besides loopback");
    }

    @Test
    void aNonLoopbackListenerWithoutATokenFileIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HttpSettings(new InetSocketAddress("0.0.0.0", 9180), null, null, null));
        assertTrue(e.getMessage().contains("--http-token-file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpSettings.parseBind("localhost:9180"));
        assertThrows(IllegalArgumentException.class, () -> HttpSettings.parseBind("127.0.0.1:70000"));
        assertEquals(9180, HttpSettings.parseBind("[::1]:9180").getPort());
    }

    @Test
    void theTokenFileIsCreatedPrivateAndAReadableOneIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/http.token");
        boolean[] created = {false};
        AccessToken token = AccessToken.loadOrCreate(file, created);
        assertTrue(created[0]);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(token.matches("Bearer " + Files.readString(file).strip()));
        assertTrue(!token.matches("Bearer " + Files.readString(file).strip() + "x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(java.io.IOException.class, () -> AccessToken.loadOrCreate(file, null));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void tlsServesTheSameApi(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        HttpSettings settings = new HttpSettings(new InetSocketAddress("127.0.0.1", 0), null, cert, key);
        try (HttpConsole c = console(new AdmExecutor(new FakeDirectorRuntime()), settings, 5000)) {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            HttpClient https = HttpClient.newBuilder().sslContext(trustAll).connectTimeout(Duration.ofSeconds(5)).build();
            ConsoleClient client = new ConsoleClient(https, "https://127.0.0.1:" + c.boundAddress().getPort());
            assertEquals(201, client.post("/api/v1/services", "{\"protocol\":\"tcp\",\"address\":\"10.0.0.1:80\"}", TOKEN).statusCode());
            assertEquals(200, client.get("/api/v1/services/tcp/10.0.0.1:80").statusCode());
        }
    }
}
