package io.jlvs.tools.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Formats the benchmark rows side by side, each figure followed by its ratio to the reference row. */
final class BenchmarkTable {
    private static final List<RatioGrid.Column<BenchmarkRow>> COLUMNS = List.of(
            new RatioGrid.Column<>("UDP 64B pkt/s", BenchmarkRow::udpPacketsPerSecond, "%.0f"),
            new RatioGrid.Column<>("HTTP keep-alive req/s", r -> r.keepAlive().requestsPerSecond(), "%.0f"),
            new RatioGrid.Column<>("HTTP new-conn req/s", r -> r.newConnection().requestsPerSecond(), "%.0f"),
            new RatioGrid.Column<>("keep-alive p50 ms", r -> r.keepAlive().p50Millis(), "%.2f"),
            new RatioGrid.Column<>("keep-alive p99 ms", r -> r.keepAlive().p99Millis(), "%.2f"),
            new RatioGrid.Column<>("new-conn p50 ms", r -> r.newConnection().p50Millis(), "%.2f"),
            new RatioGrid.Column<>("new-conn p99 ms", r -> r.newConnection().p99Millis(), "%.2f"));

    private BenchmarkTable() {
    }

    /** @param reference the row every ratio is relative to (nftables NAT, or kernel routing for DR/TUN); may be null */
    static String format(List<BenchmarkRow> rows, BenchmarkRow reference) {
        return RatioGrid.format(rows, reference, COLUMNS, BenchmarkRow::setup, BenchmarkRow::note,
                " (for latency, above 1 is slower)");
    }

    /**
     * Every round's throughput figures per setup (the table's first three columns), so that the spread behind each
     * median shows.
     */
    static String perRound(List<List<BenchmarkRow>> rounds) {
        List<RatioGrid.Column<BenchmarkRow>> throughput = COLUMNS.subList(0, 3);
        StringBuilder out = new StringBuilder("Per round (");
        out.append(String.join(" | ", throughput.stream().map(RatioGrid.Column::title).toList())).append("):\n");
        Set<String> setups = new LinkedHashSet<>();
        rounds.forEach(round -> round.forEach(row -> setups.add(row.setup())));
        for (String setup : setups) {
            out.append("  ").append(setup).append(':');
            for (int c = 0; c < throughput.size(); c++) {
                if (c > 0) out.append(" |");
                for (List<BenchmarkRow> round : rounds) {
                    BenchmarkRow row = round.stream().filter(r -> r.setup().equals(setup)).findFirst().orElse(null);
                    out.append(' ').append(figure(row == null ? Double.NaN : throughput.get(c).value().applyAsDouble(row)));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String figure(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }
}
