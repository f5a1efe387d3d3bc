package io.jlvs.control.l7;

/**
 * A server of a layer-7 service.
 *
 * @param endpoint where the proxy connects
 * @param weight   0..65535, its capacity relative to the others; 0 takes no new connections
 */
public record L7Server(L7Endpoint endpoint, int weight) {
    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = 65535;

    public L7Server {
        if (endpoint == null) throw new NullPointerException("endpoint");
        if (weight < 0 || weight > MAX_WEIGHT) throw new IllegalArgumentException("weight " + weight + " out of range");
    }
}
