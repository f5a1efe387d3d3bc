package io.jlvs.tools.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * Two directors on shared segments, for failover: a client, directors d1 and d2, and N real servers, each in its
 * own namespace, plus a switch namespace with the bridges. Which director owns the VIP (and, in NAT, the servers'
 * gateway address) is decided by VRRP between them; neither director's kernel holds those addresses.
 *
 * <pre>
 * NAT: br0: client eth0 10.0.0.2/24, d1 lan0 10.0.0.1/24, d2 lan0 10.0.0.3/24; VIP 10.0.0.100
 *      br1: d1 srv0 172.16.0.251/24, d2 srv0 172.16.0.252/24, rsK eth0 172.16.0.(1+K)/24 routing default via the
 *      gateway 172.16.0.1, a virtual address of the directors' inside VRRP instance
 * DR:  br0 only: client, d1 lan0 10.0.0.1/24, d2 lan0 10.0.0.3/24, rsK eth0 10.0.0.(10+K)/24 holding the VIP on lo
 *      with arp_ignore=1, arp_announce=2
 * </pre>
 * Multicast snooping is off on the bridges, so VRRP adverts and sync messages reach every port at once.
 */
public final class FailoverTopology implements AutoCloseable {
    public static final String VIP = LvsTopology.VIP;
    public static final String CLIENT_ADDRESS = LvsTopology.CLIENT_ADDRESS;
    public static final String NAT_GATEWAY = "172.16.0.1";
    private static final String[] CLIENT_SIDE_ADDRESSES = {"10.0.0.1", "10.0.0.3"};
    private static final String[] NAT_SERVER_SIDE_ADDRESSES = {"172.16.0.251", "172.16.0.252"};
    private static final String[] CLIENT_SIDE_ADDRESSES6 = {"fd00:1::1", "fd00:1::3"};
    private static final String[] NAT_SERVER_SIDE_ADDRESSES6 = {"fd00:2::fb", "fd00:2::fc"};

    private final LvsTopology.Kind kind;
    private final NetnsTopology network;
    private final String client;
    private final List<String> directors;
    private final List<String> servers;
    private final List<String> serverAddresses;
    private List<String> serverAddresses6 = List.of();

    private FailoverTopology(LvsTopology.Kind kind, NetnsTopology network, String client, List<String> directors,
                             List<String> servers, List<String> serverAddresses) {
        this.kind = kind;
        this.network = network;
        this.client = client;
        this.directors = List.copyOf(directors);
        this.servers = List.copyOf(servers);
        this.serverAddresses = List.copyOf(serverAddresses);
    }

    /** Builds the NAT pair; on any failure everything made so far is removed before the exception leaves. */
    public static FailoverTopology nat(String prefix, int realServers) {
        return build(LvsTopology.Kind.NAT, prefix, realServers);
    }

    /** Builds the direct-routing pair (servers prepared for DR). */
    public static FailoverTopology dr(String prefix, int realServers) {
        return build(LvsTopology.Kind.DR, prefix, realServers);
    }

    private static FailoverTopology build(LvsTopology.Kind kind, String prefix, int realServers) {
        if (realServers < 1 || realServers > 200) throw new IllegalArgumentException("real servers: " + realServers);
        if (kind == LvsTopology.Kind.TUN) throw new IllegalArgumentException("no TUN failover topology");
        NetnsTopology net = new NetnsTopology(prefix);
        try {
            String client = net.addNamespace("-c");
            String lan = net.addNamespace("-sw");
            net.addBridge(lan, "br0");
            SwitchedLan.floodMulticast(net, lan, "br0");
            SwitchedLan.plug(net, client, "eth0", lan, "c0", "br0", CLIENT_ADDRESS + "/24");
            net.disableChecksumOffload(client, "eth0");
            boolean nat = kind == LvsTopology.Kind.NAT;
            if (nat) {
                net.addBridge(lan, "br1");
                SwitchedLan.floodMulticast(net, lan, "br1");
            }
            List<String> directors = new ArrayList<>();
            for (int d = 0; d < 2; d++) {
                String ns = net.addNamespace("-d" + (d + 1));
                SwitchedLan.plug(net, ns, "lan0", lan, "d" + (d + 1), "br0", CLIENT_SIDE_ADDRESSES[d] + "/24");
                if (nat) {
                    SwitchedLan.plug(net, ns, "srv0", lan, "e" + (d + 1), "br1", NAT_SERVER_SIDE_ADDRESSES[d] + "/24");
                }
                directors.add(ns);
            }
            List<String> servers = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int k = 1; k <= realServers; k++) {
                String ns = net.addNamespace("-rs" + k);
                String address = nat ? "172.16.0." + (1 + k) : "10.0.0." + (10 + k);
                SwitchedLan.plug(net, ns, "eth0", lan, "s" + k, nat ? "br1" : "br0", address + "/24");
                if (nat) {
                    net.addDefaultRoute(ns, NAT_GATEWAY);
                } else {
                    SwitchedLan.prepareDirectRouting(net, ns, "eth0", VIP);
                }
                net.disableChecksumOffload(ns, "eth0");
                servers.add(ns);
                addresses.add(address);
            }
            return new FailoverTopology(kind, net, client, directors, servers, addresses);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    public LvsTopology.Kind kind() { return kind; }

    public NetnsTopology network() { return network; }

    public ProcessRunner processes() { return network.processes(); }

    public String clientNamespace() { return client; }

    /** Namespace of director d (1 or 2). */
    public String directorNamespace(int d) { return directors.get(d - 1); }

    /** Director d's own address on the client LAN (its VRRP adverts come from it). */
    public String directorAddress(int d) { return CLIENT_SIDE_ADDRESSES[d - 1]; }

    /** Director d's own address on the server LAN (NAT), or its client LAN address (DR). */
    public String directorServerAddress(int d) {
        return kind == LvsTopology.Kind.NAT ? NAT_SERVER_SIDE_ADDRESSES[d - 1] : CLIENT_SIDE_ADDRESSES[d - 1];
    }

    public String clientSide() { return "lan0"; }

    public String serverSide() { return kind == LvsTopology.Kind.NAT ? "srv0" : "lan0"; }

    /** Director d as a place to start a jlvs daemon (files named d1, d2). */
    /**
     * Adds IPv6 beside IPv4 (NAT only): the client LAN fd00:1::/64 (client ::2, d1 ::1, d2 ::3, VIP
     * {@link LvsTopology#VIP6}) and the server LAN fd00:2::/64 (d1 ::fb, d2 ::fc, server k ::(k+1), without a default
     * route: no VRRP address of IPv6 to route through). Addresses skip duplicate address detection. Returns this
     * topology; on failure it is closed before the exception leaves.
     */
    public FailoverTopology withIpv6() {
        try {
            if (kind != LvsTopology.Kind.NAT) throw new IllegalStateException("IPv6 is for the NAT pair only");
            network.addAddress6(client, "eth0", LvsTopology.CLIENT_ADDRESS6 + "/64");
            for (int d = 0; d < 2; d++) {
                network.addAddress6(directors.get(d), "lan0", CLIENT_SIDE_ADDRESSES6[d] + "/64");
                network.addAddress6(directors.get(d), "srv0", NAT_SERVER_SIDE_ADDRESSES6[d] + "/64");
            }
            List<String> addresses = new ArrayList<>();
            for (int k = 1; k <= servers.size(); k++) {
                String address = "fd00:2::" + Integer.toHexString(k + 1);
                network.addAddress6(servers.get(k - 1), "eth0", address + "/64");
                addresses.add(address);
            }
            serverAddresses6 = List.copyOf(addresses);
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** IPv6 address of real server k, counted from 1 (after {@link #withIpv6}). */
    public String serverAddress6(int k) { return serverAddresses6.get(k - 1); }

    /** The client namespace as a place to run test clients of the IPv6 VIP. */
    public ClientSeat clientSeat6() { return new ClientSeat(processes(), client, LvsTopology.VIP6); }

    public DirectorSeat seat(int d) {
        return new DirectorSeat("d" + d, processes(), directorNamespace(d), clientSide(), serverSide(), VIP,
                serverAddresses);
    }

    public String vip() { return VIP; }

    public String clientAddress() { return CLIENT_ADDRESS; }

    public List<String> serverAddresses() { return serverAddresses; }

    public String serverAddress(int k) { return serverAddresses.get(k - 1); }

    public String serverNamespace(int k) { return servers.get(k - 1); }

    public List<String> serverNamespaces() { return servers; }

    public int serverCount() { return servers.size(); }

    /** The client namespace as a place to run test clients. */
    public ClientSeat clientSeat() { return new ClientSeat(processes(), client, VIP); }

    public CommandResult inClient(String... command) { return network.run(client, command); }

    public CommandResult inDirector(int d, String... command) { return network.run(directorNamespace(d), command); }

    public CommandResult inServer(int k, String... command) { return network.run(serverNamespace(k), command); }

    /** Stops every process started in the topology and deletes its namespaces. Idempotent. */
    @Override
    public void close() {
        network.close();
    }
}
