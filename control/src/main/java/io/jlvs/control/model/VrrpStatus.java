package io.jlvs.control.model;

/**
 * One VRRP instance as `jlvs status` shows it.
 *
 * @param instance          the vrrp_instance name
 * @param group             its vrrp_sync_group, or "" when it has none
 * @param interfaceName     the interface it advertises on
 * @param virtualRouterId   1..255
 * @param version           2 or 3
 * @param state             INIT, BACKUP, MASTER, FAULT or STOPPED
 * @param priority          the configured priority
 * @param effectivePriority the priority advertised now (tracking weights applied)
 * @param master            the current master's address as last heard ("" when unknown; this director's own when
 *                          it is the master)
 * @param reason            why the last transition happened
 * @param sinceMillis       when it happened (epoch millis; 0: never)
 * @param advertsSent       adverts sent
 * @param advertsReceived   valid adverts received
 * @param advertsDropped    adverts received and dropped as invalid
 * @param addresses         the virtual addresses, space separated
 */
public record VrrpStatus(String instance, String group, String interfaceName, int virtualRouterId, int version,
                         String state, int priority, int effectivePriority, String master, String reason,
                         long sinceMillis, long advertsSent, long advertsReceived, long advertsDropped,
                         String addresses) {}
