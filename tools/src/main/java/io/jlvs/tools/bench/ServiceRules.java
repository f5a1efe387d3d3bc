package io.jlvs.tools.bench;

import io.jlvs.tools.netns.LvsTopology;

import java.util.List;

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

    /**
     * As {@link #httpAndDiscard} on the IPv6 VIP of a dual-stack topology ({@link LvsTopology#withIpv6}), to the
     * servers' IPv6 addresses.
     */
    static String httpAndDiscard6(LvsTopology topology, String forwardFlag) {
        return service("[" + LvsTopology.VIP6 + "]", topology.serverAddresses6(), "-t", NetnsBenchmark.HTTP_PORT,
                forwardFlag, "")
                + service("[" + LvsTopology.VIP6 + "]", topology.serverAddresses6(), "-u", UdpFloodMeter.DISCARD_PORT,
                        forwardFlag, "");
    }

    static String service(LvsTopology topology, String protocolFlag, int port, String forwardFlag) {
        return service(topology, protocolFlag, port, forwardFlag, "");
    }

    private static String service(LvsTopology topology, String protocolFlag, int port, String forwardFlag,
                                  String serviceOptions) {
        return service(topology.vip(), topology.serverAddresses(), protocolFlag, port, forwardFlag, serviceOptions);
    }

    /** {@code vip} and {@code servers} as jlvsadm writes them: IPv6 addresses go in brackets. */
    private static String service(String vip, List<String> servers, String protocolFlag, int port, String forwardFlag,
                                  String serviceOptions) {
        String service = vip + ":" + port;
        StringBuilder rules = new StringBuilder("-A " + protocolFlag + " " + service + " -s rr" + serviceOptions + "\n");
        for (String server : servers) {
            rules.append("-a ").append(protocolFlag).append(' ').append(service).append(" -r ")
                    .append(server.contains(":") ? "[" + server + "]" : server)
                    .append(':').append(port).append(' ').append(forwardFlag).append('\n');
        }
        return rules.toString();
    }
}
