package io.jlvs.platform.splice;

/**
 * How a spliced pair ended, once both descriptors are closed.
 *
 * @param firstToSecond bytes delivered from the first socket to the second after splicing began (for SOCKMAP, as
 *                      the second socket's send counters saw them)
 * @param secondToFirst the same the other way
 */
public record SpliceEnd(Reason reason, long firstToSecond, long secondToFirst) {
    public enum Reason {
        /** Both sides sent FIN and each was passed on, after all data before it. */
        CLOSED,
        /** The first socket failed (its peer reset it); the second was reset in turn. */
        RESET_BY_FIRST,
        /** The second socket failed; the first was reset in turn. */
        RESET_BY_SECOND,
        /** {@link SplicedPair#abort()}: both sockets reset. */
        ABORTED,
        /** The splicer closed: both sockets reset. */
        SPLICER_CLOSED,
        /**
         * A side's peer was written more bytes than that side received (the kernel's sockmap redirect sent some
         * twice): both sockets reset, so neither peer takes the corrupt stream for a whole one.
         */
        DUPLICATE_DATA
    }
}
