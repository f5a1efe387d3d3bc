package io.jlvs.console.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape's text (Prometheus text 0.0.4 or OpenMetrics 1.0), parsed for tests: the samples by series (name and
 * labels sorted by name, as {@code name{a="1",b="2"}}) and the TYPE of each family.
 */
final class Scrape {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    final String text;
    final Map<String, Double> samples = new LinkedHashMap<>();
    final Map<String, String> types = new HashMap<>();
    final List<String> sampleNames = new ArrayList<>();

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.startsWith("#") && !line.isEmpty()) {
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) fail("not a sample line: " + line);
                Map<String, String> labels = new TreeMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) labels.put(l.group(1), l.group(2));
                }
                String key = series(m.group(1), labels);
                if (samples.put(key, Double.parseDouble(m.group(4))) != null) fail("twice: " + key);
                sampleNames.add(m.group(1));
            }
        }
    }

    static Scrape of(DirectorMetrics metrics, String accept) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            metrics.write(accept, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(out.toString(StandardCharsets.UTF_8));
    }

    /** The series key of name with labels given as name, value, name, value... */
    static String series(String name, String... labels) {
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) sorted.put(labels[i], labels[i + 1]);
        return series(name, sorted);
    }

    private static String series(String name, Map<String, String> labels) {
        if (labels.isEmpty()) return name;
        StringBuilder sb = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    /** Asserts that the series exists with this value. */
    void assertValue(double expected, String name, String... labels) {
        String key = series(name, labels);
        Double actual = samples.get(key);
        if (actual == null) fail("no sample " + key + " in:\n" + text);
        assertEquals(expected, actual, key);
    }

    /** Asserts that no series of the family (or exposition name) exists. */
    void assertAbsent(String name) {
        assertTrue(sampleNames.stream().noneMatch(name::equals), () -> name + " present in:\n" + text);
    }

    /** The number of series of this exposition name. */
    long count(String name) {
        return sampleNames.stream().filter(name::equals).count();
    }
}
