package io.jlvs.health.config;

/**
 * notify_master, notify_backup, notify_fault, notify_stop and notify of an instance or a sync group; each null
 * when not given. The state scripts run with no argument added; notify runs with keepalived's four:
 * "INSTANCE"|"GROUP", the name, the state, the priority.
 */
public record VrrpNotify(Script master, Script backup, Script fault, Script stop, Script any) {
    public static final VrrpNotify NONE = new VrrpNotify(null, null, null, null, null);
}
