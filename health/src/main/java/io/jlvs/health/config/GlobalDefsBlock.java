package io.jlvs.health.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code global_defs}: router_id, enable_script_security, script_user USER [GROUP], and jlvs's flap damping
 * extension (see {@link FlapPolicy}):
 * <ul>
 *   <li>{@code flap_max_changes N}: state changes within the window that start a hold (0, the default: off)</li>
 *   <li>{@code flap_window SECS}: the window the changes are counted in (default 60)</li>
 *   <li>{@code flap_hold SECS}: how long a flapping server is held down (default 30), doubling per further hold</li>
 *   <li>{@code flap_max_hold SECS}: the longest hold (default 600)</li>
 * </ul>
 * keepalived's other global_defs keywords are accepted and ignored with a warning saying why; VRRP and sync
 * daemon keywords are refused, since ignoring them would leave an operator believing they work.
 */
final class GlobalDefsBlock {
    private String routerId;
    private boolean enableScriptSecurity;
    private String scriptUser;
    private int flapMaxChanges = FlapPolicy.OFF.maxChanges();
    private Duration flapWindow = FlapPolicy.OFF.window();
    private Duration flapHold = FlapPolicy.OFF.hold();
    private Duration flapMaxHold = FlapPolicy.OFF.maxHold();
    private Source flapHoldSource;
    private int vrrpVersion = 2;
    private int garpIntervalMillis;
    private boolean vrrpStrict;
    private SyncDaemonConfig syncDaemon;
    private Source syncDaemonSource;

    static final String VRRP_REFUSAL = "not supported by jlvs; remove it";

    static final KeywordTable<GlobalDefsBlock> KEYWORDS = new KeywordTable<GlobalDefsBlock>("global_defs")
            .leaf("router_id", (s, g) -> g.routerId = s.value())
            .leaf("enable_script_security", (s, g) -> { s.noValue(); g.enableScriptSecurity = true; })
            .leaf("script_user", (s, g) -> { s.requireArgs(1, 2); g.scriptUser = String.join(" ", s.args().stream().map(Word::text).toList()); })
            .leaf("flap_max_changes", (s, g) -> g.flapMaxChanges = (int) Values.integer(s.value(), 0, 1_000_000))
            .leaf("flap_window", (s, g) -> g.flapWindow = Values.seconds(s.value(), true))
            .leaf("flap_hold", (s, g) -> { g.flapHold = Values.seconds(s.value(), true); g.flapHoldSource = s.source(); })
            .leaf("flap_max_hold", (s, g) -> { g.flapMaxHold = Values.seconds(s.value(), true); g.flapHoldSource = s.source(); })
            .ignore("jlvs does not send mail", "notification_email", "notification_email_from", "smtp_server",
                    "smtp_connect_timeout", "smtp_helo_name", "email_faults", "no_email_faults")
            .ignore("jlvs has no SNMP or D-Bus interface", "snmp_socket", "enable_snmp_vrrp", "enable_snmp_keepalived",
                    "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3", "enable_traps",
                    "enable_dbus", "dbus_service_name")
            .ignore("jlvs runs as one process; tune it with systemd", "process_names", "process_name",
                    "checker_process_name", "bfd_process_name", "checker_priority", "checker_no_swap",
                    "checker_rt_priority", "checker_rlimit_rttime", "checker_cpu_affinity", "bfd_priority",
                    "bfd_no_swap", "bfd_rt_priority", "bfd_rlimit_rttime", "bfd_cpu_affinity", "max_auto_priority",
                    "min_auto_priority_delay", "use_pid_dir", "instance", "child_wait_time", "umask",
                    "disable_local_igmp", "rs_init_notifies", "no_checker_emails", "reload_time_file",
                    "reload_repeat", "reload_file", "config_save_dir", "config_copy_directory",
                    "random_seed", "uninitialised_timer", "mem_check", "mem_check_log_all")
            .ignore("jlvs has no notification FIFO", "notify_fifo", "notify_fifo_script", "lvs_notify_fifo",
                    "lvs_notify_fifo_script")
            .ignore("jlvs keeps IPVS timeouts and flushing to jlvsadm", "lvs_timeouts", "lvs_flush",
                    "lvs_flush_on_stop", "lvs_flush_onstop")
            .ignore("jlvs does not change network namespaces", "net_namespace", "net_namespace_ipvs",
                    "namespace_with_ipsets")
            .ignore("jlvs does not run startup or shutdown scripts", "startup_script", "startup_script_timeout",
                    "shutdown_script", "shutdown_script_timeout")
            .ignore("jlvs always resolves names with the system resolver", "local_name_lookup")
            .ignore("jlvs watches interfaces through netlink", "dynamic_interfaces", "linkbeat_use_polling")
            .ignore("set log_all_failures per virtual_server, real_server or checker", "checker_log_all_failures")
            .leaf("vrrp_version", (s, g) -> g.vrrpVersion = (int) Values.integer(s.value(), 2, 3))
            .leaf("vrrp_garp_interval", (s, g) -> g.garpIntervalMillis =
                    (int) Math.min(60_000, Values.seconds(s.value(), false).toMillis()))
            .leaf("vrrp_strict", (s, g) -> { s.noValue(); g.vrrpStrict = true; })
            .leaf("lvs_sync_daemon", (s, g) -> { g.syncDaemon = syncDaemon(s); g.syncDaemonSource = s.source(); })
            .ignore("jlvs runs as one process; tune it with systemd", "vrrp_no_swap", "vrrp_priority",
                    "vrrp_rt_priority", "vrrp_cpu_affinity", "vrrp_rlimit_rttime", "vrrp_process_name")
            .ignore("jlvs owns its VIPs in user space and needs no firewall rules for them", "vrrp_iptables",
                    "vrrp_ipsets", "vrrp_nftables")
            .ignore("jlvs has no notification FIFO", "vrrp_notify_fifo", "vrrp_notify_fifo_script")
            .ignore("jlvs checks every advert it receives", "vrrp_check_unicast_src", "vrrp_skip_check_adv_addr")
            .ignore("jlvs sends gratuitous ARPs per instance (garp_master_*)", "vrrp_garp_master_delay",
                    "vrrp_garp_master_repeat", "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat",
                    "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat", "vrrp_lower_prio_no_advert",
                    "vrrp_gna_interval", "vrrp_min_garp", "vrrp_higher_prio_send_advert")
            .ignore("jlvs does not tune netlink", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
                    "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_rx_bufs_policy",
                    "vrrp_rx_bufs_multiplier")
            .refuseWhen(k -> k.startsWith("vrrp_") ? VRRP_REFUSAL : null);

    /** {@code lvs_sync_daemon IF [INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]}. */
    private static SyncDaemonConfig syncDaemon(Statement s) throws ValueException {
        if (s.argCount() < 1) throw new ValueException("missing interface");
        String instance = null;
        int id = 0, maxLength = 0, port = 8848, ttl = 1;
        java.net.InetAddress group = null;
        for (int i = 1; i < s.argCount(); i++) {
            String word = s.arg(i);
            boolean option = switch (word) {
                case "id", "maxlen", "port", "ttl", "group" -> true;
                default -> false;
            };
            if (!option) {
                if (i != 1) throw new ValueException("unexpected '" + word + "'");
                instance = word;
                continue;
            }
            if (i + 1 >= s.argCount()) throw new ValueException(word + " needs a value");
            String value = s.arg(++i);
            switch (word) {
                case "id" -> id = (int) Values.integer(value, 0, 255);
                case "maxlen" -> maxLength = (int) Values.integer(value, 1, 65507);
                case "port" -> port = (int) Values.integer(value, 1, 65535);
                case "ttl" -> ttl = (int) Values.integer(value, 1, 255);
                default -> {
                    group = VrrpInstanceBlock.ipv4(value);
                    if (!group.isMulticastAddress()) throw new ValueException("group " + value + " is not multicast");
                }
            }
        }
        if (group == null) {
            try {
                group = java.net.InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, 81});
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return new SyncDaemonConfig(s.arg(0), instance, id, maxLength, port, ttl, group);
    }

    static GlobalDefs defaults() {
        return new GlobalDefs(hostName(), false, null, FlapPolicy.OFF);
    }

    static GlobalDefsBlock readBlock(Statement s, Diagnostics diagnostics) throws ValueException {
        s.noValue();
        GlobalDefsBlock g = new GlobalDefsBlock();
        KEYWORDS.apply(s.block(), g, diagnostics);
        return g;
    }

    VrrpGlobals vrrp() { return new VrrpGlobals(vrrpVersion, garpIntervalMillis, vrrpStrict, syncDaemon); }

    Source syncDaemonSource() { return syncDaemonSource; }

    GlobalDefs globalDefs(Diagnostics diagnostics) {
        GlobalDefsBlock g = this;
        if (g.flapHold.compareTo(g.flapMaxHold) > 0)
            diagnostics.error(g.flapHoldSource, "flap_hold: " + seconds(g.flapHold) + " exceeds flap_max_hold "
                    + seconds(g.flapMaxHold));
        return new GlobalDefs(g.routerId != null ? g.routerId : hostName(), g.enableScriptSecurity, g.scriptUser,
                new FlapPolicy(g.flapMaxChanges, g.flapWindow, g.flapHold, g.flapMaxHold));
    }

    private static String seconds(Duration d) {
        return d.toNanos() % 1_000_000_000L == 0 ? d.toSeconds() + " s" : d.toNanos() / 1e9 + " s";
    }

    /** keepalived's default router_id: the host name (read without DNS). */
    static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
