package io.jlvs.control.l7;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A config being changed: its services by ident, in order. */
public final class L7ConfigBuilder {
    private final Map<String, L7ServiceBuilder> services = new LinkedHashMap<>();

    public L7ConfigBuilder() {}

    L7ConfigBuilder(L7Config config) {
        for (L7Service s : config.services()) services.put(s.ident(), s.toBuilder());
    }

    /** The service of that ident, or null. */
    public L7ServiceBuilder service(String ident) { return services.get(ident); }

    public Collection<L7ServiceBuilder> services() { return services.values(); }

    /** Adds a service after the others (or replaces the one of the same ident in its place). */
    public L7ConfigBuilder put(L7ServiceBuilder service) {
        services.put(service.ident(), service);
        return this;
    }

    public L7ConfigBuilder remove(String ident) {
        services.remove(ident);
        return this;
    }

    public L7ConfigBuilder clear() {
        services.clear();
        return this;
    }

    public L7Config build() {
        List<L7Service> built = new ArrayList<>(services.size());
        for (L7ServiceBuilder s : services.values()) built.add(s.build());
        return new L7Config(built);
    }
}
