package io.jlvs.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A benchmark part's rows side by side: one column per figure, each figure followed by its ratio to the reference
 * row, then the rows' notes. The parts differ only in their columns and in what a ratio above 1 means.
 */
final class RatioGrid {
    /** One figure of a row: its title, how to read it, and its printf format. */
    record Column<R>(String title, ToDoubleFunction<R> value, String format) {
    }

    private RatioGrid() {
    }

    /**
     * @param reference    the row every ratio is relative to; may be null (no ratios)
     * @param ratioRemark  appended to the line that names the reference, e.g. " (for latency, above 1 is slower)"
     */
    static <R> String format(List<R> rows, R reference, List<Column<R>> columns, Function<R, String> setup,
                             Function<R, String> note, String ratioRemark) {
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[columns.size() + 1];
        header[0] = "setup";
        for (int c = 0; c < columns.size(); c++) header[c + 1] = columns.get(c).title();
        cells.add(header);
        for (R row : rows) {
            String[] line = new String[columns.size() + 1];
            line[0] = setup.apply(row);
            for (int c = 0; c < columns.size(); c++) {
                Column<R> column = columns.get(c);
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
                out.append(c == 0 ? String.format("%-" + widths[c] + "s", line[c])
                        : String.format("  %" + widths[c] + "s", line[c]));
            }
            out.append('\n');
        }
        if (reference != null) {   // without the reference row no ratio was printed
            out.append("Ratios in parentheses are relative to '").append(setup.apply(reference)).append("'")
                    .append(ratioRemark).append(".\n");
        }
        for (R row : rows) {
            String n = note.apply(row);
            if (!n.isEmpty()) out.append("  ").append(setup.apply(row)).append(": ").append(n).append('\n');
        }
        return out.toString();
    }
}
