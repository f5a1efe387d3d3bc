package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Epoll;
import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;

import java.io.IOException;
import java.lang.foreign.Arena;

/**
 * SpliceMode.SOCKMAP: the kernel moves the data ({@link SockmapDatapath}); the loop only watches for the ends.
 *
 * <p>A redirected chunk is queued on the peer's psock and sent by a kernel worker, so when a socket's FIN is seen
 * (EPOLLRDHUP) some of the data before it may not have reached the peer socket yet, and shutting the peer at once
 * would cut it off. The end is passed on once the peer has been written everything the source received: at attach
 * the source's bytes already read by the caller and the sink's bytes already written are noted ({@link TcpCounters});
 * at the FIN, bytes to deliver = bytes received − 1 (the FIN) − bytes read before; delivered = bytes written now −
 * bytes written before. Until they meet the loop asks again, at growing intervals. A reset needs no such wait.
 */
final class SockmapMover extends DirectionMover {
    private final SockmapDatapath datapath;
    private final Arena arena = Arena.ofShared();
    /** For the loop thread. */
    private final TcpCounters counters = new TcpCounters(arena);

    SockmapMover(SockmapDatapath datapath) {
        this.datapath = datapath;
    }

    static final class SockmapDirection extends Direction {
        long sourceCookie;
        /** Payload the caller read from the source before splicing. */
        long consumedBefore;
        /** Bytes written to the sink before splicing. */
        long writtenBefore;
        /** Bytes that waited in the source's receive queue, moved to the sink by {@link QueuedBytes}. */
        long movedBefore;

        SockmapDirection(SplicedPair pair, int source, int sink, int sourceSide) {
            super(pair, source, sink, sourceSide);
        }
    }

    @Override
    int eventMask() {
        // no EPOLLIN: the verdict program takes the data; EPOLLERR and EPOLLHUP are always reported
        return Epoll.EPOLLRDHUP | Epoll.EPOLLET;
    }

    @Override
    Direction newDirection(SplicedPair pair, int source, int sink, int sourceSide) {
        return new SockmapDirection(pair, source, sink, sourceSide);
    }

    @Override
    void attach(SplicedPair pair) throws IOException {
        SockmapDirection forward = (SockmapDirection) pair.forward, backward = (SockmapDirection) pair.backward;
        int first = pair.first(), second = pair.second();
        long firstCookie = StreamSockets.cookie(first), secondCookie = StreamSockets.cookie(second);
        try (Arena call = Arena.ofConfined()) {
            if (QueuedBytes.unread(first, call) > 0 || QueuedBytes.unread(second, call) > 0) {
                QueuedBytes queued = new QueuedBytes(call);
                forward.movedBefore = queued.moveAll(first, second);
                backward.movedBefore = queued.moveAll(second, first);
            }
            TcpCounters baseline = new TcpCounters(call);
            forward.sourceCookie = firstCookie;
            backward.sourceCookie = secondCookie;
            forward.consumedBefore = checked(baseline.payloadConsumed(first), "bytes read from fd " + first);
            backward.consumedBefore = checked(baseline.payloadConsumed(second), "bytes read from fd " + second);
            forward.writtenBefore = checked(baseline.writtenExactly(second), "bytes written to fd " + second);
            backward.writtenBefore = checked(baseline.writtenExactly(first), "bytes written to fd " + first);
        }
        // targets first (each socket under its peer's cookie), then receivers: see SockmapDatapath
        insert(datapath.targets, secondCookie, first, pair);
        try {
            insert(datapath.targets, firstCookie, second, pair);
            try {
                insert(datapath.receivers, firstCookie, first, pair);
                try {
                    insert(datapath.receivers, secondCookie, second, pair);
                } catch (IOException e) {
                    datapath.receivers.delete(firstCookie);
                    throw e;
                }
            } catch (IOException e) {
                datapath.targets.delete(firstCookie);
                throw e;
            }
        } catch (IOException e) {
            datapath.targets.delete(secondCookie);
            throw e;
        }
        // Bytes that arrived after QueuedBytes and before the verdict was hooked wait in the receive queue until
        // the next data-ready callback. Setting SO_RCVLOWAT runs tcp_set_rcvlowat, which calls tcp_data_ready, which calls the psock's
        // callback now if anything is queued.
        kick(first);
        kick(second);
    }

    private static long checked(long value, String what) throws IOException {
        if (value < 0) throw Libc.failure("reading " + what, (int) -value);
        return value;
    }

    private static void insert(SockHash map, long key, int socket, SplicedPair pair) throws IOException {
        int rc = map.insert(key, socket);
        if (rc < 0) {
            throw new ErrnoException("BPF_MAP_UPDATE_ELEM " + map + " with fd " + socket + " of " + pair + " failed: "
                    + Libc.strerror(-rc) + " (errno " + -rc + ")", -rc);
        }
    }

    private static void kick(int socket) throws IOException {
        Libc.setsockoptInt(socket, Libc.SOL_SOCKET, StreamSockets.SO_RCVLOWAT, 1, "SO_RCVLOWAT");
    }

    @Override
    int move(Direction direction, int sourceEvents) {
        SockmapDirection d = (SockmapDirection) direction;
        if ((sourceEvents & (Epoll.EPOLLRDHUP | Epoll.EPOLLHUP)) != 0) d.sourceEnded = true;
        if (!d.sourceEnded) return BLOCKED;
        long received = counters.bytesReceived(d.source);
        if (received < 0) return SOURCE_FAILED;
        long written = counters.written(d.sink);
        if (written < 0) return SINK_FAILED;
        long toDeliver = received - 1 - d.consumedBefore;
        long delivered = written - d.writtenBefore;
        d.bytes = d.movedBefore + delivered;
        return delivered >= toDeliver ? ENDED : LATER;
    }

    @Override
    void detach(SplicedPair pair) {
        SockmapDirection forward = (SockmapDirection) pair.forward, backward = (SockmapDirection) pair.backward;
        if (!forward.finished) forward.bytes = delivered(forward);
        if (!backward.finished) backward.bytes = delivered(backward);
        // receivers first, so no chunk is redirected to a socket that has left the targets
        datapath.receivers.delete(forward.sourceCookie);
        datapath.receivers.delete(backward.sourceCookie);
        datapath.targets.delete(forward.sourceCookie);
        datapath.targets.delete(backward.sourceCookie);
    }

    private long delivered(SockmapDirection d) {
        long written = counters.written(d.sink);
        return written < 0 ? d.bytes : d.movedBefore + written - d.writtenBefore;
    }

    /** Entries in the splicer's two sockhashes (0 when no pair is spliced). */
    int kernelEntries() {
        return datapath.entries();
    }

    SockmapAttachment attachment() {
        return datapath.attachment;
    }

    @Override
    public void close() {
        datapath.close();
        arena.close();
    }
}
