package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.logging.LogEntry;

/**
 * The console's Layer 7 page in a real browser against the real daemon: after requests through a layer-7 service,
 * the page shows its rules' hits and the proxy's figures as tcpvsadm -L -n --stats lists them, and updates them
 * without a reload. A screenshot goes to target/console-screenshots/layer7.png.
 */
class Layer7ConsoleBrowserTest {
    static final int PORT = 80;
    static final int HTTP_PORT = 9180;
    static final String CONSOLE = "http://127.0.0.1:" + HTTP_PORT + "/";

    /** Each service panel of the page: its heading, its figures by term, and its rules' hits in order. */
    private static final String PANELS_SCRIPT = """
            return [...document.querySelectorAll('#l7-services section')].map((s) => {
              const figures = {};
              const dts = [...s.querySelectorAll('dt')];
              dts.forEach((dt) => { figures[dt.textContent] = dt.nextElementSibling.textContent; });
              const tables = [...s.querySelectorAll('table')];
              const rules = tables.find((t) => t.caption.textContent.startsWith('Rules'));
              const hits = rules ? [...rules.querySelectorAll('tbody tr')].map((tr) => tr.lastElementChild.textContent) : [];
              return { title: s.querySelector('h2').textContent, figures, hits };
            });""";

    private LvsTopology topology;
    private JlvsDirector director;

    @Test
    void theLayer7PageShowsHitsAndFiguresAsTcpvsadmListsThem() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsobw", 1)) {
            this.topology = topology;
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--http", "127.0.0.1:" + HTTP_PORT));
                 NamespacedChromium chromium = NamespacedChromium.start(topology.processes(),
                         topology.directorNamespace(), 1280, 900)) {
                this.director = director;
                String rs = topology.serverAddress(1) + ":" + PORT;
                tcpvs("-A", "-i", "web", "-s", "http", "-P", "8080", "--splice", "pipe");
                tcpvs("-a", "-i", "web", "-r", rs);
                tcpvs("--add-rule", "-i", "web", "-p", "^/images/", "-r", rs);
                tcpvs("--add-rule", "-i", "web", "-p", ".*", "-r", rs);
                tcpvs("--start", "-i", "web");
                Conditions.await("the console listening", Duration.ofSeconds(20), () -> "200".equals(
                        topology.inDirector("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                CONSOLE + "api/v1/status").stdout()));
                for (int i = 0; i < 3; i++) assertEquals("200", get("/images/" + i + ".png"));
                assertEquals("200", get("/index.html"));

                ConsolePage page = new ConsolePage(chromium.driver());
                page.open(CONSOLE);
                page.script("window.consoleTestMark = 'never reloaded'");
                page.show("layer7");
                Map<String, Object> web = awaitPanel(page, p -> hits(p).equals(List.of("3", "1")));
                assertMatchesTcpvsadm(web);
                assertEquals("pipe", figures(web).get("Splicer"));

                for (int i = 0; i < 2; i++) assertEquals("200", get("/images/more" + i + ".png"));
                web = awaitPanel(page, p -> hits(p).equals(List.of("5", "1")));
                assertMatchesTcpvsadm(web);
                assertEquals("never reloaded", page.script("return window.consoleTestMark"), "updated in place");
                page.screenshot(ConsoleBrowserTest.SCREENSHOTS, "layer7");
                assertNoBrowserError(chromium.consoleEntries());
            }
        }
    }

    private void tcpvs(String... args) {
        CommandResult r = director.tcpvs(args);
        assertEquals(0, r.exitCode(), "tcpvsadm " + String.join(" ", args) + ": " + r.describe());
    }

    /** A GET from the client through the layer-7 service; answers the HTTP status. */
    private String get(String path) {
        return topology.inClient("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "http://" + topology.directorClientAddress() + ":8080" + path).stdout();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitPanel(ConsolePage page, java.util.function.Predicate<Map<String, Object>> wanted) {
        List<Map<String, Object>>[] last = new List[1];
        Conditions.await("the web service's panel", ConsolePage.UI_TIMEOUT, () -> {
            last[0] = (List<Map<String, Object>>) page.script(PANELS_SCRIPT);
            return last[0].size() == 1 && wanted.test(last[0].getFirst());
        });
        return last[0].getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<String> hits(Map<String, Object> panel) {
        return (List<String>) panel.get("hits");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> figures(Map<String, Object> panel) {
        return (Map<String, String>) panel.get("figures");
    }

    /** The panel's hits and proxy figures are those tcpvsadm -L -n --stats lists. */
    private void assertMatchesTcpvsadm(Map<String, Object> panel) {
        String listing = director.tcpvs("-L", "-n", "--stats", "-i", "web").stdoutOrThrow();
        List<String> listed = new ArrayList<>();
        Matcher hits = Pattern.compile("# (\\d+) hits?\\n").matcher(listing);
        while (hits.find()) listed.add(hits.group(1));
        assertEquals(listed, hits(panel), listing);
        Matcher c = Pattern.compile("# connections: (\\d+) accepted, (\\d+) spliced").matcher(listing);
        assertTrue(c.find(), listing);
        assertEquals(c.group(1), figures(panel).get("Accepted"), listing);
        assertEquals(c.group(2), figures(panel).get("Spliced"), listing);
        assertTrue(((String) panel.get("title")).startsWith("web"), panel.toString());
    }

    private static void assertNoBrowserError(List<LogEntry> entries) {
        List<String> errors = entries.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertEquals(List.of(), errors, "errors in the browser console");
    }
}
