package io.jlvs.console.metrics;

import io.jlvs.console.ServiceIds;
import io.jlvs.control.model.ServiceKey;
import io.prometheus.metrics.model.snapshots.Labels;

/** The label sets of one service's samples: {service} alone and with each direction. */
record ServiceLabels(Labels service, Labels in, Labels out) {
    static final String SERVICE = "service";
    static final String DIRECTION = "direction";
    static final Labels DIRECTION_IN = Labels.of(DIRECTION, "in");
    static final Labels DIRECTION_OUT = Labels.of(DIRECTION, "out");

    static ServiceLabels of(ServiceKey key) {
        Labels service = Labels.of(SERVICE, ServiceIds.id(key));
        return new ServiceLabels(service, service.merge(DIRECTION_IN), service.merge(DIRECTION_OUT));
    }
}
