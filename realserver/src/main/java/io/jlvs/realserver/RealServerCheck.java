package io.jlvs.realserver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * `jlvs realserver --check`: reads the host and reports every reason it would not serve the VIP for a DR or TUN
 * director, each with its fix. Changes nothing.
 */
public final class RealServerCheck {
    private RealServerCheck() {}

    public static List<Problem> run(String vip, RealServerMode mode) throws IOException {
        List<Problem> problems = new ArrayList<>();
        if (Ipv6RealServer.isIpv6(vip)) {
            checkIpv6(vip, mode, problems);
            return problems;
        }
        checkVip(vip, problems);
        for (String iface : HostNetwork.arpInterfaces()) checkArp(iface, vip, problems);
        if (mode == RealServerMode.DR) {
            checkStrictRpFilter(problems);
        } else {
            checkDecapsulation(vip, problems);
        }
        return problems;
    }

    private static void checkVip(String vip, List<Problem> problems) throws IOException {
        boolean onLo = false;
        for (HostNetwork.Address a : HostNetwork.ipv4Addresses()) {
            if (!a.address().equals(vip)) continue;
            if (a.iface().equals("lo")) {
                onLo = true;
                if (a.prefixLength() != 32) {
                    problems.add(new Problem("the VIP " + vip + " is on lo as /" + a.prefixLength()
                                    + ": the whole subnet becomes local and replies to it never leave",
                            "ip addr del " + vip + "/" + a.prefixLength() + " dev lo && ip addr add " + vip + "/32 dev lo"));
                }
            } else {
                problems.add(new Problem("the VIP " + vip + " is on " + a.iface()
                                + ": this server answers ARP for it and takes the director's traffic",
                        "ip addr del " + vip + "/" + a.prefixLength() + " dev " + a.iface() + " && ip addr add " + vip + "/32 dev lo"));
            }
        }
        if (!onLo) {
            problems.add(new Problem("the VIP " + vip + " is not on lo: packets for it are not accepted",
                    "ip addr add " + vip + "/32 dev lo"));
        }
    }

    private static void checkArp(String iface, String vip, List<Problem> problems) {
        int ignore = HostNetwork.effectiveMax(iface, "arp_ignore");
        if (ignore < 1) {
            problems.add(new Problem("arp_ignore is " + ignore + " on " + iface + ": it answers ARP for the VIP " + vip
                    + " (held on lo), so clients and routers may send VIP traffic here instead of to the director",
                    "sysctl -w net.ipv4.conf." + iface + ".arp_ignore=1"));
        }
        int announce = HostNetwork.effectiveMax(iface, "arp_announce");
        if (announce < 2) {
            problems.add(new Problem("arp_announce is " + announce + " on " + iface
                    + ": its ARP requests may carry the VIP as sender and poison neighbours' caches",
                    "sysctl -w net.ipv4.conf." + iface + ".arp_announce=2"));
        }
        if (HostNetwork.proxyArp(iface)) {
            problems.add(new Problem("proxy_arp is on for " + iface + ": it answers ARP for addresses it routes, the VIP"
                    + " included when it is not local", "sysctl -w net.ipv4.conf." + iface + ".proxy_arp=0"
                    + " (and net.ipv4.conf.all.proxy_arp=0)"));
        }
    }

    private static void checkStrictRpFilter(List<Problem> problems) throws IOException {
        String defaultIface = HostNetwork.defaultRouteInterface();
        for (String iface : HostNetwork.arpInterfaces()) {
            if (iface.equals(defaultIface) || HostNetwork.effectiveMax(iface, "rp_filter") != 1) continue;
            problems.add(new Problem("rp_filter is strict on " + iface + ", which is not the default route's interface:"
                    + " VIP packets from clients routed back through another interface are dropped",
                    "sysctl -w net.ipv4.conf." + iface + ".rp_filter=2"));
        }
    }

    private static void checkDecapsulation(String vip, List<Problem> problems) {
        String decap = decapsulationInterface();
        if (decap == null) {
            problems.add(new Problem("no decapsulation path: no ipip interface (" + HostNetwork.IPIP_INTERFACE
                    + ") is up and no jlvs decapsulator (" + HostNetwork.DECAP_INTERFACE + ") runs, so tunnelled"
                    + " packets are dropped", "modprobe ipip && ip link set tunl0 up, or run: jlvs realserver --vip "
                    + vip + " --mode tun (the user-space decapsulator)"));
            return;
        }
        int rpFilter = HostNetwork.effectiveMax(decap, "rp_filter");
        if (rpFilter != 0) {
            problems.add(new Problem("rp_filter is " + rpFilter + " on " + decap + " (the larger of all and " + decap
                    + "): decapsulated packets come in there, the interface has no IPv4 address and the route back to"
                    + " the client leaves elsewhere, so the kernel drops them",
                    "sysctl -w net.ipv4.conf." + decap + ".rp_filter=0"
                            + (HostNetwork.conf("all", "rp_filter") != 0 ? " net.ipv4.conf.all.rp_filter=0"
                            + " (first set each other interface's own rp_filter to the old 'all' value)" : "")));
        }
    }

    /** An IPv6 VIP: on lo, and for TUN a decapsulation path (see {@link Ipv6RealServer}). */
    private static void checkIpv6(String vip, RealServerMode mode, List<Problem> problems) throws IOException {
        long[] wanted = Ipv6RealServer.halves(vip);
        boolean onLo = false;
        for (String line : HostCommand.run("ip", "-o", "-6", "addr", "show", "dev", "lo").split("\n")) {
            String[] fields = line.trim().split("\\s+");
            for (int i = 0; i + 1 < fields.length; i++) {
                if (!fields[i].equals("inet6")) continue;
                long[] have = Ipv6RealServer.halves(fields[i + 1].split("/")[0]);
                onLo |= have[0] == wanted[0] && have[1] == wanted[1];
            }
        }
        if (!onLo) {
            problems.add(new Problem("the VIP " + vip + " is not on lo: packets for it are not accepted",
                    "ip -6 addr add " + vip + "/128 dev lo nodad"));
        }
        if (mode == RealServerMode.TUN && !(HostNetwork.interfaceExists(Ipv6RealServer.IP6_TUNNEL_INTERFACE)
                && HostNetwork.interfaceUp(Ipv6RealServer.IP6_TUNNEL_INTERFACE))
                && !(HostNetwork.interfaceExists(HostNetwork.DECAP_INTERFACE)
                && HostNetwork.interfaceUp(HostNetwork.DECAP_INTERFACE))) {
            problems.add(new Problem("no decapsulation path: no ip6_tunnel interface ("
                    + Ipv6RealServer.IP6_TUNNEL_INTERFACE + ") is up and no jlvs decapsulator ("
                    + HostNetwork.DECAP_INTERFACE + ") runs, so tunnelled packets are dropped",
                    "modprobe ip6_tunnel && ip link set ip6tnl0 up, or run: jlvs realserver --vip " + vip
                            + " --mode tun (the user-space decapsulator)"));
        }
    }

    /** The interface decapsulated packets arrive on, or null when there is none. */
    static String decapsulationInterface() {
        for (String name : new String[] {HostNetwork.IPIP_INTERFACE, HostNetwork.DECAP_INTERFACE}) {
            if (HostNetwork.interfaceExists(name) && HostNetwork.interfaceUp(name)) return name;
        }
        return null;
    }
}
