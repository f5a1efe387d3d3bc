package io.jlvs.health.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks across VRRP blocks once the whole file is read: names, router ids, addresses, groups. */
final class VrrpResolver {
    private VrrpResolver() {}

    static List<VrrpInstanceConfig> instances(List<VrrpInstanceBlock> blocks, VrrpGlobals globals,
                                              VrrpInstanceDefaults defaults, List<VrrpScriptConfig> scripts,
                                              Diagnostics diagnostics) {
        Set<String> scriptNames = new HashSet<>();
        for (VrrpScriptConfig s : scripts) {
            if (!scriptNames.add(s.name())) diagnostics.error(s.source(), "vrrp_script " + s.name() + ": defined twice");
        }
        Map<String, Source> names = new HashMap<>();
        Map<String, Source> routerIds = new HashMap<>();
        Map<InetAddress, String> owners = new HashMap<>();
        List<VrrpInstanceConfig> out = new ArrayList<>();
        for (VrrpInstanceBlock b : blocks) {
            Source earlier = names.putIfAbsent(b.name(), b.source());
            if (earlier != null) {
                diagnostics.error(b.source(), "vrrp_instance " + b.name() + ": already defined at "
                        + Diagnostics.where(earlier, b.source()));
            }
            if (b.interfaceName() != null && b.virtualRouterId() != 0) {
                Source other = routerIds.putIfAbsent(b.interfaceName() + "/" + b.virtualRouterId(), b.source());
                if (other != null) {
                    diagnostics.error(b.source(), "vrrp_instance " + b.name() + ": virtual_router_id "
                            + b.virtualRouterId() + " on " + b.interfaceName() + " is already used at "
                            + Diagnostics.where(other, b.source()));
                }
            }
            for (VrrpInstanceConfig.VirtualAddress a : b.allAddresses()) {
                String owner = owners.putIfAbsent(a.address(), b.name());
                if (owner != null) {
                    diagnostics.error(b.source(), "vrrp_instance " + b.name() + ": virtual address "
                            + IpAddress.format(a.address()) + " is already in "
                            + (owner.equals(b.name()) ? "this instance" : "vrrp_instance " + owner));
                }
            }
            VrrpInstanceConfig resolved = b.resolve(globals, defaults, scriptNames, diagnostics);
            if (resolved != null) out.add(resolved);
        }
        return out;
    }

    static List<VrrpSyncGroupConfig> groups(List<VrrpSyncGroupBlock.Read> groups, List<VrrpInstanceBlock> blocks,
                                            Diagnostics diagnostics) {
        Set<String> known = new HashSet<>();
        for (VrrpInstanceBlock b : blocks) known.add(b.name());
        Map<String, String> memberOf = new HashMap<>();
        Map<String, Source> names = new HashMap<>();
        List<VrrpSyncGroupConfig> out = new ArrayList<>();
        for (VrrpSyncGroupBlock.Read read : groups) {
            VrrpSyncGroupConfig g = read.group();
            Source earlier = names.putIfAbsent(g.name(), g.source());
            if (earlier != null) {
                diagnostics.error(g.source(), "vrrp_sync_group " + g.name() + ": already defined at "
                        + Diagnostics.where(earlier, g.source()));
            }
            for (int i = 0; i < g.instances().size(); i++) {
                String instance = g.instances().get(i);
                Source where = read.memberSources().get(i);
                if (!known.contains(instance)) {
                    diagnostics.error(where, "vrrp_sync_group " + g.name() + ": no vrrp_instance " + instance);
                } else {
                    String other = memberOf.putIfAbsent(instance, g.name());
                    if (other != null) {
                        diagnostics.error(where, "vrrp_sync_group " + g.name() + ": " + instance
                                + " is already in vrrp_sync_group " + other);
                    }
                }
            }
            out.add(g);
        }
        return out;
    }

    /**
     * globals with lvs_sync_daemon's instance checked and, when it gave no id, the sync id keepalived uses: the
     * followed instance's virtual_router_id (0 when it follows none).
     */
    static VrrpGlobals syncDaemon(VrrpGlobals globals, VrrpGlobalDefs defs, List<VrrpInstanceBlock> blocks,
                                  Diagnostics diagnostics) {
        SyncDaemonConfig sync = globals.syncDaemon();
        if (sync == null || sync.instance() == null) return globals;
        for (VrrpInstanceBlock b : blocks) {
            if (!b.name().equals(sync.instance())) continue;
            if (defs.syncIdGiven()) return globals;
            return new VrrpGlobals(globals.version(), globals.garpIntervalMillis(), globals.strict(),
                    new SyncDaemonConfig(sync.interfaceName(), sync.instance(), b.virtualRouterId(), sync.maxLength(),
                            sync.port(), sync.ttl(), sync.group()));
        }
        diagnostics.error(defs.syncDaemonSource(), "lvs_sync_daemon: no vrrp_instance " + sync.instance());
        return globals;
    }
}
