package io.jlvs.failover.vrrp;

/** Whether a tracked interface is usable now, as track_interface means it: up and with a carrier. */
@FunctionalInterface
interface LinkStates {
    boolean up(String interfaceName);
}
