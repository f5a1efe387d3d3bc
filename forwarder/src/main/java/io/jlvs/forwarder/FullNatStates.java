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
 * FullNAT option. The creating worker writes the record and publishes it with the local address word (release); a
 * reader that sees the word (acquire) sees the rest.
 *
 * <p>Layout {@link FullNatRecord#LAYOUT} (32 bytes): the local address word (an IPv4 address, or an IPv6 one's
 * number in this daemon's {@link LocalAddressPools}: the workers' way to it), the client's ISN, the local port, the
 * options (PROXY header, IPv6), and an IPv6 local address itself (what another daemon reads). Layout
 * {@link #LAYOUT_1} (16 bytes, IPv4 only: the first 16 bytes of this one) is what earlier daemons wrote; it is
 * still read ({@link #upgradeLayout1}).
 */
final class FullNatStates {
    static final long BYTES = 32;
    /** The earlier layout: 16 bytes a record, without the IPv6 address. */
    static final int LAYOUT_1 = 1;
    static final long LAYOUT_1_BYTES = 16;
    private static final long LOCAL_ADDRESS = 0, CLIENT_ISN = 4, LOCAL_PORT = 8, OPTIONS = 10, LOCAL_HI = 16,
            LOCAL_LO = 24;
    private static final int PROXY_HEADER = 1, IPV6 = 2;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
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

    /**
     * A slot's record in memory of this layout, another daemon's included: an IPv6 local address by its address
     * ({@link FullNatRecord#localAddress} 0), never by the number the writer gave it.
     */
    static void read(MemorySegment records, int slot, FullNatRecord into) {
        int address = (int) ADDRESS_HANDLE.getAcquire(records, at(slot, LOCAL_ADDRESS));
        int options = records.get(BYTE, at(slot, OPTIONS));
        into.localPort = Short.toUnsignedInt(records.get(SHORT, at(slot, LOCAL_PORT)));
        into.proxyHeader = (options & PROXY_HEADER) != 0;
        into.clientIsn = records.get(INT, at(slot, CLIENT_ISN));
        into.ipv6 = address != 0 && (options & IPV6) != 0;
        into.localAddress = into.ipv6 ? 0 : address;
        into.localHi = into.ipv6 ? records.get(LONG, at(slot, LOCAL_HI)) : 0;
        into.localLo = into.ipv6 ? records.get(LONG, at(slot, LOCAL_LO)) : 0;
    }

    /**
     * Records of layout {@link #LAYOUT_1} ({@code capacity} of them) in this layout, in memory of {@code arena}. Their
     * IPv6 connections (named by a number only their daemon knew, in 127.0.0.0/8) have no record here.
     */
    static MemorySegment upgradeLayout1(MemorySegment old, int capacity, Arena arena) {
        MemorySegment out = arena.allocate(BYTES * capacity, 64);
        for (int slot = 0; slot < capacity; slot++) {
            long from = slot * LAYOUT_1_BYTES;
            int address = old.get(INT, from + LOCAL_ADDRESS);
            if (address == 0 || address >>> 24 == 127) continue;
            MemorySegment.copy(old, from, out, at(slot, 0), LAYOUT_1_BYTES);
            out.set(BYTE, at(slot, OPTIONS), (byte) (old.get(BYTE, from + OPTIONS) & PROXY_HEADER));
        }
        return out;
    }

    void read(int slot, FullNatRecord into) { read(memory, slot, into); }

    private static long at(int slot, long field) { return slot * BYTES + field; }

    /** A new connection's source toward its server, published last. */
    void open(int slot, LocalAddressPorts local, int localPort, boolean proxyHeader, int clientIsn) {
        memory.set(INT, at(slot, CLIENT_ISN), clientIsn);
        memory.set(SHORT, at(slot, LOCAL_PORT), (short) localPort);
        memory.set(BYTE, at(slot, OPTIONS), (byte) ((proxyHeader ? PROXY_HEADER : 0) | (local.ipv6 ? IPV6 : 0)));
        memory.set(LONG, at(slot, LOCAL_HI), local.hi);
        memory.set(LONG, at(slot, LOCAL_LO), local.lo);
        ADDRESS_HANDLE.setRelease(memory, at(slot, LOCAL_ADDRESS), local.address);
    }

    /** Writes a record learnt from elsewhere into a slot, for its local address here; published last. */
    void write(int slot, FullNatRecord r, LocalAddressPorts local) {
        ADDRESS_HANDLE.setRelease(memory, at(slot, LOCAL_ADDRESS), 0);
        open(slot, local, r.localPort, r.proxyHeader, r.clientIsn);
    }

    /**
     * The local address word of the connection in this slot (an IPv6 address's number); 0 when this daemon holds no
     * record of it.
     */
    int localAddress(int slot) { return (int) ADDRESS_HANDLE.getAcquire(memory, at(slot, LOCAL_ADDRESS)); }

    int localPort(int slot) { return Short.toUnsignedInt(memory.get(SHORT, at(slot, LOCAL_PORT))); }

    boolean proxyHeader(int slot) { return (memory.get(BYTE, at(slot, OPTIONS)) & PROXY_HEADER) != 0; }

    int clientIsn(int slot) { return memory.get(INT, at(slot, CLIENT_ISN)); }
}
