package io.jlvs.health.config;

/**
 * A statement's value is unusable. The message says what is wrong with the value; the keyword table prefixes it
 * with the keyword and records it at the statement's line.
 */
final class ValueException extends Exception {
    ValueException(String message) {
        super(message, null, false, false);
    }
}
