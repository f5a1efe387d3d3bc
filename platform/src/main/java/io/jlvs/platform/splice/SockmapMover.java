package io.jlvs.platform.splice;

import io.jlvs.platform.libc.Epoll;
import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.libc.StreamSockets;

import java.io.IOException;
import java.lang.foreign.Arena;

/**
 * SpliceMode.SOCKMAP: the kernel moves the data ({@link SockmapDatapath}); the loop watches for the ends, and
 * relays in user space what the kernel cannot take ({@link SockmapRelay}).
 *
 * <p>The kernel lets only an established socket into a sockhash: one whose peer's FIN has already arrived
 * (CLOSE_WAIT, a client that half-closed right after its request) is refused with EOPNOTSUPP. So {@link #attach}
 * puts into the targets map the sockets it can, and each direction starts in the relay, which moves what waits in
 * the source's receive queue; once a read of the relay has emptied that queue (it returned less than asked, or
 * nothing) and the sink is a target, the source enters the receivers map and the kernel takes over. A direction
 * whose source nobody has read yet ({@link Direction#sourceNeverRead}) goes to the kernel at once. A direction whose sink is no target, or whose source's FIN arrived before
 * it could enter, is relayed to its end. Nothing on the caller's thread waits for a peer.
 *
 * <p>A redirected chunk is queued on the peer's psock and sent by a kernel worker, so when a socket's FIN is seen
 * (EPOLLRDHUP) some of the data before it may not have reached the peer socket yet, and shutting the peer at once
 * would cut it off. The end is passed on once the peer has been written everything the source received: at the
 * switch to the kernel the source's bytes already read (by the caller, counted at attach, and by the relay) and the
 * sink's bytes already written are noted ({@link TcpCounters}); at the FIN, bytes to deliver = bytes received − 1 (the FIN) − bytes read before; delivered
 * = bytes written now − bytes written before. Until they meet the loop asks again, at growing intervals. A reset
 * needs no such wait. Delivered beyond that means the kernel sent some bytes twice (a retransmitted segment that
 * overlaps bytes already received, redirected whole by {@link SockmapAttachment#VERDICT_ONLY}): the stream is
 * corrupt, and the pair is reset ({@link SpliceEnd.Reason#DUPLICATE_DATA}) rather than closed.
 */
final class SockmapMover extends DirectionMover {
    private static final int EOPNOTSUPP = 95;

    private final SockmapDatapath datapath;
    private final SockmapRelay relay;
    private final Arena arena = Arena.ofShared();
    /** For the loop thread. */
    private final TcpCounters counters = new TcpCounters(arena);

    SockmapMover(SockmapDatapath datapath, int chunkSize) {
        this.datapath = datapath;
        this.relay = new SockmapRelay(chunkSize);
    }

    @Override
    int eventMask() {
        // EPOLLIN and EPOLLOUT for the relay; a direction in the kernel only waits for EPOLLRDHUP (EPOLLERR and
        // EPOLLHUP are always reported)
        return Epoll.EPOLLIN | Epoll.EPOLLOUT | Epoll.EPOLLRDHUP | Epoll.EPOLLET;
    }

    @Override
    Direction newDirection(SplicedPair pair, int source, int sink, int sourceSide) {
        return new SockmapDirection(pair, source, sink, sourceSide);
    }

    /**
     * Makes both sockets non-blocking (for the relay; the kernel's sends ignore it) and puts each into the targets
     * map under its peer's cookie where the kernel allows it. The receivers map comes later, from the loop.
     */
    @Override
    void attach(SplicedPair pair) throws IOException {
        SockmapDirection forward = (SockmapDirection) pair.forward, backward = (SockmapDirection) pair.backward;
        int first = pair.first(), second = pair.second();
        StreamSockets.setNonBlocking(first);
        StreamSockets.setNonBlocking(second);
        // before either socket enters a map: a socket with a psock answers SIOCINQ with the psock's own queue
        try (Arena local = Arena.ofConfined()) {
            TcpCounters attachCounters = new TcpCounters(local);
            forward.consumedAtAttach = consumed(attachCounters, first, pair);
            backward.consumedAtAttach = consumed(attachCounters, second, pair);
        }
        forward.sourceCookie = StreamSockets.cookie(first);
        backward.sourceCookie = StreamSockets.cookie(second);
        forward.relayToEnd = !enterTargets(forward, pair);
        try {
            backward.relayToEnd = !enterTargets(backward, pair);
        } catch (IOException e) {
            if (!forward.relayToEnd) datapath.targets.delete(forward.sourceCookie);
            throw e;
        }
    }

    private static long consumed(TcpCounters counters, int fd, SplicedPair pair) throws IOException {
        long consumed = counters.payloadConsumed(fd);
        if (consumed < 0) {
            throw new ErrnoException("reading the TCP counters of fd " + fd + " of " + pair + " failed: "
                    + Libc.strerror((int) -consumed), (int) -consumed);
        }
        return consumed;
    }

    /** The direction's sink under its source's cookie: true, or false when the kernel refuses the sink's state. */
    private boolean enterTargets(SockmapDirection d, SplicedPair pair) throws IOException {
        int rc = datapath.targets.insert(d.sourceCookie, d.sink);
        if (rc == 0) return true;
        if (rc == -EOPNOTSUPP) return false;
        throw new ErrnoException("BPF_MAP_UPDATE_ELEM " + datapath.targets + " with fd " + d.sink + " of " + pair
                + " failed: " + Libc.strerror(-rc) + " (errno " + -rc + ")", -rc);
    }

    @Override
    int move(Direction direction, int sourceEvents) {
        SockmapDirection d = (SockmapDirection) direction;
        if (!d.inKernel) {
            if (d.sourceNeverRead && !d.relayToEnd) {
                // no segment partly read: the kernel can take the queue as it is, however fast it refills
                d.sourceNeverRead = false;
                int result = switchToKernel(d);
                if (result != MORE) return result;
            }
            int result = relay.step(d);
            return result == SockmapRelay.DRAINED ? switchToKernel(d) : result;
        }
        if ((sourceEvents & (Epoll.EPOLLRDHUP | Epoll.EPOLLHUP)) != 0) d.sourceEnded = true;
        if (!d.sourceEnded) return BLOCKED;
        long received = counters.bytesReceived(d.source);
        if (received < 0) return SOURCE_FAILED;
        long written = counters.written(d.sink);
        if (written < 0) return SINK_FAILED;
        long toDeliver = received - 1 - d.consumedBefore;
        long delivered = written - d.writtenBefore;
        d.bytes = d.relayed + delivered;
        // written is never more than the truth (TcpCounters.written), so more than toDeliver is a certain excess
        if (delivered > toDeliver) return DUPLICATED;
        if (delivered < toDeliver) return LATER;
        // the count is final only once the kernel holds none of the source's skbs for the sink: one still queued
        // would follow bytes sent twice, which made delivered reach toDeliver early
        long held = counters.receiveMemory(d.source);
        if (held < 0) return SOURCE_FAILED;
        return held == 0 ? ENDED : LATER;
    }

    /**
     * The relay found the source's queue empty and wrote everything to the sink: notes the baselines, puts the
     * source into the receivers map and kicks it, so skbs that arrived since are redirected now. Stays in the relay
     * when the sink is no target or the source's FIN arrived meanwhile (EOPNOTSUPP).
     */
    private int switchToKernel(SockmapDirection d) {
        if (d.relayToEnd) return BLOCKED;
        long written = counters.writtenExactly(d.sink);
        if (written < 0) return SINK_FAILED;
        int rc = datapath.receivers.insert(d.sourceCookie, d.source);
        if (rc == -EOPNOTSUPP) {
            d.relayToEnd = true;   // the relay reads on to the FIN
            return MORE;
        }
        if (rc < 0) return SOURCE_FAILED;
        d.consumedBefore = d.consumedAtAttach + d.relayed;   // the relay sent all it read
        d.writtenBefore = written;
        d.inKernel = true;
        // Setting SO_RCVLOWAT runs tcp_set_rcvlowat, which calls tcp_data_ready, which calls the psock's
        // callback now if anything is queued: skbs that arrived after the relay's last read do not wait for more.
        try {
            Libc.setsockoptInt(d.source, Libc.SOL_SOCKET, StreamSockets.SO_RCVLOWAT, 1, "SO_RCVLOWAT");
        } catch (IOException e) {
            return SOURCE_FAILED;
        }
        return BLOCKED;
    }

    @Override
    void detach(SplicedPair pair) {
        SockmapDirection forward = (SockmapDirection) pair.forward, backward = (SockmapDirection) pair.backward;
        if (!forward.finished) forward.bytes = delivered(forward);
        if (!backward.finished) backward.bytes = delivered(backward);
        relay.release(forward);
        relay.release(backward);
        // receivers first, so no chunk is redirected to a socket that has left the targets; entries never made
        // are not found (ENOENT), which is harmless
        datapath.receivers.delete(forward.sourceCookie);
        datapath.receivers.delete(backward.sourceCookie);
        datapath.targets.delete(forward.sourceCookie);
        datapath.targets.delete(backward.sourceCookie);
    }

    private long delivered(SockmapDirection d) {
        if (!d.inKernel) return d.relayed;
        long written = counters.written(d.sink);
        return written < 0 ? d.bytes : d.relayed + written - d.writtenBefore;
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
        relay.close();
        arena.close();
    }
}
