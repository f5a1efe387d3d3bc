package io.jlvs.health.config;

import java.util.ArrayList;
import java.util.List;

/** {@code vrrp_sync_group NAME { group { I1 I2 ... } notify_* }}. */
final class VrrpSyncGroupBlock {
    private final List<String> instances = new ArrayList<>();
    private final List<Source> instanceSources = new ArrayList<>();
    private Script master, backup, fault, stop, any;

    private static final KeywordTable<VrrpSyncGroupBlock> KEYWORDS = new KeywordTable<VrrpSyncGroupBlock>("vrrp_sync_group")
            .block("group", (s, b) -> {
                s.noValue();
                for (Statement member : s.block()) {
                    member.requireArgs(0, 0);
                    b.instances.add(member.name());
                    b.instanceSources.add(member.source());
                }
            })
            .leaf("notify_master", (s, b) -> b.master = Scripts.of(s, null))
            .leaf("notify_backup", (s, b) -> b.backup = Scripts.of(s, null))
            .leaf("notify_fault", (s, b) -> b.fault = Scripts.of(s, null))
            .leaf("notify_stop", (s, b) -> b.stop = Scripts.of(s, null))
            .leaf("notify", (s, b) -> b.any = Scripts.of(s, null))
            .ignore("jlvs does not send mail", "smtp_alert")
            .ignore("jlvs moves a group's instances together in every state", "global_tracking", "sync_group_tracking_weight");

    record Read(VrrpSyncGroupConfig group, List<Source> memberSources) {}

    static Read read(Statement s, Diagnostics diagnostics) throws ValueException {
        VrrpSyncGroupBlock b = new VrrpSyncGroupBlock();
        KEYWORDS.apply(s.block(), b, diagnostics);
        String name = s.value();
        if (b.instances.isEmpty()) diagnostics.error(s.source(), "vrrp_sync_group " + name + ": no group { } of instances");
        return new Read(new VrrpSyncGroupConfig(name, s.source(), b.instances,
                new VrrpNotify(b.master, b.backup, b.fault, b.stop, b.any)), b.instanceSources);
    }
}
