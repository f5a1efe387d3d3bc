package io.jlvs.console.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own linter on a scrape: {@code promtool check metrics} (Debian package prometheus) parses it and
 * checks names, types, help and units against the conventions.
 *
 * <p>promtool reads the classic text format only: given OpenMetrics it takes each counter's family (named without
 * _total) and its _total samples for two families and complains that the samples have no help. OpenMetrics output
 * is checked by {@link MetricsTextTest} instead.
 */
class MetricsPromtoolTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    @Test
    void promtoolFindsNothingToSayAboutTheTextFormat() throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL),
                "promtool is missing: install the Debian package prometheus (apt-get install prometheus)");
        Path scrape = dir.resolve("metrics.txt");
        try (OutputStream out = Files.newOutputStream(scrape)) {
            new DirectorFixture().metrics().write(null, out);
        }
        Path report = dir.resolve("promtool.txt");
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectInput(scrape.toFile())
                .redirectErrorStream(true)
                .redirectOutput(report.toFile())
                .start();
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS), "promtool did not finish in 60 s");
        String problems = read(report);
        assertEquals(0, promtool.exitValue(), () -> "promtool check metrics:\n" + problems + "\non:\n" + read(scrape));
        assertEquals("", problems.strip(), "promtool check metrics found problems");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
