package io.jlvs.health.config;

/**
 * The global_defs that concern VRRP and the connection sync.
 *
 * @param version          vrrp_version 2 or 3 (default 2), the default of every instance
 * @param garpIntervalMillis vrrp_garp_interval: the gap between two gratuitous ARPs of a burst (default 0; keepalived's
 *                         microseconds rounded up to whole milliseconds)
 * @param strict           vrrp_strict: RFC compliance; the parser has refused authentication, unicast_peer and
 *                         instances without addresses, and reset preempt_delay and down_timer_adverts
 * @param syncDaemon       lvs_sync_daemon, or null
 */
public record VrrpGlobals(int version, int garpIntervalMillis, boolean strict, SyncDaemonConfig syncDaemon) {
    public static final VrrpGlobals DEFAULTS = new VrrpGlobals(2, 0, false, null);
}
