package io.jlvs.health.config;

/**
 * A statement's value is unusable. The message says what is wrong with the value; the keyword table prefixes it
 * with the keyword and records it at the statement's line, or at {@link #at()} when the fault is on a line of the
 * statement's block (an address of virtual_ipaddress, a member of a group).
 */
final class ValueException extends Exception {
    private final Source at;

    ValueException(String message) {
        this(null, message);
    }

    /** A fault on the block line at, reported there rather than at the block's keyword. */
    ValueException(Source at, String message) {
        super(message, null, false, false);
        this.at = at;
    }

    /** The line the fault is on, or null for the statement's own line. */
    Source at() { return at; }
}
