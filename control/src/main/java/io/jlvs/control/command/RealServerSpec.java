package io.jlvs.control.command;

import io.jlvs.control.model.ForwardMethod;

/**
 * A real server as given on the command line, before the runtime's default forwarding method is known.
 *
 * @param method        null when no -g/-i/-m was given
 * @param tunType       null when --tun-type was not given (IPIP then)
 * @param tunPort       0 when --tun-port was not given
 * @param tunCsum       null when no --tun-nocsum/--tun-csum/--tun-remcsum was given
 * @param tunnelOptions true when any --tun-type/--tun-port/--tun-*csum option was given
 * @param proxyProtocol true when --proxy-protocol was given
 */
public record RealServerSpec(long addrHi, long addrLo, int port, ForwardMethod method, int weight,
                             int upperThreshold, int lowerThreshold, String tunType, int tunPort, String tunCsum,
                             boolean tunnelOptions, boolean proxyProtocol) {

    /** A server without --proxy-protocol. */
    public RealServerSpec(long addrHi, long addrLo, int port, ForwardMethod method, int weight,
                          int upperThreshold, int lowerThreshold, String tunType, int tunPort, String tunCsum,
                          boolean tunnelOptions) {
        this(addrHi, addrLo, port, method, weight, upperThreshold, lowerThreshold, tunType, tunPort, tunCsum,
                tunnelOptions, false);
    }
}
