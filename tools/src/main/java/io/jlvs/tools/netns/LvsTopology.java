package io.jlvs.tools.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard LVS test network: a client, a director and N real servers, each in its own namespace, plus a
 * "switch" namespace holding the bridge that plays the LAN. The director's own kernel never holds the VIP: the
 * director under test answers ARP for it.
 *
 * <pre>
 * NAT:  client eth0 10.0.0.2/24 ── cli0 10.0.0.1/24 [director] srv0 172.16.0.1/24 ── br0 [switch] ── eth0 172.16.0.N/24 [rsK]
 *       real servers route default via 172.16.0.1; VIP 10.0.0.100 in the client subnet.
 * DR:   client eth0 10.0.0.2/24, director lan0 10.0.0.1/24, servers eth0 10.0.0.(10+K)/24, all on br0 [switch];
 *       servers hold VIP/32 on lo with arp_ignore=1, arp_announce=2, rp_filter=0 on eth0 (unless built unprepared,
 *       for `jlvs realserver` to prepare).
 * TUN:  as DR for the client LAN (the servers' eth0 is their return path, replies go straight to the client), plus
 *       a server network br1 [switch]: director srv0 172.16.0.1/24, servers eth1 172.16.0.(10+K)/24, the real
 *       addresses; its MTU may be smaller than the client LAN's (path MTU tests). Servers are left unprepared.
 * </pre>
 * Checksum offload is off on the client's and the servers' interfaces, so a wrong checksum is dropped.
 */
public final class LvsTopology implements AutoCloseable {
    public enum Kind { NAT, DR, TUN }

    public static final String VIP = "10.0.0.100";
    public static final String CLIENT_ADDRESS = "10.0.0.2";
    public static final String DIRECTOR_CLIENT_ADDRESS = "10.0.0.1";
    public static final String NAT_DIRECTOR_SERVER_ADDRESS = "172.16.0.1";
    /** Interface name of the client and of every real server inside its own namespace. */
    public static final String HOST_INTERFACE = "eth0";
    public static final String SWITCH_BRIDGE = "br0";
    /** Interface of every real server on the TUN server network (eth0 stays on the client LAN). */
    public static final String TUN_SERVER_INTERFACE = "eth1";
    public static final String TUN_SERVER_BRIDGE = "br1";
    public static final String TUN_DIRECTOR_SERVER_ADDRESS = "172.16.0.1";
    private static final String DIRECTOR_CLIENT_PORT = "d0";
    /** The IPv6 addresses of a dual-stack topology ({@link #withIpv6}): the client LAN fd00:1::/64. */
    public static final String VIP6 = "fd00:1::100";
    public static final String CLIENT_ADDRESS6 = "fd00:1::2";
    public static final String DIRECTOR_CLIENT_ADDRESS6 = "fd00:1::1";
    /** NAT and TUN: the server network fd00:2::/64, the director's side of it. */
    public static final String NAT_DIRECTOR_SERVER_ADDRESS6 = "fd00:2::1";

    private final Kind kind;
    private final NetnsTopology network;
    private final String client;
    private final String director;
    private final String switchNamespace;
    private final List<String> servers;
    private final List<String> serverAddresses;
    private final String directorClientSide;
    private final String directorServerSide;
    private final String directorServerAddress;
    private List<String> serverAddresses6 = List.of();

    private LvsTopology(Kind kind, NetnsTopology network, String client, String director, String switchNamespace,
                        List<String> servers, List<String> serverAddresses, String directorClientSide,
                        String directorServerSide, String directorServerAddress) {
        this.kind = kind;
        this.network = network;
        this.client = client;
        this.director = director;
        this.switchNamespace = switchNamespace;
        this.servers = List.copyOf(servers);
        this.serverAddresses = List.copyOf(serverAddresses);
        this.directorClientSide = directorClientSide;
        this.directorServerSide = directorServerSide;
        this.directorServerAddress = directorServerAddress;
    }

    /** Builds the NAT topology; on any failure everything made so far is removed before the exception leaves. */
    public static LvsTopology nat(String prefix, int realServers) {
        return nat(prefix, realServers, 1);
    }

    /**
     * As {@link #nat(String, int)}, the director's two veths (cli0 to the client's eth0, srv0 to the switch) with
     * {@code directorQueues} receive and transmit queues at both ends, for AF_XDP workers (one per queue): the
     * client's connections and the switch's forwarding spread over the queues by flow hash.
     */
    public static LvsTopology nat(String prefix, int realServers, int directorQueues) {
        requireServers(realServers);
        NetnsTopology net = new NetnsTopology(prefix);
        try {
            String client = net.addNamespace("-c");
            String director = net.addNamespace("-d");
            String lan = net.addNamespace("-sw");
            net.addVethPair(client, HOST_INTERFACE, director, "cli0", directorQueues);
            net.addAddress(client, HOST_INTERFACE, CLIENT_ADDRESS + "/24");
            net.addAddress(director, "cli0", DIRECTOR_CLIENT_ADDRESS + "/24");
            // The client reaches the server subnet through the director (used by the kernel-routing baseline).
            net.addDefaultRoute(client, DIRECTOR_CLIENT_ADDRESS);
            net.disableChecksumOffload(client, HOST_INTERFACE);

            net.addBridge(lan, SWITCH_BRIDGE);
            SwitchedLan.plug(net, director, "srv0", lan, "d0", SWITCH_BRIDGE, NAT_DIRECTOR_SERVER_ADDRESS + "/24", 0,
                    directorQueues);

            List<String> servers = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int k = 1; k <= realServers; k++) {
                String ns = net.addNamespace("-rs" + k);
                String address = "172.16.0." + (k + 1);
                SwitchedLan.plug(net, ns, HOST_INTERFACE, lan, "s" + k, SWITCH_BRIDGE, address + "/24", 0);
                net.addDefaultRoute(ns, NAT_DIRECTOR_SERVER_ADDRESS); // replies must go back through the director
                net.disableChecksumOffload(ns, HOST_INTERFACE);
                servers.add(ns);
                addresses.add(address);
            }
            return new LvsTopology(Kind.NAT, net, client, director, lan, servers, addresses, "cli0", "srv0",
                    NAT_DIRECTOR_SERVER_ADDRESS);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** Builds the direct-routing topology: one L2 segment for client, director and servers (servers prepared). */
    public static LvsTopology dr(String prefix, int realServers) {
        return dr(prefix, realServers, true);
    }

    /**
     * Builds the direct-routing topology; with {@code prepareServers} false the servers get neither the VIP nor
     * the ARP sysctls (for `jlvs realserver` to do it).
     */
    public static LvsTopology dr(String prefix, int realServers, boolean prepareServers) {
        requireServers(realServers);
        NetnsTopology net = new NetnsTopology(prefix);
        try {
            String client = net.addNamespace("-c");
            String director = net.addNamespace("-d");
            String lan = net.addNamespace("-sw");
            net.addBridge(lan, SWITCH_BRIDGE);
            plugClientLan(net, client, director, lan);

            List<String> servers = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int k = 1; k <= realServers; k++) {
                String ns = net.addNamespace("-rs" + k);
                String address = "10.0.0." + (10 + k);
                SwitchedLan.plug(net, ns, HOST_INTERFACE, lan, "s" + k, SWITCH_BRIDGE, address + "/24", 0);
                if (prepareServers) SwitchedLan.prepareDirectRouting(net, ns, HOST_INTERFACE, VIP);
                net.disableChecksumOffload(ns, HOST_INTERFACE);
                servers.add(ns);
                addresses.add(address);
            }
            return new LvsTopology(Kind.DR, net, client, director, lan, servers, addresses, "lan0", "lan0",
                    DIRECTOR_CLIENT_ADDRESS);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Builds the tunnelling topology (see the class comment) with {@code serverNetworkMtu} on every link of the
     * server network; the client LAN keeps 1500. Servers are not prepared: run `jlvs realserver --mode tun` there.
     */
    public static LvsTopology tun(String prefix, int realServers, int serverNetworkMtu) {
        requireServers(realServers);
        NetnsTopology net = new NetnsTopology(prefix);
        try {
            String client = net.addNamespace("-c");
            String director = net.addNamespace("-d");
            String lan = net.addNamespace("-sw");
            net.addBridge(lan, SWITCH_BRIDGE);
            net.addBridge(lan, TUN_SERVER_BRIDGE);
            net.check(lan, "ip", "link", "set", TUN_SERVER_BRIDGE, "mtu", Integer.toString(serverNetworkMtu));
            plugClientLan(net, client, director, lan);
            SwitchedLan.plug(net, director, "srv0", lan, "d1", TUN_SERVER_BRIDGE, TUN_DIRECTOR_SERVER_ADDRESS + "/24",
                    serverNetworkMtu);

            List<String> servers = new ArrayList<>();
            List<String> addresses = new ArrayList<>();
            for (int k = 1; k <= realServers; k++) {
                String ns = net.addNamespace("-rs" + k);
                SwitchedLan.plug(net, ns, HOST_INTERFACE, lan, "s" + k, SWITCH_BRIDGE, "10.0.0." + (10 + k) + "/24", 0);
                net.disableChecksumOffload(ns, HOST_INTERFACE);
                String address = "172.16.0." + (10 + k);
                SwitchedLan.plug(net, ns, TUN_SERVER_INTERFACE, lan, "t" + k, TUN_SERVER_BRIDGE, address + "/24",
                        serverNetworkMtu);
                net.disableChecksumOffload(ns, TUN_SERVER_INTERFACE);
                servers.add(ns);
                addresses.add(address);
            }
            return new LvsTopology(Kind.TUN, net, client, director, lan, servers, addresses, "lan0", "srv0",
                    TUN_DIRECTOR_SERVER_ADDRESS);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Makes the client stamp its TCP segments with its clock alone (net.ipv4.tcp_timestamps 2: no random offset per
     * connection, which covers IPv6 TCP too). A NAT director keeps the client's address and port, so a client port
     * the client's kernel reuses toward another service of the VIP that maps to the same real port reaches a server
     * that may hold that very tuple in TIME_WAIT from the earlier connection (the server closes first in HTTP/1.0).
     * The server accepts such a SYN when its timestamp is newer than the old connection's (RFC 6191); with a random
     * offset per connection it is older half of the time, and the server then answers the SYN with an ACK, the client
     * resets, and its next SYN is rescheduled to the next server, as behind IPVS: right, but one round-robin pick out
     * of turn for a test that counts them. The servers keep their TIME_WAIT (without it a server that closed first
     * answers the client's late FIN with a RST). Returns this topology.
     */
    public LvsTopology clientStampsWithItsClock() {
        network.sysctl(client, "net.ipv4.tcp_timestamps", "2");
        return this;
    }

    /**
     * Adds IPv6 beside IPv4 (dual stack): the client LAN fd00:1::/64 (client ::2, director ::1, VIP
     * {@link #VIP6}); NAT: the server LAN fd00:2::/64 (director ::1, server k ::(k+1), default route via the
     * director); DR: server k fd00:1::(10+k) on the client LAN; TUN: that too (the return path), and the real
     * address fd00:2::(10+k) on the server network, the director's side of it fd00:2::1. Addresses skip duplicate address detection (nodad),
     * so they are usable at once. Returns this topology; on failure it is closed before the exception leaves.
     */
    public LvsTopology withIpv6() {
        try {
            network.addAddress6(client, HOST_INTERFACE, CLIENT_ADDRESS6 + "/64");
            network.addAddress6(director, directorClientSide, DIRECTOR_CLIENT_ADDRESS6 + "/64");
            List<String> addresses = new ArrayList<>();
            for (int k = 1; k <= servers.size(); k++) {
                String ns = servers.get(k - 1);
                if (kind == Kind.NAT) {
                    String address = "fd00:2::" + Integer.toHexString(k + 1);
                    network.addAddress6(ns, HOST_INTERFACE, address + "/64");
                    network.check(ns, "ip", "-6", "route", "add", "default", "via", NAT_DIRECTOR_SERVER_ADDRESS6);
                    addresses.add(address);
                } else {
                    String lanAddress = "fd00:1::" + Integer.toHexString(10 + k);
                    network.addAddress6(ns, HOST_INTERFACE, lanAddress + "/64");
                    if (kind == Kind.TUN) {
                        String address = "fd00:2::" + Integer.toHexString(10 + k);
                        network.addAddress6(ns, TUN_SERVER_INTERFACE, address + "/64");
                        addresses.add(address);
                    } else {
                        addresses.add(lanAddress);
                    }
                }
            }
            if (kind != Kind.DR) network.addAddress6(director, directorServerSide, NAT_DIRECTOR_SERVER_ADDRESS6 + "/64");
            serverAddresses6 = List.copyOf(addresses);
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The IPv6 addresses of the real servers (empty unless {@link #withIpv6}). */
    public List<String> serverAddresses6() { return serverAddresses6; }

    /** IPv6 address of real server k, counted from 1. */
    public String serverAddress6(int k) { return serverAddresses6.get(k - 1); }

    /** The client namespace as a place to run test clients of the IPv6 VIP. */
    public ClientSeat clientSeat6() { return new ClientSeat(processes(), client, VIP6); }

    /**
     * Readies the director's links for the XDP fast path, which redirects frames into the director's veths: a veth
     * hands such frames to its peer through the peer's NAPI, which GRO (or an XDP program there) turns on. GRO goes
     * on at the peer of each of the director's interfaces (the client's end, the switch's ports), with a maximum
     * size of one byte so that it never merges: the receivers, and captures there, see the frames as they were sent.
     */
    public void enableXdpRedirectIntoDirector() {
        enableXdpRedirectIntoDirector(false);
    }

    /**
     * As {@link #enableXdpRedirectIntoDirector()}; {@code threaded} also moves those peers' NAPI polling into
     * kernel threads of their own (/sys/class/net/IF/threaded), as a NIC's receive runs apart from the sender: the
     * frames the director redirects are then received on another core than the one that redirected them.
     */
    public void enableXdpRedirectIntoDirector(boolean threaded) {
        if (kind == Kind.NAT) enableNapiWithoutMerging(client, HOST_INTERFACE, threaded);
        else enableNapiWithoutMerging(switchNamespace, "d0", threaded);
        if (kind != Kind.DR) enableNapiWithoutMerging(switchNamespace, kind == Kind.TUN ? "d1" : "d0", threaded);
    }

    /**
     * For a director whose XDP program answers the client side itself with XDP_TX (the SYN proxy under --fast-path
     * xdp): an XDP program that passes everything on the director's peer there, without which a veth holds such
     * frames back.
     */
    public void enableXdpTxToClientSide() {
        if (kind == Kind.NAT) PassingXdpProgram.attach(client, HOST_INTERFACE);
        else PassingXdpProgram.attach(switchNamespace, "d0");
    }

    private void enableNapiWithoutMerging(String namespace, String iface, boolean threaded) {
        network.check(namespace, "ethtool", "-K", iface, "gro", "on");
        network.check(namespace, "ip", "link", "set", "dev", iface, "gro_max_size", "1");
        if (threaded) network.threadNapi(namespace, iface);
    }

    /** DR and TUN: the client's eth0 and the director's lan0 on the client LAN, bridge {@link #SWITCH_BRIDGE}. */
    private static void plugClientLan(NetnsTopology net, String client, String director, String lan) {
        SwitchedLan.plug(net, client, HOST_INTERFACE, lan, "c0", SWITCH_BRIDGE, CLIENT_ADDRESS + "/24", 0);
        net.disableChecksumOffload(client, HOST_INTERFACE);
        SwitchedLan.plug(net, director, "lan0", lan, DIRECTOR_CLIENT_PORT, SWITCH_BRIDGE, DIRECTOR_CLIENT_ADDRESS + "/24", 0);
    }

    private static void requireServers(int realServers) {
        if (realServers < 1 || realServers > 200) {
            throw new IllegalArgumentException("real servers must be 1..200: " + realServers);
        }
    }

    public Kind kind() { return kind; }

    public NetnsTopology network() { return network; }

    public ProcessRunner processes() { return network.processes(); }

    public String clientNamespace() { return client; }

    public String directorNamespace() { return director; }

    /** The namespace holding bridge {@link #SWITCH_BRIDGE}: the server LAN (NAT) or the single LAN (DR). */
    public String switchNamespace() { return switchNamespace; }

    public List<String> serverNamespaces() { return servers; }

    /** Namespace of real server k, counted from 1. */
    public String serverNamespace(int k) { return servers.get(k - 1); }

    /** Name of real server k as it reports itself in the demo and tests ("rs1", "rs2", ...). */
    public String serverName(int k) { return "rs" + k; }

    public int serverCount() { return servers.size(); }

    /** The director's interface towards the clients. */
    public String directorClientSide() { return directorClientSide; }

    /** The director's interface towards the real servers (the same as the client side in DR). */
    public String directorServerSide() { return directorServerSide; }

    /** The switch namespace's end of the director's client-side link (DR and TUN; NAT has no switch there). */
    public String directorClientSwitchPort() { return DIRECTOR_CLIENT_PORT; }

    public String clientInterface() { return HOST_INTERFACE; }

    public String serverInterface() { return HOST_INTERFACE; }

    public String vip() { return VIP; }

    public String clientAddress() { return CLIENT_ADDRESS; }

    public String directorClientAddress() { return DIRECTOR_CLIENT_ADDRESS; }

    public String directorServerAddress() { return directorServerAddress; }

    public List<String> serverAddresses() { return serverAddresses; }

    /** Address of real server k, counted from 1. */
    public String serverAddress(int k) { return serverAddresses.get(k - 1); }

    /** The director's seat; {@code name} keeps the files of two daemons started on it in turn apart. */
    public DirectorSeat seat(String name) {
        return new DirectorSeat(name, processes(), director, directorClientSide, directorServerSide, VIP,
                serverAddresses);
    }

    /** The client namespace as a place to run test clients. */
    public ClientSeat clientSeat() { return new ClientSeat(processes(), client, VIP); }

    public CommandResult inClient(String... command) { return network.run(client, command); }

    public CommandResult inDirector(String... command) { return network.run(director, command); }

    public CommandResult inServer(int k, String... command) { return network.run(serverNamespace(k), command); }

    /** Stops all processes started in this topology and deletes its namespaces. Idempotent. */
    @Override
    public void close() {
        network.close();
    }
}
