package io.jlvs.health.config;

import java.util.function.Function;

/** The notify_master, notify_backup, notify_fault, notify_stop and notify keywords of a VRRP instance or group. */
final class NotifyScripts {
    private Script master, backup, fault, stop, any;

    /** Adds the five keywords to a block's table; {@code of} finds the block's scripts in its builder. */
    static <C> KeywordTable<C> keywords(KeywordTable<C> table, Function<C, NotifyScripts> of) {
        return table
                .leaf("notify_master", (s, b) -> of.apply(b).master = Scripts.of(s, null))
                .leaf("notify_backup", (s, b) -> of.apply(b).backup = Scripts.of(s, null))
                .leaf("notify_fault", (s, b) -> of.apply(b).fault = Scripts.of(s, null))
                .leaf("notify_stop", (s, b) -> of.apply(b).stop = Scripts.of(s, null))
                .leaf("notify", (s, b) -> of.apply(b).any = Scripts.of(s, null));
    }

    VrrpNotify build() { return new VrrpNotify(master, backup, fault, stop, any); }
}
