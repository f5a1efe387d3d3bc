package io.jlvs.tools.bench;

import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.NetnsTopology;

/**
 * Kernel routing in a DR or TUN topology, the yardstick for jlvs there: the client sends to a real server's own
 * address through the director (client -> director -> server, replies straight back to the client), the same path
 * length as DR and TUN, nothing balanced. close() undoes what it set.
 */
final class RoutedBaseline {
    private RoutedBaseline() {
    }

    /**
     * Turns forwarding on in the director and routes server 1's address from the client through the director (HTTP
     * goes to server 1 only; the UDP flood names the director's MAC itself). ICMP redirects are switched off on both
     * ends: in DR the server sits on the client's own LAN, and a redirect would let the client skip the director.
     */
    static AutoCloseable start(LvsTopology topology) {
        if (topology.kind() == LvsTopology.Kind.NAT) {
            throw new IllegalArgumentException("use KernelBaselines.routing for the NAT topology");
        }
        NetnsTopology net = topology.network();
        String director = topology.directorNamespace();
        String client = topology.clientNamespace();
        String serverRoute = topology.serverAddress(1) + "/32";
        net.sysctl(director, "net.ipv4.conf.all.send_redirects", "0");
        net.sysctl(director, "net.ipv4.conf." + topology.directorClientSide() + ".send_redirects", "0");
        net.sysctl(client, "net.ipv4.conf.all.accept_redirects", "0");
        net.sysctl(client, "net.ipv4.conf." + topology.clientInterface() + ".accept_redirects", "0");
        net.sysctl(director, "net.ipv4.ip_forward", "1");
        net.addRoute(client, serverRoute, topology.directorClientAddress());
        return () -> {
            net.run(client, "ip", "route", "del", serverRoute);
            net.sysctl(director, "net.ipv4.ip_forward", "0");
        };
    }
}
