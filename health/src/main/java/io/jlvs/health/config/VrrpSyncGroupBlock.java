package io.jlvs.health.config;

import java.util.ArrayList;
import java.util.List;

/** {@code vrrp_sync_group NAME { group { I1 I2 ... } notify_* }}. */
final class VrrpSyncGroupBlock {
    private final List<String> instances = new ArrayList<>();
    private final List<Source> instanceSources = new ArrayList<>();
    private final NotifyScripts notifyScripts = new NotifyScripts();

    private static final KeywordTable<VrrpSyncGroupBlock> KEYWORDS = NotifyScripts.keywords(
            new KeywordTable<VrrpSyncGroupBlock>("vrrp_sync_group"), b -> b.notifyScripts)
            .block("group", (s, b) -> {
                s.noValue();
                for (Statement member : s.block()) {
                    member.requireArgs(0, 0);
                    b.instances.add(member.name());
                    b.instanceSources.add(member.source());
                }
            })
            .ignore("jlvs does not send mail", "smtp_alert")
            .ignore("jlvs moves a group's instances together in every state", "global_tracking", "sync_group_tracking_weight")
            .refuse("not supported by jlvs yet; track in each vrrp_instance of the group", "track_interface",
                    "track_script", "track_file", "track_process", "track_bfd")
            .refuse("not supported by jlvs yet", "notify_priority_changes");

    record Read(VrrpSyncGroupConfig group, List<Source> memberSources) {}

    static Read read(Statement s, Diagnostics diagnostics) throws ValueException {
        VrrpSyncGroupBlock b = new VrrpSyncGroupBlock();
        KEYWORDS.apply(s.block(), b, diagnostics);
        String name = s.value();
        if (b.instances.isEmpty()) diagnostics.error(s.source(), "vrrp_sync_group " + name + ": no group { } of instances");
        return new Read(new VrrpSyncGroupConfig(name, s.source(), b.instances,
                b.notifyScripts.build()), b.instanceSources);
    }
}
