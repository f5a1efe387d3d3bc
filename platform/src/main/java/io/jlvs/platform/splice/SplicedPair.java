package io.jlvs.platform.splice;

import java.util.concurrent.CompletableFuture;

/**
 * Two connected TCP sockets joined by a {@link Splicer}, which owns both descriptors from then on and closes each
 * exactly once. The pair ends when both sides have closed (each FIN passed on after the data before it), when
 * either side is reset (the other is reset too), on {@link #abort()}, or when the splicer closes.
 */
public final class SplicedPair {
    private final int first;
    private final int second;
    private final SpliceLoop loop;
    private final CompletableFuture<SpliceEnd> end = new CompletableFuture<>();
    /** first → second, second → first; set once by the splicer before the pair is published. */
    Direction forward, backward;
    /** The slot in the loop's table, -1 until registered; loop thread only. */
    int slot = -1;
    /** Torn down; loop thread only. */
    boolean finished;

    SplicedPair(int first, int second, SpliceLoop loop) {
        this.first = first;
        this.second = second;
        this.loop = loop;
    }

    public int first() {
        return first;
    }

    public int second() {
        return second;
    }

    /**
     * Completes when the pair has ended and both descriptors are closed. Dependent actions registered without an
     * executor run on the splicer's thread, which serves every pair: keep them short, or use the async variants.
     */
    public CompletableFuture<SpliceEnd> end() {
        return end;
    }

    /** Resets both sockets and ends the pair (SpliceEnd.Reason.ABORTED); nothing if it has already ended. */
    public void abort() {
        loop.abort(this);
    }

    /** The direction reading from {@code side} (0 the first socket, 1 the second). */
    Direction from(int side) {
        return side == 0 ? forward : backward;
    }

    /** The direction writing to {@code side}. */
    Direction to(int side) {
        return side == 0 ? backward : forward;
    }

    void complete(SpliceEnd.Reason reason) {
        end.complete(new SpliceEnd(reason, forward.bytes, backward.bytes));
    }

    @Override
    public String toString() {
        return "spliced pair (fd " + first + ", fd " + second + ")";
    }
}
