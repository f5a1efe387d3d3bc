package io.jlvs.tools.bench;

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
}
