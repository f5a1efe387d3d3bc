package io.jlvs.health.config;

import java.util.List;

/** A vrrp_sync_group: instances that change state together (one in FAULT takes them all to FAULT). */
public record VrrpSyncGroupConfig(String name, Source source, List<String> instances, VrrpNotify notifyScripts) {
    public VrrpSyncGroupConfig {
        instances = List.copyOf(instances);
    }
}
