package io.jlvs.tools.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One setup's figures. A figure that could not be measured is NaN (HAProxy does not carry UDP, a jlvs daemon that
 * failed to start); {@code note} says why.
 */
record BenchmarkRow(String setup, double udpPacketsPerSecond, WrkMeter.HttpFigures keepAlive,
                    WrkMeter.HttpFigures newConnection, String note) {

    static final WrkMeter.HttpFigures NOT_MEASURED = new WrkMeter.HttpFigures(Double.NaN, Double.NaN, Double.NaN, 0);

    static BenchmarkRow failed(String setup, String note) {
        return new BenchmarkRow(setup, Double.NaN, NOT_MEASURED, NOT_MEASURED, note);
    }

    /**
     * One setup's rows from several rounds as one row: each figure the median of the rounds that measured it (NaN
     * when none did), the failed requests summed, the first round's note. On this noisy 2-core machine a single
     * round's figure swings by 10-20%.
     */
    static BenchmarkRow median(List<BenchmarkRow> rounds) {
        if (rounds.isEmpty()) throw new IllegalArgumentException("no rounds");
        String setup = rounds.getFirst().setup();
        for (BenchmarkRow r : rounds) {
            if (!r.setup().equals(setup)) throw new IllegalArgumentException("rounds of " + setup + " and " + r.setup());
        }
        return new BenchmarkRow(setup, median(rounds, BenchmarkRow::udpPacketsPerSecond),
                medianFigures(rounds.stream().map(BenchmarkRow::keepAlive).toList()),
                medianFigures(rounds.stream().map(BenchmarkRow::newConnection).toList()), rounds.getFirst().note());
    }

    private static WrkMeter.HttpFigures medianFigures(List<WrkMeter.HttpFigures> rounds) {
        return new WrkMeter.HttpFigures(median(rounds, WrkMeter.HttpFigures::requestsPerSecond),
                median(rounds, WrkMeter.HttpFigures::p50Millis), median(rounds, WrkMeter.HttpFigures::p99Millis),
                rounds.stream().mapToLong(WrkMeter.HttpFigures::errors).sum());
    }

    /** The median of the values that are not NaN: the middle one, or the mean of the middle two. */
    static <T> double median(List<T> rounds, ToDoubleFunction<T> figure) {
        double[] values = rounds.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) return Double.NaN;
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
