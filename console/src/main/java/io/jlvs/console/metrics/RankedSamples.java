package io.jlvs.console.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-server values gathered in any order and handed to a gauge in label order: a server's rank (its place among
 * the listed servers' label sets, from {@link LabelCache}) is its slot. Servers without a rank, or whose slot is
 * taken, follow in arrival order and the library sorts them.
 */
final class RankedSamples {
    private final Labels[] labels;
    private final double[] values;
    private final List<Labels> otherLabels = new ArrayList<>();
    private final List<Double> otherValues = new ArrayList<>();

    /** ranks: how many ranks there are (every rank is below it). */
    RankedSamples(int ranks) {
        labels = new Labels[ranks];
        values = new double[ranks];
    }

    void add(LabelCache.RankedServer server, double value) {
        int rank = server.rank();
        if (rank >= 0 && rank < labels.length && labels[rank] == null) {
            labels[rank] = server.labels().server();
            values[rank] = value;
        } else {
            otherLabels.add(server.labels().server());
            otherValues.add(value);
        }
    }

    /** Adds the values to samples: the ranked ones in rank order, then the others. */
    void addTo(GaugeFamily.Samples samples) {
        for (int rank = 0; rank < labels.length; rank++) {
            if (labels[rank] != null) samples.add(labels[rank], values[rank]);
        }
        for (int i = 0; i < otherLabels.size(); i++) samples.add(otherLabels.get(i), otherValues.get(i));
    }
}
