package io.jlvs.forwarder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * What a SYN proxy keeps of each of its connections, beside the connection table and indexed by the same slot: the
 * client's and the director's initial sequence numbers, the timestamps of the handshake, the options the client
 * negotiated, and once the server has answered, the deltas that join the two sequence and timestamp spaces.
 * Off-heap, {@link #BYTES} per slot, in memory of its own or in a file's (the daemon's, in /dev/shm beside the
 * table, so that a restarted daemon finds them). The worker that opens a connection writes its record and publishes
 * it with the state (release); whichever worker reads a state (acquire) sees the fields written before it.
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
        this(Arena.ofAuto().allocate(BYTES * capacity, 64));
    }

    /**
     * Records in {@code memory} ({@link #BYTES} per slot, zero meaning none), e.g. a file's in shared memory so that
     * they outlive the daemon as its connection table does.
     */
    SynProxyStates(MemorySegment memory) {
        this.memory = memory;
    }

    /** Copies a slot's record into {@code into} (state {@link #NONE}: nothing else is meaningful). */
    void read(int slot, SpliceRecord into) {
        read(memory, slot, into);
    }

    /** A slot's record in memory of this layout, another daemon's included. */
    static void read(MemorySegment records, int slot, SpliceRecord into) {
        into.state = (int) STATE_HANDLE.getAcquire(records, at(slot, STATE));
        into.clientIsn = records.get(INT, at(slot, CLIENT_ISN));
        into.cookieIsn = records.get(INT, at(slot, COOKIE_ISN));
        into.clientTs = records.get(INT, at(slot, CLIENT_TS));
        into.directorTs = records.get(INT, at(slot, DIRECTOR_TS));
        into.seqDelta = records.get(INT, at(slot, SEQ_DELTA));
        into.tsDelta = records.get(INT, at(slot, TS_DELTA));
        into.windowShift = records.get(BYTE, at(slot, WINDOW_SHIFT));
        into.clientScale = records.get(BYTE, at(slot, CLIENT_SCALE));
        into.mssIndex = records.get(BYTE, at(slot, MSS_INDEX));
        int options = records.get(BYTE, at(slot, OPTIONS));
        into.sack = (options & SACK) != 0;
        into.timestamps = (options & TIMESTAMPS) != 0;
    }

    /** Writes a record learnt from elsewhere into a slot, published with its state last (release). */
    void write(int slot, SpliceRecord r) {
        STATE_HANDLE.setRelease(memory, at(slot, STATE), NONE);
        memory.set(INT, at(slot, CLIENT_ISN), r.clientIsn);
        memory.set(INT, at(slot, COOKIE_ISN), r.cookieIsn);
        memory.set(INT, at(slot, CLIENT_TS), r.clientTs);
        memory.set(INT, at(slot, DIRECTOR_TS), r.directorTs);
        memory.set(INT, at(slot, SEQ_DELTA), r.seqDelta);
        memory.set(INT, at(slot, TS_DELTA), r.tsDelta);
        memory.set(BYTE, at(slot, WINDOW_SHIFT), (byte) r.windowShift);
        memory.set(BYTE, at(slot, CLIENT_SCALE), (byte) r.clientScale);
        memory.set(BYTE, at(slot, MSS_INDEX), (byte) r.mssIndex);
        memory.set(BYTE, at(slot, OPTIONS), (byte) ((r.sack ? SACK : 0) | (r.timestamps ? TIMESTAMPS : 0)));
        STATE_HANDLE.setRelease(memory, at(slot, STATE), r.state);
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
