package io.jlvs.console.metrics;

import io.jlvs.console.ServiceIds;
import io.prometheus.metrics.model.snapshots.Labels;

/** The label sets of one real server's samples: {service, server} alone and with each direction. */
record ServerLabels(Labels server, Labels in, Labels out) {
    static final String SERVER = "server";

    /** service: the {service} labels of the service the server belongs to. */
    static ServerLabels of(Labels service, long addrHi, long addrLo, int port) {
        Labels server = service.merge(Labels.of(SERVER, ServiceIds.endpoint(addrHi, addrLo, port)));
        return new ServerLabels(server, server.merge(ServiceLabels.DIRECTION_IN),
                server.merge(ServiceLabels.DIRECTION_OUT));
    }
}
