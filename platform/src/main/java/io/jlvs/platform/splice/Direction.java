package io.jlvs.platform.splice;

/**
 * One way of a spliced pair: from the source socket to the sink socket. Owned by the splice loop's thread after
 * registration; each mode keeps its own state in a subclass.
 */
class Direction {
    final SplicedPair pair;
    final int source;
    final int sink;
    /** The side (0 first, 1 second) of the source socket, for the end's reason. */
    final int sourceSide;
    /** Nobody has read from the source before the splice: its receive queue holds whole segments only. */
    boolean sourceNeverRead;
    /** Bytes delivered to the sink so far. */
    long bytes;
    /** The source has reached end of stream (FIN). */
    boolean sourceEnded;
    /** The end of stream was passed on: the sink was shut for writing. */
    boolean finished;
    /** In the loop's queue of directions to move again without waiting for an event. */
    boolean queued;
    /** In the loop's list of directions to look at again later (SOCKMAP's wait for the kernel to drain). */
    boolean waiting;
    long retryAtNanos;
    int retryDelayMillis;

    Direction(SplicedPair pair, int source, int sink, int sourceSide) {
        this.pair = pair;
        this.source = source;
        this.sink = sink;
        this.sourceSide = sourceSide;
    }
}
