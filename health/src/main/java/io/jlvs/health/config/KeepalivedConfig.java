package io.jlvs.health.config;

import java.util.List;

/**
 * A keepalived.conf as jlvs uses it: the balancer's part, with every inherited value resolved (virtual_server
 * to real_server to checker) and keepalived's defaults filled in. warnings are the statements accepted and
 * ignored, each with its line.
 */
public record KeepalivedConfig(GlobalDefs global, List<VirtualServer> virtualServers, List<ConfigMessage> warnings) {
    public KeepalivedConfig {
        virtualServers = List.copyOf(virtualServers);
        warnings = List.copyOf(warnings);
    }
}
