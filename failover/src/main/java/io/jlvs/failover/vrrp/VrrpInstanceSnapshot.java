package io.jlvs.failover.vrrp;

/** One instance as `jlvs status` shows it (see the control model's VrrpStatus for the fields). */
public record VrrpInstanceSnapshot(String instance, String group, String interfaceName, int virtualRouterId,
                                   int version, VrrpState state, int priority, int effectivePriority, String master,
                                   String reason, long sinceMillis, long advertsSent, long advertsReceived,
                                   long advertsDropped, String addresses) {}
