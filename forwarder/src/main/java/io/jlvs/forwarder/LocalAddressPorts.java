package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionTable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One FullNAT local address and its source ports, per protocol (TCP, UDP) and real server: a port in
 * {@link #FIRST_PORT}..65535 is given to one connection at a time toward one real server address and port (the
 * shared {@link FullNatPorts}), so connections to different servers may share it, and a real server's reply to
 * local:port finds its connection by the port and the server it comes from. A port is free again once its
 * connection has left the table (TIME_WAIT included). Any worker may allocate; allocation-free.
 */
final class LocalAddressPorts {
    /** Ports below stay the privileged range, as DPVS leaves them. */
    static final int FIRST_PORT = 1024;
    static final int PORTS = 65536 - FIRST_PORT;

    /**
     * The value FullNAT's records in memory hold for this address: the IPv4 address itself, or for an IPv6 one its
     * number in {@link LocalAddressPools} (in 127.0.0.0/8, which is never an IPv4 local address).
     */
    final int address;
    /** Whether this is an IPv6 local address, {@link #hi} {@link #lo}. */
    final boolean ipv6;
    final long hi, lo;
    private final FullNatPorts ports;
    private final AtomicInteger cursor = new AtomicInteger();

    LocalAddressPorts(int address, FullNatPorts ports) {
        this(address, false, 0, 0, ports);
    }

    private LocalAddressPorts(int address, boolean ipv6, long hi, long lo, FullNatPorts ports) {
        this.address = address;
        this.ipv6 = ipv6;
        this.hi = hi;
        this.lo = lo;
        this.ports = ports;
    }

    /** An IPv6 local address, recorded in memory as {@code number}. */
    static LocalAddressPorts ipv6(int number, long hi, long lo, FullNatPorts ports) {
        return new LocalAddressPorts(number, true, hi, lo, ports);
    }

    private long key(int proto, int port, long realHi, long realLo, int realPort) {
        return FullNatPorts.key(proto, address, port, realHi, realLo, realPort);
    }

    /**
     * Takes a port free toward the real server for a new connection (reserved until {@link #bind}): the
     * reservation's slot ({@link #port} gives its port), or -1 when every port is held toward
     * that server. Ports are tried from a cursor every allocation moves on, so they rotate.
     */
    int reserve(int proto, long realHi, long realLo, int realPort, ConnectionTable conns) {
        int start = Math.floorMod(cursor.getAndIncrement(), PORTS);
        for (int i = 0; i < PORTS; i++) {
            int port = FIRST_PORT + (start + i) % PORTS;
            int slot = ports.reserve(key(proto, port, realHi, realLo, realPort), conns);
            if (slot >= 0) return slot;
        }
        return -1;
    }

    /** The port of a reservation {@link #reserve} returned. */
    int port(int slot) { return ports.port(slot); }

    /** The connection made with a reservation. */
    void bind(int slot, long conn) { ports.bind(slot, conn); }

    /** Gives back a reservation whose connection could not be made. */
    void release(int slot) { ports.release(slot); }

    /**
     * Gives a port toward a real server to a connection learnt from elsewhere (a previous daemon's, a sync
     * master's), unless a live connection or a worker's reservation holds it; true when it is the connection's.
     */
    boolean claim(int proto, int port, long realHi, long realLo, int realPort, long conn, ConnectionTable conns) {
        return ports.claim(key(proto, port, realHi, realLo, realPort), conn, conns);
    }

    /** The live connection a reply from the real server to this address and port belongs to, or -1. */
    long connection(int proto, int port, long realHi, long realLo, int realPort, ConnectionTable conns) {
        return ports.connection(key(proto, port, realHi, realLo, realPort), conns);
    }

    /**
     * The live FullNAT connection of {@code proto} a reply from the real server to this address and {@code port}
     * belongs to, read into {@code entry}; -1 when none holds the port toward that server.
     */
    long fullNatConnection(int proto, int port, long realHi, long realLo, int realPort, ConnectionTable conns,
                           io.jlvs.connections.ConnectionView entry, long now) {
        long conn = connection(proto, port, realHi, realLo, realPort, conns);
        if (conn < 0 || !conns.read(conn, entry, now) || entry.protocol() != proto
                || ConnFlags.method(entry) != ConnFlags.FULLNAT) return -1;
        return conn;
    }
}
