package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;

/**
 * One scheduling algorithm, in the spirit of the kernel's {@code struct ip_vs_scheduler}.
 *
 * <p>{@link #schedule} picks the real server for a new connection, or returns null when none is available (the
 * kernel's "no destination available"). It is called by many forwarding threads at once and must not allocate.
 *
 * <p>{@link #withServers} is the kernel's init_service/add_dest/del_dest/upd_dest in one: the control plane calls
 * it on the current instance whenever the server list or a weight changes and publishes the result together with
 * the new {@link ServerSet}. Schedulers with tables (dh, sh, mh, wrr) return a new immutable instance bound to that
 * set, carrying over what the kernel carries over (rr position, wrr current weight, lblc caches); stateless ones
 * return themselves. The instance returned is then called with that same set.
 */
public interface Scheduler {
    /** The ipvsadm name: rr, wrr, lc ... */
    String name();

    Destination schedule(ServerSet servers, FlowDescription flow);

    default Scheduler withServers(ServerSet servers) { return this; }

    /** The scheduler flags in effect (sh-fallback ...), as ipvsadm lists them; empty when none apply. */
    default String flagsText() { return ""; }

    /** Periodic housekeeping (lblc/lblcr cache expiry); returns entries removed. */
    default int expire(long nowNanos) { return 0; }
}
