package io.jlvs.health.config;

import java.util.List;

/**
 * A keepalived.conf as jlvs uses it: the balancer's part, with every inherited value resolved (virtual_server
 * to real_server to checker) and keepalived's defaults filled in, and the VRRP part. warnings are the statements
 * accepted and ignored, each with its line.
 */
public record KeepalivedConfig(GlobalDefs global, List<VirtualServer> virtualServers, List<ConfigMessage> warnings,
                               VrrpGlobals vrrp, List<VrrpInstanceConfig> vrrpInstances,
                               List<VrrpScriptConfig> vrrpScripts, List<VrrpSyncGroupConfig> vrrpSyncGroups) {
    public KeepalivedConfig {
        virtualServers = List.copyOf(virtualServers);
        warnings = List.copyOf(warnings);
        vrrpInstances = List.copyOf(vrrpInstances);
        vrrpScripts = List.copyOf(vrrpScripts);
        vrrpSyncGroups = List.copyOf(vrrpSyncGroups);
    }

    /** A configuration without VRRP. */
    public KeepalivedConfig(GlobalDefs global, List<VirtualServer> virtualServers, List<ConfigMessage> warnings) {
        this(global, virtualServers, warnings, VrrpGlobals.DEFAULTS, List.of(), List.of(), List.of());
    }
}
