package io.jlvs.forwarder;

/** What {@link IpvsRuntime#importConnection} did with one connection; each is counted ({@link ImportCounters}). */
public enum ImportResult {
    /** A new connection (or persistence template) was made. */
    CREATED,
    /**
     * A connection with the same inbound key existed: its state and deadline were set; or it was bound to another
     * real server and an active description replaced it.
     */
    UPDATED,
    /** Inactive, and the inbound key is bound to another real server here: a replaced connection's end, ignored. */
    STALE,
    /** No running service has its protocol, virtual address and port (or its fwmark). */
    NO_SERVICE,
    /** The service has no real server with its address (and port). */
    NO_SERVER,
    /** The connection table is full. */
    TABLE_FULL,
    /** The description is impossible: protocol other than TCP/UDP, state out of range, timeout below 1 s. */
    INVALID
}
