package io.jlvs.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Formats the layer-7 rows side by side, each figure followed by its ratio to the reference row (HAProxy http mode). */
final class Layer7Table {
    private record Column(String title, ToDoubleFunction<Layer7Row> value, String format) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("new-conn req/s", r -> r.newConnection().requestsPerSecond(), "%.0f"),
            new Column("keep-alive req/s", r -> r.keepAlive().requestsPerSecond(), "%.0f"),
            new Column("bulk MiB/s", r -> r.bulk().mibPerSecond(), "%.0f"),
            new Column("proxy CPU s/GiB", r -> r.bulk().processCpuPerGib(), "%.2f"),
            new Column("machine CPU s/GiB", r -> r.bulk().machineCpuPerGib(), "%.2f"),
            new Column("softirq s/GiB", r -> r.bulk().softirqPerGib(), "%.2f"),
            new Column("new-conn p99 ms", r -> r.newConnection().p99Millis(), "%.2f"),
            new Column("keep-alive p99 ms", r -> r.keepAlive().p99Millis(), "%.2f"));

    private Layer7Table() {
    }

    static String format(List<Layer7Row> rows, Layer7Row reference) {
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[COLUMNS.size() + 1];
        header[0] = "setup";
        for (int c = 0; c < COLUMNS.size(); c++) header[c + 1] = COLUMNS.get(c).title();
        cells.add(header);
        for (Layer7Row row : rows) {
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
            for (int c = 0; c < line.length; c++) widths[c] = Math.max(widths[c], line[c].length());
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                out.append(c == 0 ? String.format("%-" + widths[c] + "s", line[c]) : String.format("  %" + widths[c] + "s", line[c]));
            }
            out.append('\n');
        }
        out.append("Ratios in parentheses are relative to ").append(reference == null ? "nothing (reference missing)"
                : "'" + reference.setup() + "'").append(" (for CPU and latency, above 1 costs more).\n");
        for (Layer7Row row : rows) {
            if (!row.note().isEmpty()) out.append("  ").append(row.setup()).append(": ").append(row.note()).append('\n');
        }
        return out.toString();
    }
}
