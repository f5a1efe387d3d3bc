package io.jlvs.platform.splice;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** A {@link Splicer} made of one {@link SpliceLoop} and the {@link DirectionMover} of its mode. */
final class LoopSplicer implements Splicer {
    private final SpliceMode mode;
    private final DirectionMover mover;
    private final SpliceLoop loop;
    private final int capacity;
    /** Pairs handed to the loop and not yet ended: counted here, before the loop sees them, to bound the slots. */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Splices hold the read side, so they run at once; close takes the write side once no splice is half done. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    LoopSplicer(SpliceMode mode, DirectionMover mover, int capacity) throws IOException {
        this.mode = mode;
        this.mover = mover;
        this.capacity = capacity;
        this.loop = new SpliceLoop("jlvs-splice-" + mode.optionValue(), mover, capacity);
        loop.start();
    }

    @Override
    public SpliceMode mode() {
        return mode;
    }

    @Override
    public SplicedPair splice(int first, int second, boolean secondNeverRead) throws IOException {
        if (first < 0 || second < 0 || first == second) {
            throw new IllegalArgumentException("two distinct descriptors needed, got " + first + " and " + second);
        }
        if (reserved.incrementAndGet() > capacity) {
            reserved.decrementAndGet();
            throw new IOException(mode.optionValue() + " splicer full: " + capacity + " pairs");
        }
        boolean handedOver = false;
        try {
            SplicedPair pair = new SplicedPair(first, second, loop);
            pair.forward = mover.newDirection(pair, first, second, 0);
            pair.backward = mover.newDirection(pair, second, first, 1);
            pair.backward.sourceNeverRead = secondNeverRead;
            lifecycle.readLock().lock();
            try {
                if (closed) throw new IllegalStateException(mode.optionValue() + " splicer closed");
                mover.attach(pair);
                pair.end().whenComplete((end, failure) -> reserved.decrementAndGet());
                loop.add(pair);
                handedOver = true;
            } finally {
                lifecycle.readLock().unlock();
            }
            return pair;
        } finally {
            if (!handedOver) reserved.decrementAndGet();
        }
    }

    @Override
    public int activePairs() {
        return loop.active();
    }

    @Override
    public int kernelEntries() {
        return mover instanceof SockmapMover sockmap ? sockmap.kernelEntries() : 0;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** The mode's mover, for tests that look at kernel state (SOCKMAP's map entries). */
    DirectionMover mover() {
        return mover;
    }

    /** Stops the loop, which ends every pair and then closes the mover (from its own thread, after the last use). */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        loop.stop();
    }

    @Override
    public String toString() {
        return mode.optionValue() + " splicer (" + activePairs() + " of " + capacity + " pairs)";
    }
}
