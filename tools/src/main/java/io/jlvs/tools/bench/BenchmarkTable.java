package io.jlvs.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Formats the benchmark rows side by side, each figure followed by its ratio to the reference row. */
final class BenchmarkTable {
    private record Column(String title, ToDoubleFunction<BenchmarkRow> value, String format) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("UDP 64B pkt/s", BenchmarkRow::udpPacketsPerSecond, "%.0f"),
            new Column("HTTP keep-alive req/s", r -> r.keepAlive().requestsPerSecond(), "%.0f"),
            new Column("HTTP new-conn req/s", r -> r.newConnection().requestsPerSecond(), "%.0f"),
            new Column("keep-alive p50 ms", r -> r.keepAlive().p50Millis(), "%.2f"),
            new Column("keep-alive p99 ms", r -> r.keepAlive().p99Millis(), "%.2f"),
            new Column("new-conn p50 ms", r -> r.newConnection().p50Millis(), "%.2f"),
            new Column("new-conn p99 ms", r -> r.newConnection().p99Millis(), "%.2f"));

    private BenchmarkTable() {
    }

    /** @param reference the row every ratio is relative to (nftables NAT, or kernel routing for DR/TUN); may be null */
    static String format(List<BenchmarkRow> rows, BenchmarkRow reference) {
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[COLUMNS.size() + 1];
        header[0] = "setup";
        for (int c = 0; c < COLUMNS.size(); c++) {
            header[c + 1] = COLUMNS.get(c).title();
        }
        cells.add(header);
        for (BenchmarkRow row : rows) {
            String[] line = new String[COLUMNS.size() + 1];
            line[0] = row.setup();
            for (int c = 0; c < COLUMNS.size(); c++) {
                Column column = COLUMNS.get(c);
                double v = column.value().applyAsDouble(row);
                double ref = reference == null ? Double.NaN : column.value().applyAsDouble(reference);
                line[c + 1] = Double.isNaN(v) ? "-"
                        : String.format(column.format(), v) + (Double.isNaN(ref) || ref == 0 ? "" : String.format(" (%.2fx)", v / ref));
            }
            cells.add(line);
        }
        int[] widths = new int[header.length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                out.append(c == 0 ? String.format("%-" + widths[c] + "s", line[c])
                        : String.format("  %" + widths[c] + "s", line[c]));
            }
            out.append('\n');
        }
        out.append("Ratios in parentheses are relative to ").append(reference == null ? "nothing (reference missing)"
                : "'" + reference.setup() + "'").append(" (for latency, above 1 is slower).\n");
        for (BenchmarkRow row : rows) {
            if (!row.note().isEmpty()) {
                out.append("  ").append(row.setup()).append(": ").append(row.note()).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Every round's throughput figures per setup (the table's first three columns), so that the spread behind each
     * median shows.
     */
    static String perRound(List<List<BenchmarkRow>> rounds) {
        List<Column> throughput = COLUMNS.subList(0, 3);
        StringBuilder out = new StringBuilder("Per round (");
        out.append(String.join(" | ", throughput.stream().map(Column::title).toList())).append("):\n");
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
