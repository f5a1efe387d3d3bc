package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Epoll;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one thread that serves all pairs of a splicer: an edge-triggered epoll set over every spliced socket, a
 * {@link DirectionMover} that moves each direction's data, and the pairs' ends (FIN passed on after the data
 * before it, reset passed on, descriptors closed once). Other threads hand it new pairs and aborts through queues
 * and an eventfd. A round allocates nothing: events land in native memory owned by the loop, and the queues of
 * directions reuse their arrays.
 *
 * <p>An event's data word is the pair's slot times two plus the side (0 first, 1 second) of the socket.
 */
final class SpliceLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SpliceLoop.class);
    private static final long WAKE = -1L;
    private static final int MAX_EVENTS = 256;
    private static final int FIRST_RETRY_MILLIS = 1, LAST_RETRY_MILLIS = 32;
    /** The eventfd increment; in automatic memory, as wake-ups may come from any thread at any time. */
    private static final MemorySegment ONE = Arena.ofAuto().allocateFrom(JAVA_LONG, 1L);

    private final DirectionMover mover;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = Libc.newCapture(arena);
    private final MemorySegment events = arena.allocate((long) Epoll.EVENT_SIZE * MAX_EVENTS, 8);
    private final MemorySegment ctlEvent = arena.allocate(Epoll.EVENT_SIZE, 8);
    private final MemorySegment wakeValue = arena.allocate(JAVA_LONG);
    private final MemorySegment linger = arena.allocate(JAVA_INT, 2);   // struct linger {l_onoff 1, l_linger 0}
    private final int epoll;
    private final int wake;
    private final SplicedPair[] slots;
    private final int[] freeSlots;
    private int freeCount;
    private final ConcurrentLinkedQueue<SplicedPair> added = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<SplicedPair> aborted = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Direction> ready = new ArrayDeque<>();
    private final ArrayList<Direction> waiting = new ArrayList<>();
    private final Thread thread;
    private final Object wakeLock = new Object();
    private boolean wakeClosed;
    private volatile boolean stopping;
    private volatile int active;

    SpliceLoop(String name, DirectionMover mover, int capacity) throws IOException {
        this.mover = mover;
        this.slots = new SplicedPair[capacity];
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) freeSlots[i] = capacity - 1 - i;
        freeCount = capacity;
        linger.setAtIndex(JAVA_INT, 0, 1);
        linger.setAtIndex(JAVA_INT, 1, 0);
        epoll = Epoll.create();
        try {
            wake = Libc.eventfd();
        } catch (IOException e) {
            Libc.close(epoll);
            throw e;
        }
        int rc = Epoll.ctl(epoll, Epoll.EPOLL_CTL_ADD, wake, Epoll.EPOLLIN, WAKE, ctlEvent, capture);
        if (rc < 0) {
            Libc.close(wake);
            Libc.close(epoll);
            throw Libc.failure("epoll_ctl(eventfd)", -rc);
        }
        thread = Thread.ofPlatform().name(name).daemon().unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Pairs registered and not yet ended. */
    int active() {
        return active;
    }

    /** Hands a prepared pair to the loop (any thread). */
    void add(SplicedPair pair) {
        added.add(pair);
        wakeUp();
    }

    /** Asks the loop to reset and end {@code pair} (any thread). */
    void abort(SplicedPair pair) {
        aborted.add(pair);
        wakeUp();
    }

    /**
     * Ends every pair (SPLICER_CLOSED), stops the thread, closes the loop's descriptors and the mover. Waits for
     * that, unless called on the loop's own thread (from a pair's end callback), where it happens after the round.
     */
    void stop() {
        stopping = true;
        wakeUp();
        if (Thread.currentThread() == thread) return;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) LOG.warn("{} did not stop within 10 s", thread.getName());
    }

    /** Any thread; after the loop closed its eventfd, nothing (the number may already name another file). */
    private void wakeUp() {
        synchronized (wakeLock) {
            if (!wakeClosed) Libc.writeIgnoringErrors(wake, ONE, 8);
        }
    }

    @Override
    public void run() {
        try {
            while (!stopping) round();
        } catch (Throwable t) {
            LOG.error("{} failed; its pairs are reset", thread.getName(), t);
        } finally {
            shutDown();
        }
    }

    private void round() {
        int timeout = !ready.isEmpty() ? 0 : waiting.isEmpty() ? -1 : millisUntilFirstRetry();
        int count = Epoll.await(epoll, events, MAX_EVENTS, timeout, capture);
        for (int i = 0; i < count; i++) {
            long data = Epoll.data(events, i);
            if (data == WAKE) {
                Libc.read(wake, wakeValue, 8, capture);
                continue;
            }
            SplicedPair pair = slots[(int) (data >>> 1)];
            if (pair != null && !pair.finished) onEvent(pair, (int) (data & 1), Epoll.events(events, i));
        }
        takeAdded();
        takeAborted();
        moveReady();
        retryWaiting();
    }

    private void onEvent(SplicedPair pair, int side, int mask) {
        if ((mask & Epoll.EPOLLERR) != 0) {
            reset(pair, side == 0 ? SpliceEnd.Reason.RESET_BY_FIRST : SpliceEnd.Reason.RESET_BY_SECOND);
            return;
        }
        if ((mask & (Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP)) != 0) move(pair.from(side), mask);
        if ((mask & (Epoll.EPOLLOUT | Epoll.EPOLLHUP)) != 0) move(pair.to(side), 0);
    }

    private void move(Direction direction, int sourceEvents) {
        SplicedPair pair = direction.pair;
        if (pair.finished || direction.finished) return;
        switch (mover.move(direction, sourceEvents)) {
            case DirectionMover.BLOCKED -> { }
            case DirectionMover.MORE -> {
                if (!direction.queued) {
                    direction.queued = true;
                    ready.addLast(direction);
                }
            }
            case DirectionMover.ENDED -> passEndOn(direction);
            case DirectionMover.SOURCE_FAILED -> reset(pair, reasonFor(direction.sourceSide));
            case DirectionMover.SINK_FAILED -> reset(pair, reasonFor(1 - direction.sourceSide));
            case DirectionMover.LATER -> later(direction);
            case DirectionMover.DUPLICATED -> {
                LOG.warn("{}: {} wrote fd {} more bytes than fd {} received; the stream is corrupt, both sides reset",
                        thread.getName(), pair, direction.sink, direction.source);
                reset(pair, SpliceEnd.Reason.DUPLICATE_DATA);
            }
            default -> throw new IllegalStateException("unknown move result");
        }
    }

    private static SpliceEnd.Reason reasonFor(int side) {
        return side == 0 ? SpliceEnd.Reason.RESET_BY_FIRST : SpliceEnd.Reason.RESET_BY_SECOND;
    }

    /** The source's FIN, after everything before it: shut the sink for writing; both ways done ends the pair. */
    private void passEndOn(Direction direction) {
        direction.finished = true;
        if (StreamSockets.shutdown(direction.sink, StreamSockets.SHUT_WR, capture) < 0) {
            reset(direction.pair, reasonFor(1 - direction.sourceSide));   // ENOTCONN: the sink was reset meanwhile
            return;
        }
        SplicedPair pair = direction.pair;
        if (pair.forward.finished && pair.backward.finished) end(pair, SpliceEnd.Reason.CLOSED, false);
    }

    private void later(Direction direction) {
        direction.retryDelayMillis = direction.retryDelayMillis == 0 ? FIRST_RETRY_MILLIS
                : Math.min(direction.retryDelayMillis * 2, LAST_RETRY_MILLIS);
        direction.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(direction.retryDelayMillis);
        if (!direction.waiting) {
            direction.waiting = true;
            waiting.add(direction);
        }
    }

    private int millisUntilFirstRetry() {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < waiting.size(); i++) first = Math.min(first, waiting.get(i).retryAtNanos);
        long millis = TimeUnit.NANOSECONDS.toMillis(first - System.nanoTime() + 999_999);
        return (int) Math.max(0, Math.min(millis, LAST_RETRY_MILLIS));
    }

    private void retryWaiting() {
        long now = System.nanoTime();
        for (int i = waiting.size() - 1; i >= 0; i--) {
            Direction direction = waiting.get(i);
            if (direction.pair.finished || direction.finished) {
                direction.waiting = false;
                removeWaiting(i);
            } else if (direction.retryAtNanos - now <= 0) {
                direction.waiting = false;
                removeWaiting(i);
                move(direction, 0);
            }
        }
    }

    /** Removes by swapping with the last element: order does not matter and nothing shifts. */
    private void removeWaiting(int index) {
        int last = waiting.size() - 1;
        if (index < waiting.size()) waiting.set(index, waiting.get(last));
        waiting.remove(last);
    }

    private void moveReady() {
        for (int n = ready.size(); n > 0; n--) {
            Direction direction = ready.pollFirst();
            direction.queued = false;
            move(direction, 0);
        }
    }

    private void takeAdded() {
        SplicedPair pair;
        while ((pair = added.poll()) != null) register(pair);
    }

    private void register(SplicedPair pair) {
        if (freeCount == 0) {   // the splicer counts pairs before handing them over; this is a safety net
            LOG.error("{}: no free slot for {}", thread.getName(), pair);
            end(pair, SpliceEnd.Reason.SPLICER_CLOSED, true);
            return;
        }
        int slot = freeSlots[--freeCount];
        pair.slot = slot;
        slots[slot] = pair;
        active++;
        int mask = mover.eventMask();
        int rc = Epoll.ctl(epoll, Epoll.EPOLL_CTL_ADD, pair.first(), mask, (long) slot << 1, ctlEvent, capture);
        if (rc == 0) rc = Epoll.ctl(epoll, Epoll.EPOLL_CTL_ADD, pair.second(), mask, (long) slot << 1 | 1, ctlEvent, capture);
        if (rc < 0) {
            LOG.warn("{}: epoll_ctl for {} failed: {}", thread.getName(), pair, Libc.strerror(-rc));
            end(pair, SpliceEnd.Reason.SPLICER_CLOSED, true);
            return;
        }
        // each direction once now, not only on its sockets' first edge: bytes may wait from before the splice
        move(pair.forward, 0);
        move(pair.backward, 0);
    }

    private void takeAborted() {
        SplicedPair pair;
        while ((pair = aborted.poll()) != null) {
            if (pair.slot >= 0 && !pair.finished) reset(pair, SpliceEnd.Reason.ABORTED);
        }
    }

    private void reset(SplicedPair pair, SpliceEnd.Reason reason) {
        end(pair, reason, true);
    }

    /**
     * Ends the pair: the mover lets go of it, both sockets leave the epoll set and close, the slot is freed and the
     * end completes. With {@code reset}, SO_LINGER {on, 0} first makes each close send RST (RFC 793's abort), which
     * is how a reset on one side reaches the other.
     */
    private void end(SplicedPair pair, SpliceEnd.Reason reason, boolean reset) {
        if (pair.finished) return;
        pair.finished = true;
        mover.detach(pair);
        closeSocket(pair.first(), reset);
        closeSocket(pair.second(), reset);
        if (pair.slot >= 0) {
            slots[pair.slot] = null;
            freeSlots[freeCount++] = pair.slot;
            active--;
        }
        pair.complete(reason);
    }

    private void closeSocket(int fd, boolean reset) {
        Epoll.ctl(epoll, Epoll.EPOLL_CTL_DEL, fd, 0, 0, ctlEvent, capture);   // -ENOENT if never registered
        if (reset) StreamSockets.setsockopt(fd, Libc.SOL_SOCKET, StreamSockets.SO_LINGER, linger, capture);
        Libc.close(fd);
    }

    private void shutDown() {
        stopping = true;
        for (SplicedPair pair : slots) {
            if (pair != null) reset(pair, SpliceEnd.Reason.SPLICER_CLOSED);
        }
        drainQueuesAfterStop();
        synchronized (wakeLock) {
            wakeClosed = true;
            Libc.close(wake);
        }
        Libc.close(epoll);
        mover.close();
        arena.close();
    }

    /** Pairs handed over after the last round: never registered, ended here. */
    private void drainQueuesAfterStop() {
        SplicedPair pair;
        while ((pair = added.poll()) != null) end(pair, SpliceEnd.Reason.SPLICER_CLOSED, true);
        aborted.clear();
    }
}
