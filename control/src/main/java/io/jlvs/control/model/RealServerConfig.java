package io.jlvs.control.model;

/**
 * Desired settings of one real server of a service. Identity within the service: address + port.
 * Addresses as in {@link ServiceKey}.
 *
 * @param weight         0..65535, 0 = quiescent (no new connections)
 * @param upperThreshold connection limit that sets OVERLOAD, 0 = none
 * @param lowerThreshold level below which OVERLOAD clears, 0 = 3/4 of the upper threshold
 * @param tunType        for TUNNEL: "ipip", "gue" or "gre"; null for other methods
 * @param tunPort        GUE destination port, 0 otherwise
 * @param tunCsum        for GUE/GRE: "nocsum", "csum" or "remcsum"; null otherwise
 * @param proxyProtocol  FullNAT over TCP: a PROXY protocol v2 header with the client's address opens the stream
 *                       toward the server (--proxy-protocol)
 */
public record RealServerConfig(long addrHi, long addrLo, int port, ForwardMethod method, int weight,
                               int upperThreshold, int lowerThreshold, String tunType, int tunPort, String tunCsum,
                               boolean proxyProtocol) {

    /** A server without the PROXY protocol header. */
    public RealServerConfig(long addrHi, long addrLo, int port, ForwardMethod method, int weight,
                            int upperThreshold, int lowerThreshold, String tunType, int tunPort, String tunCsum) {
        this(addrHi, addrLo, port, method, weight, upperThreshold, lowerThreshold, tunType, tunPort, tunCsum, false);
    }

    public RealServerConfig {
        if (weight < 0 || weight > 65535) throw new IllegalArgumentException("weight out of range: " + weight);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (method == null) throw new IllegalArgumentException("method is required");
    }

    /** A server with the given method and weight, no thresholds, IPIP when tunnelled. */
    public static RealServerConfig of(long addrHi, long addrLo, int port, ForwardMethod method, int weight) {
        return new RealServerConfig(addrHi, addrLo, port, method, weight, 0, 0,
                method == ForwardMethod.TUNNEL ? "ipip" : null, 0, null);
    }

    public boolean isV4() { return Addresses.isV4(addrHi, addrLo); }

    public boolean sameEndpoint(long hi, long lo, int p) {
        return addrHi == hi && addrLo == lo && port == p;
    }

    public RealServerConfig withWeight(int w) {
        return new RealServerConfig(addrHi, addrLo, port, method, w, upperThreshold, lowerThreshold, tunType, tunPort,
                tunCsum, proxyProtocol);
    }
}
