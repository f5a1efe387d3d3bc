package io.jlvs.control.l7;

import java.util.Collections;
import java.util.List;

/**
 * The running figures of one service for -L: the active connections of each server and the requests each rule
 * placed, index for index with the service's servers and rules (a missing figure reads 0), what the proxy did with
 * the service's connections, and the figures of the splicer that carries them.
 */
public record L7Counters(List<Long> serverConnections, List<Long> ruleHits, L7ProxyFigures proxy,
                         L7SplicerFigures splicer) {
    public static final L7Counters NONE = new L7Counters(List.of(), List.of());

    public L7Counters {
        serverConnections = List.copyOf(serverConnections);
        ruleHits = List.copyOf(ruleHits);
        if (proxy == null || splicer == null) throw new IllegalArgumentException("proxy and splicer figures needed");
    }

    /** Servers' and rules' figures of a service that does not run. */
    public L7Counters(List<Long> serverConnections, List<Long> ruleHits) {
        this(serverConnections, ruleHits, L7ProxyFigures.ZERO, L7SplicerFigures.NONE);
    }

    /** Zero for every server and rule of service. */
    public static L7Counters zero(L7Service service) {
        return new L7Counters(Collections.nCopies(service.servers().size(), 0L),
                Collections.nCopies(service.rules().size(), 0L));
    }

    public long serverConnections(int index) {
        return index < serverConnections.size() ? serverConnections.get(index) : 0;
    }

    public long ruleHits(int index) {
        return index < ruleHits.size() ? ruleHits.get(index) : 0;
    }
}
