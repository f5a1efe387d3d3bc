package io.jlvs.forwarder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * What FullNAT keeps of each of its connections, beside the connection table and indexed by the same slot: the
 * local address and port the connection's packets leave from toward the real server, and for a connection with
 * the PROXY protocol header, the client's initial sequence number (where the header goes in the server's stream).
 * Off-heap, {@link #BYTES} per slot, in memory of its own or in a file's (the daemon's, in /dev/shm beside the
 * table, so that a restarted daemon finds them); a connection learnt from a sync master gets its record from jlvs's
 * FullNAT option. The creating worker writes the record and publishes it with the local address (release); a
 * reader that sees the address (acquire) sees the rest.
 */
final class FullNatStates {
    static final long BYTES = 16;
    private static final long LOCAL_ADDRESS = 0, CLIENT_ISN = 4, LOCAL_PORT = 8, OPTIONS = 10;
    private static final int PROXY_HEADER = 1;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final VarHandle ADDRESS_HANDLE = INT.varHandle();

    private final MemorySegment memory;

    FullNatStates(int capacity) {
        this(Arena.ofAuto().allocate(BYTES * capacity, 64));
    }

    /** Records in {@code memory} ({@link #BYTES} per slot, zero meaning none), e.g. a file's in shared memory. */
    FullNatStates(MemorySegment memory) {
        this.memory = memory;
    }

    /** A slot's record in memory of this layout, another daemon's included. */
    static void read(MemorySegment records, int slot, FullNatRecord into) {
        into.localAddress = (int) ADDRESS_HANDLE.getAcquire(records, at(slot, LOCAL_ADDRESS));
        into.localPort = Short.toUnsignedInt(records.get(SHORT, at(slot, LOCAL_PORT)));
        into.proxyHeader = (records.get(BYTE, at(slot, OPTIONS)) & PROXY_HEADER) != 0;
        into.clientIsn = records.get(INT, at(slot, CLIENT_ISN));
    }

    void read(int slot, FullNatRecord into) { read(memory, slot, into); }

    /** Writes a record learnt from elsewhere into a slot, published with its local address last. */
    void write(int slot, FullNatRecord r) {
        ADDRESS_HANDLE.setRelease(memory, at(slot, LOCAL_ADDRESS), 0);
        open(slot, r.localAddress, r.localPort, r.proxyHeader, r.clientIsn);
    }

    private static long at(int slot, long field) { return slot * BYTES + field; }

    /** A new connection's source toward its server, published last. */
    void open(int slot, int localAddress, int localPort, boolean proxyHeader, int clientIsn) {
        memory.set(INT, at(slot, CLIENT_ISN), clientIsn);
        memory.set(SHORT, at(slot, LOCAL_PORT), (short) localPort);
        memory.set(BYTE, at(slot, OPTIONS), (byte) (proxyHeader ? PROXY_HEADER : 0));
        ADDRESS_HANDLE.setRelease(memory, at(slot, LOCAL_ADDRESS), localAddress);
    }

    /** The local address of the connection in this slot; 0 when this daemon holds no record of it. */
    int localAddress(int slot) { return (int) ADDRESS_HANDLE.getAcquire(memory, at(slot, LOCAL_ADDRESS)); }

    int localPort(int slot) { return Short.toUnsignedInt(memory.get(SHORT, at(slot, LOCAL_PORT))); }

    boolean proxyHeader(int slot) { return (memory.get(BYTE, at(slot, OPTIONS)) & PROXY_HEADER) != 0; }

    int clientIsn(int slot) { return memory.get(INT, at(slot, CLIENT_ISN)); }
}
