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

    /**
     * What the file defines, for a summary line: "2 virtual server(s), 6 real server(s)", followed, when there is
     * VRRP, by its instances, sync groups, scripts and the connection sync daemon.
     */
    public String summary() {
        int reals = virtualServers.stream().mapToInt(v -> v.realServers().size()).sum();
        StringBuilder s = new StringBuilder(virtualServers.size() + " virtual server(s), " + reals + " real server(s)");
        if (!vrrpInstances.isEmpty()) {
            s.append(", ").append(vrrpInstances.size()).append(" VRRP instance(s)");
            if (!vrrpSyncGroups.isEmpty()) s.append(", ").append(vrrpSyncGroups.size()).append(" sync group(s)");
            if (!vrrpScripts.isEmpty()) s.append(", ").append(vrrpScripts.size()).append(" VRRP script(s)");
            if (vrrp.syncDaemon() != null) s.append(", connection sync following ").append(vrrp.syncDaemon().instance());
        }
        return s.toString();
    }

    /** A configuration without VRRP. */
    public KeepalivedConfig(GlobalDefs global, List<VirtualServer> virtualServers, List<ConfigMessage> warnings) {
        this(global, virtualServers, warnings, VrrpGlobals.DEFAULTS, List.of(), List.of(), List.of());
    }
}
