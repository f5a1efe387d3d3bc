package io.jlvs.connections;

/**
 * Test shorthands over the table's parameter-object API: one call per create or lookup with the flow spelt out
 * (addresses as hi, lo pairs). Each uses a fresh {@link ConnectionParam}: tests may allocate, workers reuse one.
 */
final class TableCalls {
    private TableCalls() {}

    static long create(ConnectionTable t, int proto, long cHi, long cLo, int cPort, long vHi, long vLo, int vPort,
                       long rHi, long rLo, int rPort, int serviceId, int destId, int flags, long now) {
        return t.create(new ConnectionParam().protocol(proto).client(cHi, cLo, cPort).virtual(vHi, vLo, vPort)
                .real(rHi, rLo, rPort).binding(serviceId, destId, flags), now);
    }

    static long inbound(ConnectionTable t, int proto, long cHi, long cLo, int cPort, long vHi, long vLo, int vPort) {
        return t.lookup(new ConnectionParam().protocol(proto).client(cHi, cLo, cPort).virtual(vHi, vLo, vPort),
                ConnectionTable.DIR_INPUT);
    }

    static long outbound(ConnectionTable t, int proto, long rHi, long rLo, int rPort, long cHi, long cLo, int cPort) {
        return t.lookup(new ConnectionParam().protocol(proto).real(rHi, rLo, rPort).client(cHi, cLo, cPort),
                ConnectionTable.DIR_OUTPUT);
    }

    /** The entry of a handle, read once; invalid when the handle is stale. */
    static ConnectionView read(ConnectionTable t, long h) {
        ConnectionView view = new ConnectionView();
        t.read(h, view, 0);
        return view;
    }
}
