package io.jlvs.console.http;

import io.jlvs.control.l7.L7Config;
import io.jlvs.control.l7.L7Counters;
import io.jlvs.control.l7.L7Exception;
import io.jlvs.control.l7.L7Operations;
import io.jlvs.control.l7.L7Service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A layer-7 proxy that keeps the state it is given and answers the figures a test set for each service. */
public final class FakeL7Proxy implements L7Operations {
    private volatile L7Config config = L7Config.EMPTY;
    public final Map<String, L7Counters> figures = new ConcurrentHashMap<>();

    @Override
    public L7Config config() { return config; }

    @Override
    public void apply(L7Config next) throws L7Exception {
        config = next;
    }

    @Override
    public L7Counters counters(L7Service service) {
        return figures.getOrDefault(service.ident(), L7Counters.zero(service));
    }
}
