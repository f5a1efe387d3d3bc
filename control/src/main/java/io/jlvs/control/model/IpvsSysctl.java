package io.jlvs.control.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The IPVS sysctls jlvs honours (the kernel's /proc/sys/net/ipv4/vs, ip_vs_ctl.c's ctl_table): name, default,
 * allowed range and meaning, in the order jlvsadm --sysctl all lists them. jlvsadm validates values against this
 * table; the data plane keeps one value per entry, starting at the default.
 */
public enum IpvsSysctl {
    EXPIRE_NODEST_CONN("expire_nodest_conn", 0, 0, 1,
            "remove the connections of a deleted real server at once, instead of dropping their packets until they"
                    + " time out"),
    EXPIRE_QUIESCENT_TEMPLATE("expire_quiescent_template", 0, 0, 1,
            "expire the persistence templates of a real server whose weight is 0"),
    CONN_REUSE_MODE("conn_reuse_mode", 1, 0, 3,
            "bit 0: a SYN on the tuple of a closing connection schedules a new connection (bit 1 is for"
                    + " connection sync and has no effect here)"),
    SLOPPY_TCP("sloppy_tcp", 0, 0, 1, "create TCP connections on any packet, not only on a SYN"),
    NAT_ICMP_SEND("nat_icmp_send", 0, 0, 1,
            "answer a NAT real server's packet that matches no connection with ICMP port unreachable"),
    PMTU_DISC("pmtu_disc", 1, 0, 1,
            "tunnel: answer a DF packet too big for the tunnel with ICMP fragmentation needed (0: fragment it)"),
    AMEMTHRESH("amemthresh", 50, 1, 99,
            "the DoS defences' threshold: the free room of the connection table, in percent of its capacity, below"
                    + " which those set to 1 switch on (the kernel counts free memory in pages)"),
    AM_DROPRATE("am_droprate", 10, 1, 1_000_000,
            "drop_packet 3: one new connection in this many is dropped"),
    DROP_ENTRY("drop_entry", 1, 0, 3,
            "remove TCP connections whose handshake never completed (SYN_RECV) once idle 1 s, down to 200 ms as the"
                    + " free room falls to half of amemthresh, so a SYN flood cannot lock clients out; 0 never, 1 when"
                    + " the free room is below amemthresh (shows 2 while on), 3 always (the kernel's default is 0)"),
    DROP_PACKET("drop_packet", 0, 0, 3,
            "drop new connections at a rate that grows as the free room falls below amemthresh; 0 never, 1 below"
                    + " amemthresh (shows 2 while on), 3 always, one in am_droprate"),
    SECURE_TCP("secure_tcp", 0, 0, 3,
            "IPVS's secure TCP state table: an entry counts as established only once the real server's side of"
                    + " the handshake is seen (NAT) and a DR/TUN SYN waits in SYNACK; 0 never, 1 below amemthresh"
                    + " (shows 2 while on), 3 always"),
    SYNC_THRESHOLD("sync_threshold", 3, 0, 254,
            "connection sync: a connection is sent again when its count of packets from the client, modulo"
                    + " sync_period, reaches this (the kernel's sync_threshold \"3 50\" is sync_threshold 3 and"
                    + " sync_period 50); below sync_period when that is not 0"),
    SYNC_PERIOD("sync_period", 50, 0, 255,
            "connection sync: the packet period of sync_threshold (0: only the threshold-th packet)"),
    SYNC_REFRESH_PERIOD("sync_refresh_period", 0, 0, 86400,
            "connection sync, seconds: send a connection again only once its deadline has moved this far (or half"
                    + " its timeout) since it was last sent (0: the packet count alone decides)"),
    SYNC_RETRIES("sync_retries", 0, 0, 3,
            "connection sync: sends within sync_refresh_period allowed, each an eighth of it after the last");

    /** The sysctl directory's prefix, accepted in front of a name and printed in listings. */
    public static final String PREFIX = "net.ipv4.vs.";

    private final String sysctlName;
    private final int defaultValue;
    private final int min;
    private final int max;
    private final String meaning;

    IpvsSysctl(String sysctlName, int defaultValue, int min, int max, String meaning) {
        this.sysctlName = sysctlName;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.meaning = meaning;
    }

    /** The name under /proc/sys/net/ipv4/vs. */
    public String sysctlName() { return sysctlName; }

    public int defaultValue() { return defaultValue; }

    public int min() { return min; }

    public int max() { return max; }

    public String meaning() { return meaning; }

    /** Whether the value is in the allowed range. */
    public boolean allows(int value) { return value >= min && value <= max; }

    /** What the allowed range is, for error messages: "takes 0 or 1", "takes 0 to 3". */
    public String rangeText() {
        return max == min + 1 ? "takes " + min + " or " + max : "takes " + min + " to " + max;
    }

    /** The sysctl of a name, with or without {@link #PREFIX}; null when there is none. */
    public static IpvsSysctl byName(String name) {
        String bare = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        for (IpvsSysctl s : values()) if (s.sysctlName.equals(bare)) return s;
        return null;
    }

    /**
     * Why a sync_threshold and sync_period pair is refused (the kernel's rule: the threshold below a period other
     * than 0), or null when it is allowed.
     */
    public static String syncPairProblem(int threshold, int period) {
        return period != 0 && threshold >= period
                ? "sync_threshold must be below sync_period unless that is 0 (they would be " + threshold + " and "
                        + period + ")"
                : null;
    }

    /** Every name, space-separated, in table order. */
    public static String names() {
        return Arrays.stream(values()).map(IpvsSysctl::sysctlName).collect(Collectors.joining(" "));
    }
}
