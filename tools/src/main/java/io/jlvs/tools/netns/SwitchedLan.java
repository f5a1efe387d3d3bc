package io.jlvs.tools.netns;

/**
 * Hosts on the bridges of a switch namespace, the part the director topologies share: a namespace plugged into a
 * bridge with its address, a bridge that floods multicast to every port, and a real server prepared for direct
 * routing.
 */
final class SwitchedLan {
    private SwitchedLan() {}

    /** A veth pair from ns's iface to the switch's port, the port on the bridge, the address on iface. */
    static void plug(NetnsTopology net, String ns, String iface, String lan, String port, String bridge,
                     String cidr) {
        plug(net, ns, iface, lan, port, bridge, cidr, 0);
    }

    /** As {@link #plug(NetnsTopology, String, String, String, String, String, String)}; an mtu above 0 is set on
     * both ends before the port joins the bridge (a bridge takes its ports' smallest MTU). */
    static void plug(NetnsTopology net, String ns, String iface, String lan, String port, String bridge, String cidr,
                     int mtu) {
        plug(net, ns, iface, lan, port, bridge, cidr, mtu, 1);
    }

    /** As {@link #plug(NetnsTopology, String, String, String, String, String, String, int)}, a veth of
     * {@code queues} queues each way. */
    static void plug(NetnsTopology net, String ns, String iface, String lan, String port, String bridge, String cidr,
                     int mtu, int queues) {
        net.addVethPair(ns, iface, lan, port, queues);
        if (mtu > 0) {
            net.check(ns, "ip", "link", "set", iface, "mtu", Integer.toString(mtu));
            net.check(lan, "ip", "link", "set", port, "mtu", Integer.toString(mtu));
        }
        net.attachToBridge(lan, port, bridge);
        net.addAddress(ns, iface, cidr);
    }

    /** Multicast snooping off: VRRP adverts and sync messages reach every port at once. */
    static void floodMulticast(NetnsTopology net, String lan, String bridge) {
        net.check(lan, "ip", "link", "set", bridge, "type", "bridge", "mcast_snooping", "0");
    }

    /**
     * The ARP problem of direct routing solved on a real server: it holds the VIP on lo, never answers ARP for it
     * (arp_ignore=1, arp_announce=2) and takes packets for it whatever their source (rp_filter off).
     */
    static void prepareDirectRouting(NetnsTopology net, String ns, String iface, String vip) {
        net.sysctl(ns, "net.ipv4.conf." + iface + ".arp_ignore", "1");
        net.sysctl(ns, "net.ipv4.conf." + iface + ".arp_announce", "2");
        net.sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
        net.sysctl(ns, "net.ipv4.conf." + iface + ".rp_filter", "0");
        net.addAddress(ns, "lo", vip + "/32");
    }
}
