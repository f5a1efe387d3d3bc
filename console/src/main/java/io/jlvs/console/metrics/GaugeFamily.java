package io.jlvs.console.metrics;

import io.prometheus.metrics.model.snapshots.DuplicateLabelsException;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.List;

/** One gauge family: declared once with its name and help, filled with fresh samples at every scrape. */
final class GaugeFamily {
    private final MetricMetadata metadata;

    GaugeFamily(String name, String help) {
        metadata = new MetricMetadata(name, help);
    }

    Samples samples(int expected) { return new Samples(expected); }

    /** The samples of one scrape. */
    final class Samples {
        private final List<GaugeDataPointSnapshot> points;

        private Samples(int expected) {
            points = new ArrayList<>(expected);
        }

        void add(Labels labels, double value) {
            points.add(new GaugeDataPointSnapshot(value, labels, null));
        }

        /** 1 for true, 0 for false. */
        void add(Labels labels, boolean value) {
            add(labels, value ? 1 : 0);
        }

        GaugeSnapshot snapshot(ScrapeProblems problems) {
            try {
                return new GaugeSnapshot(metadata, points);
            } catch (DuplicateLabelsException e) {
                List<GaugeDataPointSnapshot> unique = UniqueLabels.firstOfEach(points);
                problems.leftOut(metadata.getName() + ": samples with the labels of another",
                        points.size() - unique.size());
                return new GaugeSnapshot(metadata, unique);
            }
        }
    }
}
