package io.jlvs.control.l7;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The desired state of the layer-7 proxy: its services in the order they were added, by distinct ident. */
public record L7Config(List<L7Service> services) {
    public static final L7Config EMPTY = new L7Config(List.of());

    public L7Config {
        services = List.copyOf(services);
        Set<String> idents = new HashSet<>();
        for (L7Service s : services) {
            if (!idents.add(s.ident())) throw new IllegalArgumentException("service " + s.ident() + " twice");
        }
    }

    /** The service of that ident, or null. */
    public L7Service service(String ident) {
        for (L7Service s : services) {
            if (s.ident().equals(ident)) return s;
        }
        return null;
    }

    public L7ConfigBuilder toBuilder() { return new L7ConfigBuilder(this); }
}
