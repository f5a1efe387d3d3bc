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
 * The VRRP and sync daemon keywords are {@link VrrpGlobalDefs}'. keepalived's other global_defs keywords are
 * accepted and ignored with a warning saying why; a vrrp_ keyword jlvs does not know is refused, since ignoring it
 * would leave an operator believing it works.
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
    private final VrrpGlobalDefs vrrp = new VrrpGlobalDefs();

    static final String VRRP_REFUSAL = "not supported by jlvs; remove it";

    static final KeywordTable<GlobalDefsBlock> KEYWORDS = VrrpGlobalDefs.keywords(
            new KeywordTable<GlobalDefsBlock>("global_defs"), g -> g.vrrp)
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
            .refuseWhen(k -> k.startsWith("vrrp_") ? VRRP_REFUSAL : null);

    static GlobalDefs defaults() {
        return new GlobalDefs(hostName(), false, null, FlapPolicy.OFF);
    }

    static GlobalDefsBlock readBlock(Statement s, Diagnostics diagnostics) throws ValueException {
        s.noValue();
        GlobalDefsBlock g = new GlobalDefsBlock();
        KEYWORDS.apply(s.block(), g, diagnostics);
        return g;
    }

    /** The VRRP and sync daemon part ({@link VrrpGlobalDefs}). */
    VrrpGlobalDefs vrrp() { return vrrp; }

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
