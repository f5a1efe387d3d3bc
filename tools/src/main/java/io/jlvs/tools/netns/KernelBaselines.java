package io.jlvs.tools.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * Kernel-only ways to reach the real servers of a NAT {@link LvsTopology}, the yardsticks for jlvs. Each returns a
 * handle whose close() undoes exactly what it set, so the director namespace is clean for the next setup.
 */
public final class KernelBaselines {
    static final String NFT_TABLE = "jlvs_baseline_nat";

    private KernelBaselines() {
    }

    /** Plain IPv4 forwarding in the director: the client addresses a real server directly, nothing is balanced. */
    public static AutoCloseable routing(LvsTopology topology) {
        requireNat(topology);
        NetnsTopology net = topology.network();
        String director = topology.directorNamespace();
        net.sysctl(director, "net.ipv4.ip_forward", "1");
        return () -> net.sysctl(director, "net.ipv4.ip_forward", "0");
    }

    /**
     * nftables DNAT of every packet to the VIP over the real servers ({@code numgen inc mod N}), ports kept; no SNAT
     * because the servers route back through the director. The director kernel holds the VIP for this baseline only,
     * so it answers the client's ARP.
     */
    public static AutoCloseable nftablesNat(LvsTopology topology) {
        requireNat(topology);
        NetnsTopology net = topology.network();
        String director = topology.directorNamespace();
        String vipCidr = topology.vip() + "/32";
        Path script = writeTemp(net, "nat.nft", nftablesNatScript(topology));
        net.sysctl(director, "net.ipv4.ip_forward", "1");
        net.addAddress(director, topology.directorClientSide(), vipCidr);
        net.check(director, "nft", "-f", script.toString());
        return () -> {
            net.run(director, "nft", "delete", "table", "ip", NFT_TABLE);
            net.run(director, "ip", "addr", "del", vipCidr, "dev", topology.directorClientSide());
            net.sysctl(director, "net.ipv4.ip_forward", "0");
        };
    }

    static String nftablesNatScript(LvsTopology topology) {
        StringJoiner map = new StringJoiner(", ", "{ ", " }");
        for (int k = 1; k <= topology.serverCount(); k++) {
            map.add((k - 1) + " : " + topology.serverAddress(k));
        }
        return "table ip " + NFT_TABLE + " {\n"
                + "  chain prerouting {\n"
                + "    type nat hook prerouting priority dstnat; policy accept;\n"
                + "    ip daddr " + topology.vip() + " dnat to numgen inc mod " + topology.serverCount() + " map " + map + "\n"
                + "  }\n"
                + "}\n";
    }

    static void requireNat(LvsTopology topology) {
        if (topology.kind() != LvsTopology.Kind.NAT) {
            throw new IllegalArgumentException("kernel baselines need the NAT topology, got " + topology.kind());
        }
    }

    static Path writeTemp(NetnsTopology net, String name, String content) {
        try {
            return Files.writeString(net.processes().logDirectory().resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
