package io.jlvs.tools.bench;

import java.util.List;

/** The medians and lists of figures the benchmark reports print. */
final class Samples {
    private Samples() {}

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** "1, 2, 3": each figure rounded to a whole number. */
    static String figures(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format("%.0f", v)).toList());
    }
}
