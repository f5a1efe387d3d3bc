package io.jlvs.control.model;

/** The health of a real server as the health checks see it. */
public enum ServerState {
    /** Every checker passes (or the server has none). */
    UP,
    /** A checker failed retry+1 times in a row, or alpha and not yet checked successfully. */
    DOWN,
    /** Changed state too often: held down by flap damping until the hold ends. */
    HELD,
    /** Forced down by the operator (a file named IP:PORT in the maintenance directory). */
    MAINTENANCE,
    /** Not checked: a server jlvsadm created, outside any virtual_server of the configuration. */
    UNCHECKED
}
