package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer-7 servers' health checks through a real daemon: when a server's HTTP process stops, its checks take
 * it out within the check interval (-L shows it down), the requests its rules would give it go to the rule's
 * other server, a rule left without a live server answers 503 at once; when the process comes back, so do its
 * requests.
 */
class Layer7HealthEndToEndTest {
    static final int SERVICE_PORT = 8080;
    /** The check's interval and timeout, in seconds. */
    static final int INTERVAL = 1;
    static final int TIMEOUT = 1;
    /** curl's limit on one request: a 503 must come well before it. */
    static final int CURL_MAX_TIME = 5;

    static LvsTopology topology;
    static JlvsDirector director;
    static Layer7Setup setup;

    @BeforeAll
    static void start() {
        setup = Layer7Setup.start("jlvshc");
        topology = setup.topology;
        director = setup.director;
    }

    @AfterAll
    static void stop() {
        if (setup != null) setup.close();
    }

    /** One GET from the client: the status, the time it took in seconds, and the body. */
    private record Answer(int status, double seconds, String body) {
        String server() {
            return status == 200 ? HttpIdentityServer.Reply.parse(body.strip()).server() : "status " + status;
        }
    }

    private static Answer get(String path) {
        String out = topology.inClient("curl", "-sS", "--max-time", Integer.toString(CURL_MAX_TIME), "-w",
                "\n%{http_code} %{time_total}", "http://" + topology.directorClientAddress() + ":" + SERVICE_PORT + path)
                .stdoutOrThrow();
        int lastLine = out.lastIndexOf('\n');
        String[] figures = out.substring(lastLine + 1).strip().split(" ");
        return new Answer(Integer.parseInt(figures[0]), Double.parseDouble(figures[1]), out.substring(0, lastLine));
    }

    /** The listing's line of a server of the service, with its comment. */
    private static String listed(int k) {
        String listing = director.tcpvs("-L", "-n", "-i", "web").stdoutOrThrow();
        return listing.lines().filter(l -> l.contains("server = " + setup.rs(k) + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("server " + setup.rs(k) + " not listed:\n" + listing));
    }

    @Test
    void aStoppedServerIsTakenOutAndItsRuleWithoutALiveServerAnswers503UntilItComesBack() {
        // /two/ goes to rs2 or rs3; everything else to rs2 alone
        setup.tcpvs("-A", "-i", "web", "-s", "http", "-P", Integer.toString(SERVICE_PORT), "--check-interval",
                Integer.toString(INTERVAL), "--check-timeout", Integer.toString(TIMEOUT), "--check-retries", "0");
        for (int k = 1; k <= 3; k++) setup.tcpvs("-a", "-i", "web", "-r", setup.rs(k));
        setup.tcpvs("--add-rule", "-i", "web", "-p", "^/two/", "-r", setup.rs(2));
        setup.tcpvs("--add-rule", "-i", "web", "-p", "^/two/", "-r", setup.rs(3));
        setup.tcpvs("--add-rule", "-i", "web", "-p", ".*", "-r", setup.rs(2));
        setup.tcpvs("--start", "-i", "web");

        Conditions.await("every server checked up", Duration.ofSeconds(10),
                () -> listed(1).contains("# up, ") && listed(2).contains("# up, ") && listed(3).contains("# up, "));
        assertEquals("rs2", get("/two/a").server(), "rs2, the first of the rule's least loaded, while it is up");
        assertEquals("rs2", get("/other").server());

        setup.servers.get(1).stop(Duration.ofSeconds(5));
        LocalTime stoppedAt = LocalTime.now();
        Conditions.await("rs2 down in -L", Duration.ofSeconds(INTERVAL + TIMEOUT + 10),
                () -> listed(2).contains("# down, "));
        // measured to the daemon's log line, not to the end of the poll that saw it: each poll starts a tcpvsadm
        Duration detection = Duration.between(stoppedAt,
                HealthTransitions.layer7DownLoggedAt(director, "web", setup.rs(2)));
        assertTrue(detection.compareTo(Duration.ofSeconds(INTERVAL + TIMEOUT + 1)) <= 0,
                "taken out within a check: " + detection);
        assertTrue(listed(1).contains("# up, ") && listed(3).contains("# up, "), "the others stay up");

        for (int i = 0; i < 4; i++) assertEquals("rs3", get("/two/" + i).server(), "rs2's share of /two/ goes to rs3");
        for (int i = 0; i < 3; i++) {
            Answer a = get("/other" + i);
            assertEquals(503, a.status(), "the catch-all's one server is down: " + a);
            assertTrue(a.seconds() < 1.0, "503 answered at once, not after curl's " + CURL_MAX_TIME + " s: " + a.seconds());
        }

        setup.servers.set(1, ServerLauncher.startHttpIdentityServer(topology, 2, Layer7Setup.SERVER_PORT));
        Conditions.await("rs2 up again in -L", Duration.ofSeconds(INTERVAL + TIMEOUT + 5),
                () -> listed(2).contains("# up, "));
        assertEquals("rs2", get("/other").server(), "rs2 serves the catch-all again");
        assertEquals("rs2", get("/two/b").server(), "and its share of /two/");
    }
}
