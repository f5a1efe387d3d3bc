package io.jlvs.platform.splice;

import java.io.IOException;

/**
 * Joins pairs of connected TCP sockets so that what one receives the other sends, until both have closed: the
 * engine behind a layer-7 proxy once it has read and forwarded the request head. Opened by {@link Splicers}; one
 * thread per splicer serves all its pairs. Thread-safe.
 */
public interface Splicer extends AutoCloseable {
    SpliceMode mode();

    /**
     * Splices two connected TCP sockets, for example {@code EpollSocketChannel.fd().intValue()} of a client and a
     * server channel taken out of their event loop. From the return on, the splicer owns both descriptors and
     * closes them; the caller must not read, write or close them. Bytes the caller already read stay the caller's
     * business: send them on before splicing.
     *
     * @throws IOException when the pair cannot be spliced (splicer full, the kernel refused a socket); the
     *                     descriptors are then still the caller's, open, their streams intact (SOCKMAP may have
     *                     moved bytes that waited unread on one socket to the other already)
     * @throws IllegalStateException after {@link #close()}
     */
    default SplicedPair splice(int first, int second) throws IOException {
        return splice(first, second, false);
    }

    /**
     * As {@link #splice(int, int)}, where {@code secondNeverRead} says that nobody has read from {@code second} yet
     * (a server connection that was only written to): whatever waits in its receive queue is made of whole
     * segments, so SOCKMAP hands that direction to the kernel at once instead of relaying it first, which under a
     * stream that never pauses would be for good.
     */
    SplicedPair splice(int first, int second, boolean secondNeverRead) throws IOException;

    /** Pairs spliced and not yet ended. */
    int activePairs();

    /** Entries in the kernel's maps for the spliced pairs: the sockhash entries of SOCKMAP, 0 for the other modes. */
    default int kernelEntries() {
        return 0;
    }

    /** The most pairs spliced at once. */
    int capacity();

    /** Resets and closes every pair (SpliceEnd.Reason.SPLICER_CLOSED), stops the thread, releases kernel objects. */
    @Override
    void close();
}
