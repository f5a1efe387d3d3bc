package io.jlvs.connections;

/**
 * Callbacks through which the table reports per-real-server counter changes (the schedulers' ActiveConn and
 * InActConn). Called on the thread that caused the change (forwarding worker, housekeeping or control thread),
 * outside the table's locks; implementations must be thread-safe, quick and allocation-free.
 */
public interface ConnectionEvents {
    /** A connection of {@code destId} was created, changed between active and inactive, or left the table. */
    void countsChanged(int destId, int activeDelta, int inactiveDelta);

    /** A connection left the table (timed out, or removed with its real server). */
    default void expired(int serviceId, int destId) {}

    /** Events sink that ignores everything (tests, tools). */
    ConnectionEvents NONE = (destId, activeDelta, inactiveDelta) -> {};
}
