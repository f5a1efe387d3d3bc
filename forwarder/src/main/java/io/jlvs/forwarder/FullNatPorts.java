package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionTable;
import io.jlvs.packets.Ipv4;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which FullNAT connection holds each (protocol, local address, local port, real server address and port): a local
 * port is unique toward one real server, so connections to different servers share a local address and port (the
 * 5-tuple stays unique), as the kernel's connect() and DPVS do, and a local address sustains 64,512 connections per
 * real server rather than in all. A fixed table of every FullNAT connection's key and handle, sized from the
 * connection table (at most half full): a key lives in one of two windows of {@link #WINDOW} slots its hash picks
 * (the second taken when the first is full), so a lookup reads at most two windows and nothing needs cleaning: a
 * slot is free when it holds 0 or the handle of a connection that has left the table (the table's expiry frees it
 * without a callback). Both windows full (vanishingly rare at half load) only makes that port unavailable toward
 * that server.
 *
 * <p>The key packs the local port, the server's port and a 32-bit mix of the protocol, the local address (an IPv6
 * one by its number) and the server's address; two different flows with equal keys cannot both hold one (the
 * second is refused that port: stricter, never looser), and a reply's connection found by its key is checked
 * against the connection's entry by the caller.
 *
 * <p>Threads: any worker reserves (CAS a free slot to {@link #RESERVED}, write the key, then look for the same key
 * elsewhere in the window and give the slot back if it is there: of two workers reserving one key at once, at
 * least one sees the other), binds and looks up; no locks, allocation-free.
 */
final class FullNatPorts {
    /** Slots of one window: 16 handles, two cache lines. */
    static final int WINDOW = 16;
    /** A slot taken by a worker that has not bound its connection yet. */
    private static final long RESERVED = -1L;
    private static final int MAX_SLOTS = 1 << 30;

    private final AtomicLongArray handles, keys;
    private final int mask;

    /** A table for the FullNAT connections of a connection table of {@code capacity} entries. */
    FullNatPorts(int capacity) {
        long twice = (long) Integer.highestOneBit(Math.max(1, capacity) - 1 | 1) << 2; // 2 to 4 times the capacity
        int slots = (int) Math.clamp(twice, WINDOW * 64, MAX_SLOTS);
        handles = new AtomicLongArray(slots);
        keys = new AtomicLongArray(slots);
        mask = slots - 1;
    }

    /** The key of a connection's local port toward its real server. */
    static long key(int proto, int localAddress, int localPort, long realHi, long realLo, int realPort) {
        long h = realLo * 0x9E3779B97F4A7C15L ^ realHi * 0xC2B2AE3D27D4EB4FL
                ^ ((long) localAddress << 1 | (proto == Ipv4.PROTO_UDP ? 1 : 0)) * 0x165667B19E3779F9L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (long) localPort << 48 | (long) realPort << 32 | (h & 0xFFFF_FFFFL);
    }

    /** The local port a key names. */
    static int portOf(long key) { return (int) (key >>> 48); }

    /** The local port of the key in a reserved or bound slot. */
    int port(int slot) { return portOf(keys.get(slot)); }

    private static long hash(long key) {
        long h = (key ^ key >>> 33) * 0xFF51AFD7ED558CCDL; // MurmurHash3's finalizer: every bit of the key counts
        h = (h ^ h >>> 33) * 0xC4CEB9FE1A85EC53L;
        return h ^ h >>> 33;
    }

    /** The {@code i}th slot (0..2 {@link #WINDOW}) of a key's two windows, whose hash is {@code h}. */
    private int slot(long h, int i) {
        int first = (int) h & mask & -WINDOW;
        if (i < WINDOW) return first + i;
        int second = (int) (h >>> 32) & mask & -WINDOW;
        return (second == first ? first ^ WINDOW : second) + i - WINDOW;
    }

    private static boolean held(long handle, ConnectionTable conns) {
        return handle == RESERVED || (handle != 0 && conns.isLive(handle));
    }

    /**
     * Reserves {@code key} for a new connection: the slot it took (to {@link #bind} or {@link #release}), or -1
     * when a live connection or another reservation holds the key, or both its windows are full.
     */
    int reserve(long key, ConnectionTable conns) {
        long h = hash(key);
        int taken;
        for (;;) {
            // Only a slot of this key, or a slot that may be free, costs a look at the connection table.
            int free = -1;
            for (int j = 0; j < 2 * WINDOW; j++) {
                int i = slot(h, j);
                long held = handles.get(i);
                if (held == 0) {
                    if (free < 0) free = i;
                } else if (keys.get(i) == key && held(held, conns)) {
                    return -1;
                }
            }
            long freeHeld = 0;
            for (int j = 0; free < 0 && j < 2 * WINDOW; j++) {
                int i = slot(h, j);
                long held = handles.get(i);
                if (!held(held, conns)) {
                    free = i;
                    freeHeld = held;
                }
            }
            if (free < 0) return -1;
            if (handles.compareAndSet(free, freeHeld, RESERVED)) {
                taken = free;
                break;
            }
        }
        keys.set(taken, key);
        // Another worker may have reserved the same key meanwhile: whichever of the two sees the other gives way.
        for (int j = 0; j < 2 * WINDOW; j++) {
            int i = slot(h, j);
            if (i != taken && keys.get(i) == key && held(handles.get(i), conns)) {
                handles.set(taken, 0);
                return -1;
            }
        }
        return taken;
    }

    /** The connection made with a reserved slot: replies to its key find it from now on. */
    void bind(int slot, long conn) { handles.set(slot, conn); }

    /** Gives back a reserved slot whose connection could not be made. */
    void release(int slot) { handles.compareAndSet(slot, RESERVED, 0); }

    /**
     * Gives {@code key} to a connection learnt from elsewhere (a previous daemon's, a sync master's), unless a live
     * connection or a reservation holds it; true when the key is the connection's.
     */
    boolean claim(long key, long conn, ConnectionTable conns) {
        if (connection(key, conns) == conn) return true;
        int slot = reserve(key, conns);
        if (slot < 0) return false;
        bind(slot, conn);
        return true;
    }

    /**
     * The live connection holding {@code key} (it may end at any moment: the caller reads it), or -1. A slot of
     * the key whose connection ended is passed over: the key may be held again in another slot.
     */
    long connection(long key, ConnectionTable conns) {
        long h = hash(key);
        for (int j = 0; j < 2 * WINDOW; j++) {
            int i = slot(h, j);
            long held = handles.get(i);
            if (held == 0 || held == RESERVED) continue;
            long k = keys.get(i);
            // The slot may have been taken for another key between the two reads: its handle changed first.
            if (k == key && handles.get(i) == held && conns.isLive(held)) return held;
        }
        return -1;
    }

    /** Keys held by live connections now (the control plane's count; walks the table). */
    int inUse(ConnectionTable conns) {
        int n = 0;
        for (int i = 0; i <= mask; i++) {
            long held = handles.get(i);
            if (held != RESERVED && held != 0 && conns.isLive(held)) n++;
        }
        return n;
    }
}
