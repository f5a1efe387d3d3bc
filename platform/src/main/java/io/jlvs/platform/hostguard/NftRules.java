package io.jlvs.platform.hostguard;

import io.jlvs.platform.net.Link;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The nftables scripts of the host guard: one table, two named sets, one prerouting chain. */
final class NftRules {
    static final String TABLE = "inet jlvs";

    private NftRules() {}

    /**
     * Creates the table in one transaction, replacing any leftover of an earlier run. The chain runs at raw
     * priority, before conntrack and routing, so a dropped packet never reaches the kernel's stack; AF_PACKET
     * taps run before netfilter and still see it. Replies from NAT backends to addresses that are not the
     * director's own are the un-NATed replies jlvs rewrites; replies to the director itself (health checks) pass.
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
                    chain prerouting {
                        type filter hook prerouting priority raw; policy accept;
                        ip daddr @vips counter drop comment "jlvs handles VIP traffic in user space"
                        ip saddr . meta l4proto . th sport @nat_backends fib daddr type != local counter drop comment "un-NATed replies: jlvs rewrites them"
                    }
                }
                """;
    }

    /** Deletes the table if it exists (the leading add makes the delete safe). */
    static String deleteTable() {
        return "table inet jlvs\ndelete table inet jlvs\n";
    }

    /** Replaces both sets' contents in one transaction. */
    static String replaceSets(int[] vipsV4, List<NatBackend> natBackends) {
        StringBuilder script = new StringBuilder("flush set inet jlvs vips\nflush set inet jlvs nat_backends\n");
        // nft rejects an element listed twice in one command
        Set<String> vips = new LinkedHashSet<>();
        for (int vip : vipsV4) vips.add(Link.formatIpv4(vip));
        Set<String> backends = new LinkedHashSet<>();
        for (NatBackend b : natBackends) backends.add(Link.formatIpv4(b.addrV4()) + " . " + b.protocol() + " . " + b.port());
        if (!vips.isEmpty()) script.append("add element inet jlvs vips { ").append(String.join(", ", vips)).append(" }\n");
        if (!backends.isEmpty()) {
            script.append("add element inet jlvs nat_backends { ").append(String.join(", ", backends)).append(" }\n");
        }
        return script.toString();
    }
}
