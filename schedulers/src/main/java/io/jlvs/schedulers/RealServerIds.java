package io.jlvs.schedulers;

import java.util.Arrays;
import java.util.BitSet;

/** Dense ids for live real servers, reused after {@link RealServer#retire()}, with lookup by id for the connection table. */
final class RealServerIds {
    private static final BitSet USED = new BitSet();
    /** Replaced (never mutated in place at a used index) when it grows; readers see a complete array. */
    private static volatile RealServer[] byId = new RealServer[64];

    private RealServerIds() {}

    static synchronized int allocate(RealServer server) {
        int id = USED.nextClearBit(0);
        USED.set(id);
        RealServer[] table = byId;
        if (id >= table.length) {
            table = Arrays.copyOf(table, Math.max(table.length * 2, id + 1));
        }
        table[id] = server;
        byId = table; // volatile write publishes the slot (and a grown array)
        return id;
    }

    static synchronized void release(int id, RealServer server) {
        RealServer[] table = byId;
        if (id < table.length && table[id] == server) {
            table[id] = null;
            USED.clear(id);
            byId = table;
        }
    }

    static RealServer lookup(int id) {
        RealServer[] table = byId;
        return id >= 0 && id < table.length ? table[id] : null;
    }
}
