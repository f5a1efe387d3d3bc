package io.jlvs.tools.bench;

import io.jlvs.tools.netns.LvsTopology;

/** The jlvs services the netns benchmark measures, as ipvsadm lines for one `jlvsadm -R` (one JVM start, not 8). */
final class ServiceRules {
    private ServiceRules() {
    }

    /**
     * VIP:80/tcp and VIP:9/udp (the flood's discard port), round robin, every real server of the topology on the same
     * port with {@code forwardFlag}: "-m" NAT, "-g" DR, "-i" tunnel.
     */
    static String httpAndDiscard(LvsTopology topology, String forwardFlag) {
        return service(topology, "-t", NetnsBenchmark.HTTP_PORT, forwardFlag)
                + service(topology, "-u", UdpFloodMeter.DISCARD_PORT, forwardFlag);
    }

    /** The local address of the FullNAT services: on the servers' network, owned by the director. */
    static final String LOCAL_ADDRESS = "172.16.0.250";

    /** As {@link #httpAndDiscard} with every server FullNAT, the services' local address {@link #LOCAL_ADDRESS}. */
    static String fullNatHttpAndDiscard(LvsTopology topology) {
        return service(topology, "-t", NetnsBenchmark.HTTP_PORT, "--fullnat", " --laddr " + LOCAL_ADDRESS)
                + service(topology, "-u", UdpFloodMeter.DISCARD_PORT, "--fullnat", " --laddr " + LOCAL_ADDRESS);
    }

    static String service(LvsTopology topology, String protocolFlag, int port, String forwardFlag) {
        return service(topology, protocolFlag, port, forwardFlag, "");
    }

    private static String service(LvsTopology topology, String protocolFlag, int port, String forwardFlag,
                                  String serviceOptions) {
        String service = topology.vip() + ":" + port;
        StringBuilder rules = new StringBuilder("-A " + protocolFlag + " " + service + " -s rr" + serviceOptions + "\n");
        for (String server : topology.serverAddresses()) {
            rules.append("-a ").append(protocolFlag).append(' ').append(service).append(" -r ").append(server)
                    .append(':').append(port).append(' ').append(forwardFlag).append('\n');
        }
        return rules.toString();
    }
}
