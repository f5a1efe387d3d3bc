package io.jlvs.tools.bench;

import java.util.List;

/** Formats the layer-7 rows side by side, each figure followed by its ratio to the reference row (HAProxy http mode). */
final class Layer7Table {
    private static final List<RatioGrid.Column<Layer7Row>> COLUMNS = List.of(
            new RatioGrid.Column<>("new-conn req/s", r -> r.newConnection().requestsPerSecond(), "%.0f"),
            new RatioGrid.Column<>("keep-alive req/s", r -> r.keepAlive().requestsPerSecond(), "%.0f"),
            new RatioGrid.Column<>("bulk MiB/s", r -> r.bulk().mibPerSecond(), "%.0f"),
            new RatioGrid.Column<>("proxy CPU s/GiB", r -> r.bulk().processCpuPerGib(), "%.2f"),
            new RatioGrid.Column<>("machine CPU s/GiB", r -> r.bulk().machineCpuPerGib(), "%.2f"),
            new RatioGrid.Column<>("softirq s/GiB", r -> r.bulk().softirqPerGib(), "%.2f"),
            new RatioGrid.Column<>("new-conn p99 ms", r -> r.newConnection().p99Millis(), "%.2f"),
            new RatioGrid.Column<>("keep-alive p99 ms", r -> r.keepAlive().p99Millis(), "%.2f"));

    private Layer7Table() {
    }

    static String format(List<Layer7Row> rows, Layer7Row reference) {
        return RatioGrid.format(rows, reference, COLUMNS, Layer7Row::setup, Layer7Row::note,
                " (for CPU and latency, above 1 costs more)");
    }
}
