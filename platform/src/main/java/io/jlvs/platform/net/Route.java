package io.jlvs.platform.net;

/**
 * The kernel's route to one IPv4 destination: egress interface, gateway (0 when the destination is directly
 * connected), the source address the kernel would use, and the prefix length of the matching route entry.
 */
public record Route(int ifIndex, int gatewayV4, int prefSrcV4, int prefixLength) {
    public boolean directlyConnected() {
        return gatewayV4 == 0;
    }

    @Override
    public String toString() {
        return "Route[ifindex " + ifIndex + (gatewayV4 == 0 ? " connected" : " via " + Link.formatIpv4(gatewayV4))
                + " src " + Link.formatIpv4(prefSrcV4) + " /" + prefixLength + "]";
    }
}
