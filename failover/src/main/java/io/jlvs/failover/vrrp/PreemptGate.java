package io.jlvs.failover.vrrp;

/**
 * Whether a backup that outranks the current master may take over now. The connection sync closes it until the
 * backup holds the master's whole table, so that preempting does not break the connections opened meanwhile.
 */
@FunctionalInterface
public interface PreemptGate {
    boolean ready();

    PreemptGate OPEN = () -> true;
}
