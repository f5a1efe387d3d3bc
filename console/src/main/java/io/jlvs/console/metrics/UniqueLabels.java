package io.jlvs.console.metrics;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A family's samples with one sample per label set. The library refuses a family in which two samples share their
 * labels (two services with the same id, such as an IPv4 and an IPv6 fwmark service of the same mark); the first of
 * them is kept so that the rest of the family is still exposed.
 */
final class UniqueLabels {
    private UniqueLabels() {}

    static <P extends DataPointSnapshot> List<P> firstOfEach(List<P> points) {
        Map<Labels, P> unique = new LinkedHashMap<>(points.size() * 2);
        for (P p : points) unique.putIfAbsent(p.getLabels(), p);
        return new ArrayList<>(unique.values());
    }
}
