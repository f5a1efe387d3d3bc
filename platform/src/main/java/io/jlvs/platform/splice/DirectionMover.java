package io.jlvs.platform.splice;

import java.io.IOException;

/**
 * One splice mode's way of moving a direction's data. The loop calls {@link #move} when the direction's sockets
 * have events, and again while it answers {@link #MORE} or, after the delay the loop chooses, {@link #LATER}.
 * Everything but {@link #attach} runs on the loop's thread.
 */
abstract class DirectionMover implements AutoCloseable {
    /** Nothing more to do until an event on the source or the sink. */
    static final int BLOCKED = 0;
    /** Moved its budget without blocking: move again in the loop's next round (fairness among pairs). */
    static final int MORE = 1;
    /** The source ended and everything before the end reached the sink: shut the sink for writing. */
    static final int ENDED = 2;
    /** Reading the source failed (reset): reset the pair. */
    static final int SOURCE_FAILED = 3;
    /** Writing the sink failed (reset, or gone): reset the pair. */
    static final int SINK_FAILED = 4;
    /** Waiting for something no event announces: ask again a little later. */
    static final int LATER = 5;
    /**
     * The sink was written more bytes than the source received: the kernel sent some twice. The stream is
     * corrupt, so the pair is reset rather than closed.
     */
    static final int DUPLICATED = 6;

    /** The epoll events to register for each socket (edge-triggered). */
    abstract int eventMask();

    abstract Direction newDirection(SplicedPair pair, int source, int sink, int sourceSide);

    /**
     * Prepares the pair's sockets; runs on the caller's thread of {@link Splicer#splice}, possibly on several
     * threads at once. On failure nothing of the pair is left in the kernel and the descriptors are open, their
     * streams intact.
     */
    abstract void attach(SplicedPair pair) throws IOException;

    /**
     * Moves what can be moved now. {@code sourceEvents} are the epoll events of the source socket that caused the
     * call, or 0 (an event on the sink, or a call from the loop's queues).
     */
    abstract int move(Direction direction, int sourceEvents);

    /** Releases what the pair holds (buffers, pipes, map entries) before its descriptors close. */
    abstract void detach(SplicedPair pair);

    @Override
    public abstract void close();
}
