package io.jlvs.forwarder.net;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The nftables scripts of the host guard: two tables with the same two named sets and the same two drop rules.
 * {@code netdev jlvs} drops at the ingress hook of jlvs's interfaces, right after the AF_PACKET taps have seen the
 * frame and before the kernel's IP layer (ip_rcv, prerouting) spends anything on it: about 2-3% more keep-alive
 * requests per second on the benchmark's saturated 2-core machine. {@code inet jlvs} drops in prerouting and catches
 * what ingress does not see: frames on other interfaces, and VLAN-tagged frames (an {@code ip} match at ingress
 * needs an untagged IPv4 frame).
 */
final class NftRules {
    static final String TABLE = "inet jlvs";
    static final String INGRESS_TABLE = "netdev jlvs";

    private NftRules() {}

    private static final String SETS = """
                set vips {
                    type ipv4_addr
                }
                set nat_backends {
                    type ipv4_addr . inet_proto . inet_service
                }
            """;

    // Replies to the director itself (health checks) pass: only un-NATed replies to other addresses are jlvs's.
    private static final String DROP_RULES = """
                    ip daddr @vips counter drop comment "jlvs handles VIP traffic in user space"
                    ip saddr . meta l4proto . th sport @nat_backends fib daddr type != local counter drop comment "un-NATed replies: jlvs rewrites them"
            """;

    /**
     * Creates both tables in one transaction, replacing any leftover of an earlier run. The prerouting chain runs at
     * raw priority, before conntrack and routing, so a dropped packet never reaches the kernel's stack; AF_PACKET
     * taps run before both hooks and still see it. Without interfaces the ingress table has no chain.
     */
    static String createTables(List<String> ingressInterfaces) {
        String ingressChain = ingressInterfaces.isEmpty() ? "" : """
                    chain ingress {
                        type filter hook ingress devices = { %s } priority -500; policy accept;
                %s    }
                """.formatted(quotedDevices(ingressInterfaces), DROP_RULES);
        return deleteTables() + """
                table inet jlvs {
                %s    chain prerouting {
                        type filter hook prerouting priority raw; policy accept;
                %s    }
                }
                table netdev jlvs {
                %s%s}
                """.formatted(SETS, DROP_RULES, SETS, ingressChain);
    }

    private static String quotedDevices(List<String> interfaces) {
        List<String> quoted = new java.util.ArrayList<>();
        for (String name : interfaces) {
            if (name.isEmpty() || name.chars().anyMatch(c -> c == '"' || c == '\\' || Character.isWhitespace(c))) {
                throw new IllegalArgumentException("interface name not usable in an nftables device list: '" + name + "'");
            }
            quoted.add('"' + name + '"');
        }
        return String.join(", ", new LinkedHashSet<>(quoted));
    }

    /** Deletes both tables if they exist (each leading add makes its delete safe). */
    static String deleteTables() {
        return "table inet jlvs\ndelete table inet jlvs\ntable netdev jlvs\ndelete table netdev jlvs\n";
    }

    /** Replaces both sets' contents in both tables in one transaction. */
    static String replaceSets(int[] vipsV4, List<NatBackend> natBackends) {
        // nft rejects an element listed twice in one command
        Set<String> vips = new LinkedHashSet<>();
        for (int vip : vipsV4) vips.add(Link.formatIpv4(vip));
        Set<String> backends = new LinkedHashSet<>();
        for (NatBackend b : natBackends) backends.add(Link.formatIpv4(b.addrV4()) + " . " + b.protocol() + " . " + b.port());
        StringBuilder script = new StringBuilder();
        for (String table : List.of(TABLE, INGRESS_TABLE)) {
            script.append("flush set ").append(table).append(" vips\nflush set ").append(table).append(" nat_backends\n");
            if (!vips.isEmpty()) {
                script.append("add element ").append(table).append(" vips { ").append(String.join(", ", vips)).append(" }\n");
            }
            if (!backends.isEmpty()) {
                script.append("add element ").append(table).append(" nat_backends { ").append(String.join(", ", backends)).append(" }\n");
            }
        }
        return script.toString();
    }
}
