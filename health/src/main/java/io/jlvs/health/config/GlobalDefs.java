package io.jlvs.health.config;

/**
 * The global_defs that concern the balancer.
 *
 * @param routerId             router_id (default: the host name)
 * @param enableScriptSecurity scripts refused when they or their directories are writable by non-root
 * @param scriptUser           user (and optional group as "user group") scripts run as; null = root
 * @param flap                 flap damping of every virtual server (jlvs's extension)
 */
public record GlobalDefs(String routerId, boolean enableScriptSecurity, String scriptUser, FlapPolicy flap) {
}
