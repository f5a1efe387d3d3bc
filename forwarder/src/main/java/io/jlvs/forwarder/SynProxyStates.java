package io.jlvs.forwarder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * What a SYN proxy keeps of each of its connections, beside the connection table and indexed by the same slot: the
 * client's and the director's initial sequence numbers, the timestamps of the handshake, the options the client
 * negotiated, and once the server has answered, the deltas that join the two sequence and timestamp spaces.
 * Off-heap, {@link #BYTES} per slot. The worker that opens a connection writes its record and publishes it with
 * the state (release); whichever worker reads a state (acquire) sees the fields written before it.
 */
final class SynProxyStates {
    static final int NONE = 0, OPENING = 1, SPLICED = 2;
    static final long BYTES = 32;
    private static final long STATE = 0, CLIENT_ISN = 4, COOKIE_ISN = 8, CLIENT_TS = 12, DIRECTOR_TS = 16,
            SEQ_DELTA = 20, TS_DELTA = 24, WINDOW_SHIFT = 28, CLIENT_SCALE = 29, OPTIONS = 30, MSS_INDEX = 31;
    private static final int SACK = 1, TIMESTAMPS = 2;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final VarHandle STATE_HANDLE = INT.varHandle();

    private final MemorySegment memory;

    SynProxyStates(int capacity) {
        this.memory = Arena.ofAuto().allocate(BYTES * capacity, 64);
    }

    private static long at(int slot, long field) { return slot * BYTES + field; }

    int state(int slot) { return (int) STATE_HANDLE.getAcquire(memory, at(slot, STATE)); }

    /** A new connection, the server's SYN sent: what the client negotiated, published as OPENING. */
    void open(int slot, int clientIsn, int cookieIsn, int clientTs, int directorTs, int mssIndex, int clientScale,
              boolean sack, boolean timestamps) {
        memory.set(INT, at(slot, CLIENT_ISN), clientIsn);
        memory.set(INT, at(slot, COOKIE_ISN), cookieIsn);
        memory.set(INT, at(slot, CLIENT_TS), clientTs);
        memory.set(INT, at(slot, DIRECTOR_TS), directorTs);
        memory.set(BYTE, at(slot, MSS_INDEX), (byte) mssIndex);
        memory.set(BYTE, at(slot, CLIENT_SCALE), (byte) clientScale);
        memory.set(BYTE, at(slot, OPTIONS), (byte) ((sack ? SACK : 0) | (timestamps ? TIMESTAMPS : 0)));
        STATE_HANDLE.setRelease(memory, at(slot, STATE), OPENING);
    }

    /** The server answered: the deltas that join the two spaces, published as SPLICED. */
    void splice(int slot, int seqDelta, int tsDelta, int windowShift) {
        memory.set(INT, at(slot, SEQ_DELTA), seqDelta);
        memory.set(INT, at(slot, TS_DELTA), tsDelta);
        memory.set(BYTE, at(slot, WINDOW_SHIFT), (byte) windowShift);
        STATE_HANDLE.setRelease(memory, at(slot, STATE), SPLICED);
    }

    /** The client's latest timestamp value, echoed to the server in the director's own segments. */
    void clientTs(int slot, int ts) { memory.set(INT, at(slot, CLIENT_TS), ts); }

    int clientIsn(int slot) { return memory.get(INT, at(slot, CLIENT_ISN)); }
    int cookieIsn(int slot) { return memory.get(INT, at(slot, COOKIE_ISN)); }
    int clientTs(int slot) { return memory.get(INT, at(slot, CLIENT_TS)); }
    int directorTs(int slot) { return memory.get(INT, at(slot, DIRECTOR_TS)); }
    int seqDelta(int slot) { return memory.get(INT, at(slot, SEQ_DELTA)); }
    int tsDelta(int slot) { return memory.get(INT, at(slot, TS_DELTA)); }
    int windowShift(int slot) { return memory.get(BYTE, at(slot, WINDOW_SHIFT)); }
    int clientScale(int slot) { return memory.get(BYTE, at(slot, CLIENT_SCALE)); }
    int mssIndex(int slot) { return memory.get(BYTE, at(slot, MSS_INDEX)); }
    boolean sack(int slot) { return (memory.get(BYTE, at(slot, OPTIONS)) & SACK) != 0; }
    boolean timestamps(int slot) { return (memory.get(BYTE, at(slot, OPTIONS)) & TIMESTAMPS) != 0; }
}
