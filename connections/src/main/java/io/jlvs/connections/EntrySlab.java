package io.jlvs.connections;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Fixed-capacity off-heap array of connection entries, 112 bytes each, 64-byte aligned as a whole (in anonymous
 * memory or in a {@link TableFile} mapped from /dev/shm, so that a restarted daemon finds the entries again).
 * <pre>
 *  0 +---------------------------+---------------------------+
 *    | client addr hi            | client addr lo            |   addresses are 128-bit; IPv4 is IPv4-mapped
 * 16 +---------------------------+---------------------------+   (hi = 0, lo = 0x0000FFFF_xxxxxxxx)
 *    | virtual addr hi           | virtual addr lo           |
 * 32 +---------------------------+---------------------------+
 *    | real addr hi              | real addr lo              |
 * 48 +------+------+------+--+--+-------------+-------------+
 *    |cport |vport |rport |pr|pk| service id  | dest id     |   pk: packets from the client, modulo the sync
 *                                                                   period (see SyncRule)
 * 64 +------+------+------+--+--+-------------+-------------+
 *    | flags       | in next     | out next    | timer next  |   chain links of the two hash indexes and
 * 80 +-------------+-------------+-------------+-------------+   of the timer wheel (slot numbers, -1 = end)
 *    | timer prev  | refile next | life word: generation<<32 | QUEUED | proto<<8 | state |
 * 96 +-------------+-------------+---------------------------+
 *    | deadline (nanos)          | fwmark      | fed mark    |   fwmark of the service (0: none), so that
 *112 +---------------------------+-------------+-------------+   a re-attached entry finds its -f service;
 *                                                                   the deadline when last fed to the sync,
 *                                                                   in units of 2^20 ns (wraps; compared by
 *                                                                   difference), its low 2 bits the retries
 *                                                                   since (sync_retries)
 * </pre>
 * The life word is the only field written by several threads at once (CAS): its generation is odd while the
 * entry is live and is bumped when it dies and when the slot is reused, so a handle (slot | generation << 32)
 * from an earlier life never validates. All other fields except the deadline and the feed mark are written only
 * while the slot is not reachable by other threads, or under the index's stripe locks (links). The life word is
 * published last (release), so an entry whose word reads live was filled completely, even when the writer
 * died right after: a restart reading the memory of a killed daemon never sees a half-written live entry.
 */
final class EntrySlab {
    static final long ENTRY_BYTES = 112;

    static final long C_HI = 0, C_LO = 8, V_HI = 16, V_LO = 24, R_HI = 32, R_LO = 40;
    static final long C_PORT = 48, V_PORT = 50, R_PORT = 52, PROTO = 54, IN_PACKETS = 55;
    static final long SERVICE_ID = 56, DEST_ID = 60, FLAGS = 64;
    static final long IN_NEXT = 68, OUT_NEXT = 72, TIMER_NEXT = 76, TIMER_PREV = 80, REFILE_NEXT = 84;
    static final long WORD = 88, DEADLINE = 96, FWMARK = 104, FED_MARK = 108;
    /** The feed mark's unit: 2^20 ns (about 1 ms); an int of them spans 26 days, far beyond any timeout. */
    static final int FED_MARK_SHIFT = 20;
    private static final int RETRY_MASK = 3;
    /** What a time read back from the feed mark may be off by: 4 units (the retries take the low 2 bits). */
    static final long FED_MARK_RESOLUTION_NANOS = (RETRY_MASK + 1L) << FED_MARK_SHIFT;

    /** Set in the life word while the entry sits in the timer wheel's refile stack. */
    static final long QUEUED = 1L << 16;
    private static final long STATE_MASK = 0xFF;
    private static final int GENERATION_MASK = 0x7FFF_FFFF;

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final VarHandle LONG_HANDLE = LONG.varHandle();
    private static final VarHandle INT_HANDLE = INT.varHandle();

    private final MemorySegment memory;
    private final int capacity;

    /** @param memory {@code ENTRY_BYTES * capacity} bytes, 64-byte aligned */
    EntrySlab(MemorySegment memory, int capacity) {
        if (memory.byteSize() != ENTRY_BYTES * capacity) throw new IllegalArgumentException("slab size");
        this.capacity = capacity;
        this.memory = memory;
    }

    int capacity() { return capacity; }

    private static long at(int slot, long field) { return slot * ENTRY_BYTES + field; }

    // ---- life word ----
    static int generation(long word) { return (int) (word >>> 32); }
    static boolean isLive(long word) { return (generation(word) & 1) != 0; }
    static int state(long word) { return (int) (word & STATE_MASK); }
    static int proto(long word) { return (int) ((word >>> 8) & 0xFF); }
    static long withState(long word, int state) { return (word & ~STATE_MASK) | state; }
    /** The word of the same entry after death: next (even) generation, other bits kept. */
    static long deadWord(long word) {
        return ((long) ((generation(word) + 1) & GENERATION_MASK) << 32) | (word & 0xFFFF_FFFFL);
    }
    /** The first word of a new life in a slot whose (dead) word is {@code deadWord}. */
    static long liveWord(long deadWord, int proto, int state) {
        return ((long) ((generation(deadWord) + 1) & GENERATION_MASK) << 32) | ((long) proto << 8) | state;
    }

    long wordAcquire(int slot) { return (long) LONG_HANDLE.getAcquire(memory, at(slot, WORD)); }
    long wordPlain(int slot) { return memory.get(LONG, at(slot, WORD)); }
    boolean casWord(int slot, long expected, long update) {
        return LONG_HANDLE.compareAndSet(memory, at(slot, WORD), expected, update);
    }
    void publishWord(int slot, long word) { LONG_HANDLE.setRelease(memory, at(slot, WORD), word); }

    // ---- deadline: written by forwarding threads on every packet ----
    long deadline(int slot) { return (long) LONG_HANDLE.getAcquire(memory, at(slot, DEADLINE)); }
    boolean casDeadline(int slot, long expected, long update) {
        return LONG_HANDLE.compareAndSet(memory, at(slot, DEADLINE), expected, update);
    }

    // ---- the change feed's mark: the deadline the entry had when it was last fed (any forwarding thread) ----
    /** Nanoseconds the deadline has moved since the entry was last fed (about: 2^20 ns units, 4 of them). */
    long movedSinceFed(int slot, long deadline) {
        int mark = (int) INT_HANDLE.getOpaque(memory, at(slot, FED_MARK)) & ~RETRY_MASK;
        return (long) (((int) (deadline >> FED_MARK_SHIFT) & ~RETRY_MASK) - mark) << FED_MARK_SHIFT;
    }
    /** Offers of the entry since its deadline last moved by a refresh period (sync_retries), 0..3. */
    int fedRetries(int slot) { return (int) INT_HANDLE.getOpaque(memory, at(slot, FED_MARK)) & RETRY_MASK; }
    void setFedDeadline(int slot, long deadline, int retries) {
        INT_HANDLE.setOpaque(memory, at(slot, FED_MARK), ((int) (deadline >> FED_MARK_SHIFT) & ~RETRY_MASK) | retries);
    }

    // ---- the packets from the client, modulo the sync period (the one worker of the client's flow) ----
    int inPackets(int slot) { return Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, at(slot, IN_PACKETS))); }
    void setInPackets(int slot, int count) { memory.set(ValueLayout.JAVA_BYTE, at(slot, IN_PACKETS), (byte) count); }

    // ---- immutable while live ----
    long clientHi(int slot) { return memory.get(LONG, at(slot, C_HI)); }
    long clientLo(int slot) { return memory.get(LONG, at(slot, C_LO)); }
    long virtualHi(int slot) { return memory.get(LONG, at(slot, V_HI)); }
    long virtualLo(int slot) { return memory.get(LONG, at(slot, V_LO)); }
    long realHi(int slot) { return memory.get(LONG, at(slot, R_HI)); }
    long realLo(int slot) { return memory.get(LONG, at(slot, R_LO)); }
    int clientPort(int slot) { return Short.toUnsignedInt(memory.get(SHORT, at(slot, C_PORT))); }
    int virtualPort(int slot) { return Short.toUnsignedInt(memory.get(SHORT, at(slot, V_PORT))); }
    int realPort(int slot) { return Short.toUnsignedInt(memory.get(SHORT, at(slot, R_PORT))); }
    int proto(int slot) { return Byte.toUnsignedInt(memory.get(ValueLayout.JAVA_BYTE, at(slot, PROTO))); }
    int serviceId(int slot) { return memory.get(INT, at(slot, SERVICE_ID)); }
    int destId(int slot) { return memory.get(INT, at(slot, DEST_ID)); }

    /**
     * Whether the entry has this protocol and key, with endpoint a at address field {@code aField} and port field
     * {@code aPortField}, endpoint b likewise (the key fields of one index, see {@link ChainIndex}).
     */
    boolean matches(int slot, long aField, long aPortField, long bField, long bPortField,
                    int proto, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long base = slot * ENTRY_BYTES;
        return memory.get(LONG, base + aField + 8) == aLo && memory.get(LONG, base + bField + 8) == bLo
                && memory.get(SHORT, base + aPortField) == (short) aPort
                && memory.get(SHORT, base + bPortField) == (short) bPort
                && memory.get(ValueLayout.JAVA_BYTE, base + PROTO) == (byte) proto
                && memory.get(LONG, base + aField) == aHi && memory.get(LONG, base + bField) == bHi;
    }

    /**
     * Copies the fields that are immutable while the entry lives into {@code view} (not the deadline, not
     * validity): the caller validates the generation afterwards.
     */
    void readInto(int slot, ConnectionView view) {
        long base = slot * ENTRY_BYTES;
        view.clientHi = memory.get(LONG, base + C_HI);
        view.clientLo = memory.get(LONG, base + C_LO);
        view.virtualHi = memory.get(LONG, base + V_HI);
        view.virtualLo = memory.get(LONG, base + V_LO);
        view.realHi = memory.get(LONG, base + R_HI);
        view.realLo = memory.get(LONG, base + R_LO);
        view.clientPort = Short.toUnsignedInt(memory.get(SHORT, base + C_PORT));
        view.virtualPort = Short.toUnsignedInt(memory.get(SHORT, base + V_PORT));
        view.realPort = Short.toUnsignedInt(memory.get(SHORT, base + R_PORT));
        view.serviceId = memory.get(INT, base + SERVICE_ID);
        view.destId = memory.get(INT, base + DEST_ID);
        view.flags = memory.get(INT, base + FLAGS);
        view.fwmark = memory.get(INT, base + FWMARK);
    }

    /** Fills a slot taken from the free list; the caller publishes it with {@link #publishWord}. */
    void fill(int slot, ConnectionParam p, long deadline) {
        long base = slot * ENTRY_BYTES;
        memory.set(LONG, base + C_HI, p.clientHi);
        memory.set(LONG, base + C_LO, p.clientLo);
        memory.set(LONG, base + V_HI, p.virtualHi);
        memory.set(LONG, base + V_LO, p.virtualLo);
        memory.set(LONG, base + R_HI, p.realHi);
        memory.set(LONG, base + R_LO, p.realLo);
        memory.set(SHORT, base + C_PORT, (short) p.clientPort);
        memory.set(SHORT, base + V_PORT, (short) p.virtualPort);
        memory.set(SHORT, base + R_PORT, (short) p.realPort);
        memory.set(ValueLayout.JAVA_BYTE, base + PROTO, (byte) p.protocol);
        memory.set(ValueLayout.JAVA_BYTE, base + IN_PACKETS, (byte) 0);
        memory.set(INT, base + SERVICE_ID, p.serviceId);
        memory.set(INT, base + DEST_ID, p.destId);
        memory.set(INT, base + FLAGS, p.flags);
        memory.set(INT, base + FWMARK, p.fwmark);
        INT_HANDLE.setOpaque(memory, base + FED_MARK, (int) (deadline >> FED_MARK_SHIFT) & ~RETRY_MASK);
        LONG_HANDLE.setOpaque(memory, base + DEADLINE, deadline);
    }

    // ---- links (slot numbers, -1 = none) ----
    int link(int slot, long field) { return (int) INT_HANDLE.getAcquire(memory, at(slot, field)); }
    void setLink(int slot, long field, int value) { INT_HANDLE.setRelease(memory, at(slot, field), value); }
}
