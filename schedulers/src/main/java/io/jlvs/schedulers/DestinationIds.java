package io.jlvs.schedulers;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Small dense ids for the live real servers of one data plane, with lookup by id: connection entries store the
 * id, and the forwarding path turns it back into the server with one array read. An id is taken when a
 * {@link Destination} is created with this allocator and given back by {@link Destination#retire()} once no
 * connection refers to the server any more; ids are reused lowest first, so they stay as small as the number of
 * servers alive at once.
 *
 * <p>Allocation and release are synchronized (control plane); {@link #lookup} takes no lock (forwarding path).
 */
public final class DestinationIds {
    private final BitSet used = new BitSet();
    /** Replaced (never mutated in place at a used index) when it grows; readers see a complete array. */
    private volatile Destination[] byId = new Destination[64];

    synchronized int allocate(Destination server) {
        int id = used.nextClearBit(0);
        used.set(id);
        Destination[] table = byId;
        if (id >= table.length) table = Arrays.copyOf(table, Math.max(table.length * 2, id + 1));
        table[id] = server;
        byId = table; // volatile write publishes the slot (and a grown array)
        return id;
    }

    synchronized void release(int id, Destination server) {
        Destination[] table = byId;
        if (id < table.length && table[id] == server) {
            table[id] = null;
            used.clear(id);
            byId = table;
        }
    }

    /** The live server with this id, or null. */
    public Destination lookup(int id) {
        Destination[] table = byId;
        return id >= 0 && id < table.length ? table[id] : null;
    }

    /** Ids in use. */
    public synchronized int size() { return used.cardinality(); }
}
