package io.jlvs.tools.bench;

import java.util.ArrayList;
import java.util.List;
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

    /** Every round's throughput figures per setup, so that the spread behind each median shows. */
    static String perRound(List<List<BenchmarkRow>> rounds) {
        StringBuilder out = new StringBuilder("Per round (UDP 64B pkt/s | keep-alive req/s | new-conn req/s):\n");
        for (BenchmarkRow setup : NetnsBenchmark.medianRows(rounds)) {
            StringBuilder udp = new StringBuilder(), keepAlive = new StringBuilder(), newConnection = new StringBuilder();
            for (List<BenchmarkRow> round : rounds) {
                BenchmarkRow row = round.stream().filter(r -> r.setup().equals(setup.setup())).findFirst().orElse(null);
                udp.append(' ').append(figure(row == null ? Double.NaN : row.udpPacketsPerSecond()));
                keepAlive.append(' ').append(figure(row == null ? Double.NaN : row.keepAlive().requestsPerSecond()));
                newConnection.append(' ').append(figure(row == null ? Double.NaN : row.newConnection().requestsPerSecond()));
            }
            out.append("  ").append(setup.setup()).append(':').append(udp).append(" |").append(keepAlive).append(" |")
                    .append(newConnection).append('\n');
        }
        return out.toString();
    }

    private static String figure(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }
}
