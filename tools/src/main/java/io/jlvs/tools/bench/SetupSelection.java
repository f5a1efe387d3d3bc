package io.jlvs.tools.bench;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of the benchmark's setups to measure ({@code --setups routing,afpacket}); all of them by default. A
 * narrower run is how one comparison is repeated over many rounds on this noisy machine, side by side, in the
 * time a full table takes once. Keys that a part does not have (nft in the DR part) simply select nothing there.
 */
record SetupSelection(Set<String> keys) {
    /**
     * kernel routing; kernel routing to all servers; nftables NAT; HAProxy; jlvs per backend; jlvs one worker per
     * core; jlvs FullNAT and jlvs with the XDP fast path, native and generic (NAT part only); jlvs over IPv6 (NAT66 in the NAT part, DR in
     * the DR part; AF_PACKET, on the part's topology made dual-stack).
     */
    static final List<String> KNOWN = List.of("routing", "routing-all", "nft", "haproxy", "afpacket", "afxdp", "pcap",
            "frames", "workers", "fullnat", "ipv6", "xdp", "xdp-generic");

    static SetupSelection all() {
        return new SetupSelection(Set.copyOf(KNOWN));
    }

    /** Parses a comma-separated list of {@link #KNOWN} keys; an unknown or empty one is an error naming the valid keys. */
    static SetupSelection parse(String list) {
        Set<String> keys = new LinkedHashSet<>();
        for (String key : list.split(",", -1)) {
            String k = key.strip();
            if (!KNOWN.contains(k)) {
                throw new IllegalArgumentException("--setups: unknown setup '" + k + "' (known: " + String.join(",", KNOWN) + ")");
            }
            keys.add(k);
        }
        return new SetupSelection(Set.copyOf(keys));
    }

    boolean includes(String key) {
        if (!KNOWN.contains(key)) throw new IllegalArgumentException("not a setup key: " + key);
        return keys.contains(key);
    }
}
