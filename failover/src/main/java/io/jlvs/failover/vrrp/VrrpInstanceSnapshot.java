package io.jlvs.failover.vrrp;

import java.util.Map;

/**
 * One instance as `jlvs status` shows it (see the control model's VrrpStatus for the fields).
 *
 * @param master      the master's address as last heard (this director's own while MASTER), "" when unknown
 * @param reason      why the instance entered its state, e.g. "master 10.0.0.2 silent for the master down interval"
 * @param sinceMillis when it entered its state (wall clock)
 * @param drops       packets of this router id dropped, by reason (reasons never seen are absent); immutable
 */
public record VrrpInstanceSnapshot(String instance, String group, String interfaceName, int virtualRouterId,
                                   int version, VrrpState state, int priority, int effectivePriority, String master,
                                   String reason, long sinceMillis, long advertsSent, long advertsReceived,
                                   long advertsDropped, String addresses, Map<AdvertRejection, Long> drops) {
    public VrrpInstanceSnapshot {
        drops = Map.copyOf(drops);
    }
}
