package io.jlvs.realserver;

import io.jlvs.platform.net.Sysctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the real-server setup reads from the host (the calling process's network namespace): interfaces, the
 * IPv4 addresses on them, the default route's interface, and the per-interface sysctls whose effective value is
 * the larger of "all" and the interface's own (arp_ignore, arp_announce, rp_filter) or either of them (proxy_arp).
 */
final class HostNetwork {
    /** The TUN interface of the user-space decapsulator. */
    static final String DECAP_INTERFACE = "jlvsdecap0";
    /** The ipip module's catch-all tunnel interface. */
    static final String IPIP_INTERFACE = "tunl0";
    private static final int ARPHRD_ETHER = 1;

    private HostNetwork() {}

    record Address(String iface, String address, int prefixLength) {}

    /** Interfaces that speak ARP (Ethernet type: physical, veth, bridge, bond, vlan), lo and tunnels excluded. */
    static List<String> arpInterfaces() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            for (Path link : links.sorted().toList()) {
                String type = read(link.resolve("type"));
                if (type != null && Integer.parseInt(type) == ARPHRD_ETHER) names.add(link.getFileName().toString());
            }
        }
        return names;
    }

    /** Every interface of the namespace, lo included. */
    static List<String> allInterfaces() throws IOException {
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            return links.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static boolean interfaceExists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    static boolean interfaceUp(String name) {
        String flags = read(Path.of("/sys/class/net", name, "flags"));
        return flags != null && (Integer.decode(flags) & 1) != 0; // IFF_UP
    }

    /** Every IPv4 address of the host ({@code ip -o -4 addr show}). */
    static List<Address> ipv4Addresses() throws IOException {
        List<Address> all = new ArrayList<>();
        for (String line : HostCommand.lines(HostCommand.run("ip", "-o", "-4", "addr", "show"))) {
            String[] f = line.trim().split("\\s+");
            // "2: eth0    inet 10.0.0.11/24 brd ... scope global eth0"
            if (f.length < 4 || !f[2].equals("inet")) continue;
            String[] cidr = f[3].split("/");
            all.add(new Address(f[1].replaceAll("@.*$", ""), cidr[0], cidr.length > 1 ? Integer.parseInt(cidr[1]) : 32));
        }
        return all;
    }

    /** The interface of the IPv4 default route, or null when there is none. */
    static String defaultRouteInterface() throws IOException {
        for (String line : HostCommand.lines(HostCommand.run("ip", "-4", "route", "show", "default"))) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) if (f[i].equals("dev")) return f[i + 1];
        }
        return null;
    }

    static String confKey(String iface, String name) {
        return "net/ipv4/conf/" + iface + "/" + name;
    }

    static int conf(String iface, String name) {
        return Integer.parseInt(Sysctl.read(confKey(iface, name)));
    }

    /** The value the kernel applies for arp_ignore, arp_announce and rp_filter: max(all, interface). */
    static int effectiveMax(String iface, String name) {
        return Math.max(conf("all", name), conf(iface, name));
    }

    /** proxy_arp applies when set on "all" or on the interface. */
    static boolean proxyArp(String iface) {
        return conf("all", "proxy_arp") != 0 || conf(iface, "proxy_arp") != 0;
    }

    /** True when the kernel can decapsulate IP-in-IP itself (the ipip module is loaded or loadable). */
    static boolean kernelHasIpip() {
        if (interfaceExists(IPIP_INTERFACE)) return true;
        return HostCommand.tryRun("modprobe", "-q", "ipip") && interfaceExists(IPIP_INTERFACE);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
