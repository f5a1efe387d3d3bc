package io.jlvs.platform.splice;

import java.lang.foreign.MemorySegment;

/**
 * One way of a sockmap pair. It starts in the relay ({@link SockmapRelay}), which moves in user space whatever
 * waits in the source's receive queue, and goes over to the kernel ({@code inKernel}) when the source's queue is
 * empty and the sink can be redirected to. A direction whose sink could not become a target, or whose source's FIN
 * came first, stays in the relay to its end.
 */
final class SockmapDirection extends Direction {
    long sourceCookie;
    /**
     * The direction stays in the relay to its end: its sink could not enter the targets map, or its source's FIN
     * arrived before the source could enter the receivers map.
     */
    boolean relayToEnd;
    /** The source is in the receivers map: the kernel moves its data from then on. */
    boolean inKernel;
    /** The relay's bytes written to the sink (all of them before the switch to the kernel). */
    long relayed;
    /** Payload the caller had read from the source before the splice. */
    long consumedAtAttach;
    /** At the switch: payload read from the source so far (by the caller and the relay). */
    long consumedBefore;
    /** At the switch: bytes written to the sink so far. */
    long writtenBefore;
    /** The relay's last read returned less than asked: the source's queue held no more at that moment. */
    boolean queueEmptied;
    /** The relay's buffer while the sink has not taken all of it, else null. */
    MemorySegment chunk;
    long offset;
    long pending;

    SockmapDirection(SplicedPair pair, int source, int sink, int sourceSide) {
        super(pair, source, sink, sourceSide);
    }
}
