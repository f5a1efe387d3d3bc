package io.jlvs.health.config;

/**
 * What a vrrp_instance takes when it does not set garp_master_delay, garp_master_repeat, garp_master_refresh,
 * garp_master_refresh_repeat or down_timer_adverts: keepalived's defaults, or global_defs' vrrp_garp_master_*,
 * vrrp_min_garp and vrrp_down_timer_adverts.
 */
record VrrpInstanceDefaults(int garpDelaySeconds, int garpRepeat, int garpRefreshSeconds, int garpRefreshRepeat,
                            int downTimerAdverts) {
    static final VrrpInstanceDefaults KEEPALIVED = new VrrpInstanceDefaults(5, 5, 0, 1, 3);
}
