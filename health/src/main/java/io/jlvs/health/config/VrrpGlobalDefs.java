package io.jlvs.health.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * The VRRP and connection sync keywords of global_defs. Those jlvs acts on fill {@link VrrpGlobals} and the
 * defaults of every vrrp_instance ({@link VrrpInstanceDefaults}); those without effect in jlvs are accepted and
 * ignored with a warning; those whose absence would change how jlvs behaves next to keepalived are refused.
 */
final class VrrpGlobalDefs {
    /** RFC 3768's group, the only one jlvs's VRRP socket joins. */
    private static final String VRRP_GROUP = "224.0.0.18";
    private static final String VRRP_GROUP6 = "ff02::12";
    private static final long MAX_GARP_INTERVAL_MICROS = 0xFFFF_FFFFL;

    private int version = 2;
    private int garpIntervalMillis;
    private boolean strict;
    private SyncDaemonConfig syncDaemon;
    private Source syncDaemonSource;
    private boolean syncIdGiven;
    private Integer garpDelay, garpRepeat, garpRefresh, garpRefreshRepeat;
    private int downTimerAdverts = VrrpInstanceDefaults.KEEPALIVED.downTimerAdverts();
    private boolean minGarp;

    /** Adds the keywords to global_defs' table; {@code of} finds this part in the table's builder. */
    static <C> KeywordTable<C> keywords(KeywordTable<C> table, Function<C, VrrpGlobalDefs> of) {
        return table
                .leaf("vrrp_version", (s, g) -> of.apply(g).version = (int) Values.integer(s.value(), 2, 3))
                .leaf("vrrp_garp_interval", (s, g) -> of.apply(g).garpIntervalMillis = garpIntervalMillis(s.value()))
                .leaf("vrrp_strict", (s, g) -> { s.noValue(); of.apply(g).strict = true; })
                .leaf("lvs_sync_daemon", (s, g) -> {
                    VrrpGlobalDefs v = of.apply(g);
                    if (v.syncDaemonSource != null)
                        throw new ValueException("already given at " + Diagnostics.where(v.syncDaemonSource, s.source()));
                    v.syncDaemon = syncDaemon(s);
                    v.syncIdGiven = s.args().stream().anyMatch(w -> w.text().equals("id"));
                    v.syncDaemonSource = s.source();
                })
                .leaf("vrrp_garp_master_delay", (s, g) -> of.apply(g).garpDelay = (int) Values.integer(s.value(), 0, 255))
                .leaf("vrrp_garp_master_repeat", (s, g) -> of.apply(g).garpRepeat = (int) Values.integer(s.value(), 1, 255))
                .leaf("vrrp_garp_master_refresh", (s, g) -> of.apply(g).garpRefresh = (int) Values.integer(s.value(), 0, 86400))
                .leaf("vrrp_garp_master_refresh_repeat", (s, g) ->
                        of.apply(g).garpRefreshRepeat = (int) Values.integer(s.value(), 1, 255))
                .leaf("vrrp_down_timer_adverts", (s, g) ->
                        of.apply(g).downTimerAdverts = (int) Values.integer(s.value(), 1, 100))
                .leaf("vrrp_min_garp", (s, g) -> {
                    String value = s.optionalValue();
                    of.apply(g).minGarp = value == null || Values.choice(value, "true or false", "true", "false",
                            "yes", "no", "on", "off").matches("true|yes|on");
                })
                .leaf("vrrp_mcast_group4", (s, g) -> {
                    if (!VirtualAddresses.ipv4(null, s.value()).getHostAddress().equals(VRRP_GROUP))
                        throw new ValueException("jlvs sends and receives adverts on " + VRRP_GROUP
                                + " only; remove it, or use unicast_peer");
                })
                .ignore("jlvs runs as one process; tune it with systemd", "vrrp_no_swap", "vrrp_priority",
                        "vrrp_rt_priority", "vrrp_cpu_affinity", "vrrp_rlimit_rttime", "vrrp_rlimit_rtime",
                        "vrrp_process_name")
                .ignore("jlvs owns its VIPs in user space and needs no firewall rules for them", "vrrp_iptables",
                        "vrrp_ipsets", "vrrp_nftables")
                .ignore("jlvs has no notification FIFO", "vrrp_notify_fifo", "vrrp_notify_fifo_script",
                        "vrrp_notify_priority_changes")
                .ignore("jlvs does not compare the addresses in an advert with its own", "vrrp_skip_check_adv_addr")
                .leaf("vrrp_mcast_group6", (s, g) -> {
                    if (!VirtualAddresses.ip(null, s.value()).equals(VirtualAddresses.ip(null, VRRP_GROUP6)))
                        throw new ValueException("jlvs sends and receives IPv6 adverts on " + VRRP_GROUP6
                                + " only; remove it, or use unicast_peer");
                })
                .ignore("jlvs spaces unsolicited neighbour advertisements as gratuitous ARPs (vrrp_garp_interval)",
                        "vrrp_gna_interval")
                .ignore("jlvs has no VMAC interfaces", "vrrp_garp_extra_if", "vrrp_vmac_garp_intvl")
                .ignore("jlvs does not tune netlink or socket buffers", "vrrp_netlink_cmd_rcv_bufs",
                        "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs",
                        "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier")
                .refuse("jlvs starts VRRP at once and cannot delay it; remove it", "vrrp_startup_delay")
                .refuse("jlvs does not check a unicast advert's source against unicast_peer; remove it",
                        "vrrp_check_unicast_src")
                .refuse("jlvs's master answers a lower-priority master with an advert at once (under vrrp_strict at its "
                        + "next interval) and with gratuitous ARPs (garp_master_repeat, at once); remove it", "vrrp_lower_prio_no_advert",
                        "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat")
                .refuse("jlvs's backup stays silent when it hears a lower-priority master; remove it",
                        "vrrp_higher_prio_send_advert");
    }

    VrrpGlobals globals() { return new VrrpGlobals(version, garpIntervalMillis, strict, syncDaemon); }

    Source syncDaemonSource() { return syncDaemonSource; }

    /** Whether lvs_sync_daemon gave its id; without it keepalived takes the followed instance's router id. */
    boolean syncIdGiven() { return syncIdGiven; }

    /** Instance defaults: keepalived's, then vrrp_min_garp's, then the vrrp_garp_master_* given. */
    VrrpInstanceDefaults instanceDefaults() {
        VrrpInstanceDefaults k = VrrpInstanceDefaults.KEEPALIVED;
        return new VrrpInstanceDefaults(
                garpDelay != null ? garpDelay : minGarp ? 0 : k.garpDelaySeconds(),
                garpRepeat != null ? garpRepeat : minGarp ? 1 : k.garpRepeat(),
                garpRefresh != null ? garpRefresh : k.garpRefreshSeconds(),
                garpRefreshRepeat != null ? garpRefreshRepeat : k.garpRefreshRepeat(),
                downTimerAdverts);
    }

    /** Seconds with up to six decimals, as keepalived reads them, rounded up to whole milliseconds. */
    private static int garpIntervalMillis(String text) throws ValueException {
        long micros = Values.seconds(text, true).toNanos() / 1000;
        if (micros > MAX_GARP_INTERVAL_MICROS) throw new ValueException(text + " is out of range 0.000001..4294.967295");
        return (int) ((micros + 999) / 1000);
    }

    /**
     * {@code lvs_sync_daemon IF [INSTANCE | inst INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]}, the
     * instance as keepalived 2.2.7 takes it: the word after the interface, or after {@code inst}.
     */
    private static SyncDaemonConfig syncDaemon(Statement s) throws ValueException {
        if (s.argCount() < 1) throw new ValueException("missing interface");
        String instance = null;
        int id = 0, maxLength = 0, port = 8848, ttl = 1;
        InetAddress group = null;
        for (int i = 1; i < s.argCount(); i++) {
            String word = s.arg(i);
            boolean option = switch (word) {
                case "inst", "id", "maxlen", "port", "ttl", "group" -> true;
                default -> false;
            };
            if (!option) {
                if (i != 1) {
                    throw new ValueException("unexpected '" + word + "'"
                            + (word.matches("\\d+") ? "; write the sync id as 'id " + word + "'" : ""));
                }
                instance = word;
                continue;
            }
            if (i + 1 >= s.argCount()) throw new ValueException(word + " needs a value");
            String value = s.arg(++i);
            switch (word) {
                case "inst" -> {
                    if (instance != null) throw new ValueException("instance given twice");
                    instance = value;
                }
                case "id" -> id = (int) Values.integer(value, 0, 255);
                case "maxlen" -> maxLength = (int) Values.integer(value, 1, 65507);
                case "port" -> port = (int) Values.integer(value, 1, 65535);
                case "ttl" -> ttl = (int) Values.integer(value, 1, 255);
                default -> {
                    IpAddress a = IpAddress.parse(value);
                    if (a.af() != 4) throw new ValueException("group " + value + ": jlvs's sync daemon multicasts over IPv4 only");
                    group = a.inet();
                    if (!group.isMulticastAddress()) throw new ValueException("group " + value + " is not multicast");
                }
            }
        }
        return new SyncDaemonConfig(s.arg(0), instance, id, maxLength, port, ttl, group != null ? group : defaultGroup());
    }

    private static InetAddress defaultGroup() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, (byte) 81});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }
}
