package io.jlvs.console.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DuplicateLabelsException;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * One counter family: declared once with its name (without the _total the formats add), help and unit, and
 * filled with a fresh set of samples at every scrape.
 */
final class CounterFamily {
    private final MetricMetadata metadata;

    /** unit may be null; a name with a unit ends with it (jlvs_service_bytes, Unit.BYTES). */
    CounterFamily(String name, String help, Unit unit) {
        metadata = new MetricMetadata(name, help, unit);
    }

    Samples samples(int expected) { return new Samples(expected); }

    /** The samples of one scrape. */
    final class Samples {
        private final List<CounterDataPointSnapshot> points;
        private int negative;

        private Samples(int expected) {
            points = new ArrayList<>(expected);
        }

        /** A count below zero is no counter's value: it is left out (and reported) rather than failing the family. */
        void add(Labels labels, long value) {
            if (value < 0) {
                negative++;
                return;
            }
            points.add(new CounterDataPointSnapshot(value, labels, null, 0L));
        }

        CounterSnapshot snapshot(ScrapeProblems problems) {
            if (negative > 0) problems.leftOut(metadata.getName() + ": negative counts", negative);
            try {
                return new CounterSnapshot(metadata, points);
            } catch (DuplicateLabelsException e) {
                List<CounterDataPointSnapshot> unique = UniqueLabels.firstOfEach(points);
                problems.leftOut(metadata.getName() + ": samples with the labels of another",
                        points.size() - unique.size());
                return new CounterSnapshot(metadata, unique);
            }
        }
    }
}
