package io.jlvs.console.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.console.http.FakeL7Proxy;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Operations;
import io.jlvs.control.l7.L7ProxyFigures;
import io.jlvs.control.l7.L7SplicerFigures;
import io.jlvs.control.l7.TcpvsadmParser;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The jlvs_l7_* families: two layer-7 services of two splice modes beside the fixture's layer-4 director. */
class L7MetricsTest {
    private final DirectorFixture director = new DirectorFixture();
    private final FakeL7Proxy proxy = new FakeL7Proxy();

    L7MetricsTest() throws Exception {
        director.executor.setL7Operations(proxy);
        tcpvs("-A -i web -s http -P 80 --splice sockmap");
        tcpvs("-a -i web -r 10.0.1.1:80");
        tcpvs("-a -i web -r 10.0.1.2:80");
        tcpvs("--add-rule -i web -p ^/img/ -r 10.0.1.1:80");
        tcpvs("--add-rule -i web -p .* -r 10.0.1.2:80");
        tcpvs("-A -i api -s http -P 81 --splice copy");
        tcpvs("-a -i api -r 10.0.1.3:80");
        tcpvs("--start");
        proxy.figures.put("web", new L7Counters(List.of(3L, 4L), List.of(10L, 20L),
                new L7ProxyFigures(40, 31, 7, 1, 2, 3, 4, 5, 6), new L7SplicerFigures("sockmap", 7, 14)));
        proxy.figures.put("api", new L7Counters(List.of(1L), List.of(),
                new L7ProxyFigures(2, 1, 1, 0, 0, 0, 1, 0, 0), new L7SplicerFigures("copy", 1, 0)));
    }

    private void tcpvs(String line) throws L7Exception, IOException {
        List<ControlReply> replies = new ArrayList<>();
        director.executor.handle(new ControlRequest.L7(TcpvsadmParser.parse(line.split(" "))), replies::add);
        assertTrue(replies.stream().noneMatch(r -> r instanceof ControlReply.Failure), line + ": " + replies);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = MetricsTextTest.PROMETHEUS_ACCEPT)
    void eachServiceCountsWhatTheProxyDidWithItsConnections(String accept) {
        Scrape scrape = Scrape.of(director.metrics(), accept);
        scrape.assertValue(40, "jlvs_l7_accepted_connections_total", "service", "web");
        scrape.assertValue(31, "jlvs_l7_spliced_connections_total", "service", "web");
        scrape.assertValue(7, "jlvs_l7_spliced_active_connections", "service", "web");
        scrape.assertValue(1, "jlvs_l7_refused_connections_total", "service", "web", "status", "400");
        scrape.assertValue(2, "jlvs_l7_refused_connections_total", "service", "web", "status", "431");
        scrape.assertValue(3, "jlvs_l7_refused_connections_total", "service", "web", "status", "502");
        scrape.assertValue(4, "jlvs_l7_refused_connections_total", "service", "web", "status", "503");
        scrape.assertValue(5, "jlvs_l7_refused_connections_total", "service", "web", "status", "504");
        scrape.assertValue(6, "jlvs_l7_slow_heads_closed_total", "service", "web");
        scrape.assertValue(2, "jlvs_l7_accepted_connections_total", "service", "api");
        scrape.assertValue(1, "jlvs_l7_refused_connections_total", "service", "api", "status", "503");
        assertEquals(10, scrape.count("jlvs_l7_refused_connections_total"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = MetricsTextTest.PROMETHEUS_ACCEPT)
    void rulesCountTheirHitsAndServersTheirConnections(String accept) {
        Scrape scrape = Scrape.of(director.metrics(), accept);
        scrape.assertValue(10, "jlvs_l7_rule_hits_total", "service", "web", "rule", "0", "server", "10.0.1.1:80");
        scrape.assertValue(20, "jlvs_l7_rule_hits_total", "service", "web", "rule", "1", "server", "10.0.1.2:80");
        assertEquals(2, scrape.count("jlvs_l7_rule_hits_total"));
        scrape.assertValue(3, "jlvs_l7_server_active_connections", "service", "web", "server", "10.0.1.1:80");
        scrape.assertValue(4, "jlvs_l7_server_active_connections", "service", "web", "server", "10.0.1.2:80");
        scrape.assertValue(1, "jlvs_l7_server_active_connections", "service", "api", "server", "10.0.1.3:80");
    }

    @Test
    void eachSplicerModeShowsItsPairsAndSockhashEntriesOnce() {
        Scrape scrape = Scrape.of(director.metrics(), null);
        scrape.assertValue(7, "jlvs_l7_splicer_pairs", "mode", "sockmap");
        scrape.assertValue(14, "jlvs_l7_splicer_sockhash_entries", "mode", "sockmap");
        scrape.assertValue(1, "jlvs_l7_splicer_pairs", "mode", "copy");
        scrape.assertValue(0, "jlvs_l7_splicer_sockhash_entries", "mode", "copy");
        assertEquals(2, scrape.count("jlvs_l7_splicer_pairs"));
    }

    @Test
    void aStoppedServiceHasNoSplicerAndADirectorWithoutTheProxyNoL7Family() throws Exception {
        tcpvs("--stop -i api");
        proxy.figures.remove("api");
        Scrape stopped = Scrape.of(director.metrics(), null);
        stopped.assertValue(0, "jlvs_l7_accepted_connections_total", "service", "api");
        assertEquals(1, stopped.count("jlvs_l7_splicer_pairs"), "the sockmap splicer alone");

        director.executor.setL7Operations(L7Operations.NONE);
        Scrape none = Scrape.of(director.metrics(), null);
        assertTrue(none.sampleNames.stream().noneMatch(n -> n.startsWith("jlvs_l7_")), none.text);
        none.assertValue(12, "jlvs_service_connections_total", "service", "tcp/10.0.0.1:80");
    }

    @Test
    void promtoolFindsNothingToSayAboutTheL7Families(@TempDir Path dir) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assertTrue(Files.isExecutable(promtool),
                "promtool is missing: install the Debian package prometheus (apt-get install prometheus)");
        Path scrape = dir.resolve("metrics.txt");
        try (OutputStream out = Files.newOutputStream(scrape)) {
            director.metrics().write(null, out);
        }
        assertTrue(Files.readString(scrape).contains("jlvs_l7_rule_hits_total{"), "the scrape has the L7 families");
        Path report = dir.resolve("promtool.txt");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(scrape.toFile())
                .redirectErrorStream(true).redirectOutput(report.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish in 60 s");
        assertEquals(0, p.exitValue(), () -> "promtool: " + read(report));
        assertEquals("", read(report).strip(), "promtool check metrics found problems");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
