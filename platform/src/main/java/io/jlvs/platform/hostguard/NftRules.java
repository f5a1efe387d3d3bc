package io.jlvs.platform.hostguard;

import io.jlvs.platform.net.Link;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nftables scripts of the host guard: the table {@code inet jlvs} (the VIPs, the NAT backends, the kernel's
 * ports on VIPs, one prerouting chain) and the table {@code arp jlvs} (the kernel never answers ARP for a VIP it
 * terminates ports of: jlvs does, as for every VIP).
 */
final class NftRules {
    static final String TABLE = "inet jlvs";

    private NftRules() {}

    /**
     * Creates the table in one transaction, replacing any leftover of an earlier run. The chain runs at raw
     * priority, before conntrack and routing, so a dropped packet never reaches the kernel's stack; AF_PACKET
     * taps run before netfilter and still see it. Replies from NAT backends to addresses that are not the
     * director's own are the un-NATed replies jlvs rewrites; replies to the director itself (health checks) pass.
     * A fragmented reply's later fragments carry no ports to match: the rule before the drop remembers the datagram
     * of a first fragment it is about to drop (addresses, protocol, identification; for the kernel's ipfrag_time),
     * and the later fragments of those datagrams are dropped too (a later fragment that comes before its first
     * passes). Without conntrack nothing reassembles ahead of this chain, so fragments reach it one by one.
     * TCP to a kernel port (a layer-7 service listening on a VIP) passes ahead of the VIP drop, and so do the ICMP
     * errors to those VIPs (the kernel matches them to its own sockets and never answers one); ICMP echo stays
     * jlvs's. The VIPs the kernel holds a local route for get no ARP reply from it.
     */
    static String createTable() {
        return """
                table inet jlvs
                delete table inet jlvs
                table inet jlvs {
                    set vips {
                        type ipv4_addr
                    }
                    set nat_backends {
                        type ipv4_addr . inet_proto . inet_service
                    }
                    set kernel_ports {
                        type ipv4_addr . inet_service
                    }
                    set kernel_vips {
                        type ipv4_addr
                    }
                    set vips6 {
                        type ipv6_addr
                    }
                    set nat_backends6 {
                        type ipv6_addr . inet_proto . inet_service
                    }
                    set nat_reply_fragments {
                        typeof ip saddr . ip daddr . ip protocol . ip id
                        size 65535
                        flags dynamic,timeout
                        timeout 30s
                    }
                    set nat_reply_fragments6 {
                        typeof ip6 saddr . ip6 daddr . frag id
                        size 65535
                        flags dynamic,timeout
                        timeout 60s
                    }
                    chain prerouting {
                        type filter hook prerouting priority raw; policy accept;
                        ip daddr . tcp dport @kernel_ports counter accept comment "layer-7 listeners on VIPs: the kernel terminates them"
                        ip daddr @kernel_vips icmp type { destination-unreachable, time-exceeded, parameter-problem } counter accept comment "errors about the kernel's connections on VIPs"
                        ip daddr @vips counter drop comment "jlvs handles VIP traffic in user space"
                        ip frag-off & 0x3fff == 0x2000 ip saddr . meta l4proto . th sport @nat_backends fib daddr type != local add @nat_reply_fragments { ip saddr . ip daddr . ip protocol . ip id } comment "the first fragment of an un-NATed reply: its datagram's later fragments follow it"
                        ip saddr . meta l4proto . th sport @nat_backends fib daddr type != local counter drop comment "un-NATed replies: jlvs rewrites them"
                        ip frag-off & 0x1fff != 0 ip saddr . ip daddr . ip protocol . ip id @nat_reply_fragments counter drop comment "later fragments of un-NATed replies"
                        ip6 daddr @vips6 counter drop comment "jlvs handles IPv6 VIP traffic in user space"
                        meta nfproto ipv6 frag frag-off 0 frag more-fragments 1 ip6 saddr . meta l4proto . th sport @nat_backends6 fib daddr type != local add @nat_reply_fragments6 { ip6 saddr . ip6 daddr . frag id } comment "the first fragment of an un-NATed IPv6 reply: its datagram's later fragments follow it"
                        ip6 saddr . meta l4proto . th sport @nat_backends6 fib daddr type != local counter drop comment "un-NATed IPv6 replies: jlvs rewrites them"
                        meta nfproto ipv6 frag frag-off != 0 ip6 saddr . ip6 daddr . frag id @nat_reply_fragments6 counter drop comment "later fragments of un-NATed IPv6 replies"
                    }
                }
                table arp jlvs
                delete table arp jlvs
                table arp jlvs {
                    set kernel_vips {
                        type ipv4_addr
                    }
                    chain input {
                        type filter hook input priority filter; policy accept;
                        arp operation request arp daddr ip @kernel_vips counter drop comment "jlvs answers ARP for its VIPs"
                    }
                }
                """;
    }

    /** Deletes both tables if they exist (the leading adds make the deletes safe). */
    static String deleteTable() {
        return "table inet jlvs\ndelete table inet jlvs\ntable arp jlvs\ndelete table arp jlvs\n";
    }

    /** Replaces every set's contents in one transaction. */
    static String replaceSets(int[] vipsV4, List<NatBackend> natBackends, List<KernelPort> kernelPorts) {
        StringBuilder script = new StringBuilder("flush set inet jlvs vips\nflush set inet jlvs nat_backends\n"
                + "flush set inet jlvs kernel_ports\nflush set inet jlvs kernel_vips\nflush set arp jlvs kernel_vips\n");
        // nft rejects an element listed twice in one command
        Set<String> vips = new LinkedHashSet<>();
        for (int vip : vipsV4) vips.add(Link.formatIpv4(vip));
        Set<String> backends = new LinkedHashSet<>();
        for (NatBackend b : natBackends) backends.add(Link.formatIpv4(b.addrV4()) + " . " + b.protocol() + " . " + b.port());
        if (!vips.isEmpty()) script.append("add element inet jlvs vips { ").append(String.join(", ", vips)).append(" }\n");
        if (!backends.isEmpty()) {
            script.append("add element inet jlvs nat_backends { ").append(String.join(", ", backends)).append(" }\n");
        }
        Set<String> ports = new LinkedHashSet<>();
        Set<String> kernelVips = new LinkedHashSet<>();
        for (KernelPort p : kernelPorts) {
            ports.add(Link.formatIpv4(p.addrV4()) + " . " + p.port());
            kernelVips.add(Link.formatIpv4(p.addrV4()));
        }
        if (!ports.isEmpty()) {
            script.append("add element inet jlvs kernel_ports { ").append(String.join(", ", ports)).append(" }\n");
            String vipList = String.join(", ", kernelVips);
            script.append("add element inet jlvs kernel_vips { ").append(vipList).append(" }\n");
            script.append("add element arp jlvs kernel_vips { ").append(vipList).append(" }\n");
        }
        return script.toString();
    }

    /** Replaces the IPv6 sets' contents in one transaction. */
    static String replaceIpv6Sets(List<Ipv6Endpoint> vips, List<Ipv6Endpoint> natBackends) {
        StringBuilder script = new StringBuilder("flush set inet jlvs vips6\nflush set inet jlvs nat_backends6\n");
        Set<String> addresses = new LinkedHashSet<>();
        for (Ipv6Endpoint v : vips) addresses.add(v.address());
        Set<String> backends = new LinkedHashSet<>();
        for (Ipv6Endpoint b : natBackends) backends.add(b.address() + " . " + b.protocol() + " . " + b.port());
        if (!addresses.isEmpty()) {
            script.append("add element inet jlvs vips6 { ").append(String.join(", ", addresses)).append(" }\n");
        }
        if (!backends.isEmpty()) {
            script.append("add element inet jlvs nat_backends6 { ").append(String.join(", ", backends)).append(" }\n");
        }
        return script.toString();
    }

    /** The VIPs of kernel ports, each once, in their first order. */
    static List<Integer> kernelVips(List<KernelPort> kernelPorts) {
        Set<Integer> vips = new LinkedHashSet<>();
        for (KernelPort p : kernelPorts) vips.add(p.addrV4());
        return List.copyOf(vips);
    }
}
