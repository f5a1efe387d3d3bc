package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionTable;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The source ports of one FullNAT local address, per protocol (TCP, UDP): each port in {@link #FIRST_PORT}..65535
 * holds the handle of the connection it was given to, so a real server's reply to local:port finds its connection
 * with one array read. A port is free when it holds 0 or the handle of a connection that has left the table: the
 * table's expiry frees it without a callback, and a handle never validates again once its connection died (the
 * slot's generation moves on). A port is unique per local address and protocol, so no two connections toward the
 * same real server (or any other) share a source tuple. Any worker may allocate (CAS); allocation-free.
 */
final class LocalAddressPorts {
    /** Ports below stay the privileged range, as DPVS leaves them. */
    static final int FIRST_PORT = 1024;
    static final int PORTS = 65536 - FIRST_PORT;
    /** A port taken by a worker that has not created its connection yet. */
    private static final long RESERVED = -1L;
    /** After a scan found every port taken: allocation is refused at once for this long, not scanned again. */
    private static final long FULL_BACKOFF_NANOS = 10_000_000L;

    /**
     * The value FullNAT's records hold for this address: the IPv4 address itself, or for an IPv6 one its number in
     * {@link LocalAddressPools} (in 127.0.0.0/8, which is never an IPv4 local address).
     */
    final int address;
    /** Whether this is an IPv6 local address, {@link #hi} {@link #lo}. */
    final boolean ipv6;
    final long hi, lo;
    private final AtomicLongArray tcp = new AtomicLongArray(65536), udp = new AtomicLongArray(65536);
    private final AtomicInteger cursor = new AtomicInteger();
    /**
     * Per protocol (TCP, UDP), the end of the back-off after a full scan; 0 when none was full. Written and read
     * without ordering: a worker that misses a newer value only scans once more.
     */
    private final long[] fullUntil = new long[2];

    LocalAddressPorts(int address) {
        this(address, false, 0, 0);
    }

    private LocalAddressPorts(int address, boolean ipv6, long hi, long lo) {
        this.address = address;
        this.ipv6 = ipv6;
        this.hi = hi;
        this.lo = lo;
    }

    /** An IPv6 local address, recorded as {@code number}. */
    static LocalAddressPorts ipv6(int number, long hi, long lo) {
        return new LocalAddressPorts(number, true, hi, lo);
    }

    private AtomicLongArray ports(int proto) { return proto == io.jlvs.packets.Ipv4.PROTO_UDP ? udp : tcp; }

    /**
     * Takes a free port for a new connection (reserved until {@link #bind}); returns it, or -1 when every port is
     * held by a live connection.
     */
    int reserve(int proto, ConnectionTable conns, long now) {
        int space = proto == io.jlvs.packets.Ipv4.PROTO_UDP ? 1 : 0;
        long backOff = fullUntil[space];
        if (backOff != 0 && now - backOff < 0) return -1;
        AtomicLongArray ports = ports(proto);
        int start = Math.floorMod(cursor.getAndIncrement(), PORTS);
        for (int i = 0; i < PORTS; i++) {
            int port = FIRST_PORT + (start + i) % PORTS;
            long held = ports.get(port);
            if (held == RESERVED || (held != 0 && conns.isLive(held))) continue;
            if (ports.compareAndSet(port, held, RESERVED)) return port;
        }
        fullUntil[space] = (now + FULL_BACKOFF_NANOS) | 1;
        return -1;
    }

    /** The connection made with a reserved port. */
    void bind(int proto, int port, long conn) { ports(proto).set(port, conn); }

    /**
     * Gives a port to a connection learnt from elsewhere (a previous daemon's, a sync master's), unless a live
     * connection or a worker's reservation holds it; true when the port is the connection's.
     */
    boolean claim(int proto, int port, long conn, ConnectionTable conns) {
        AtomicLongArray ports = ports(proto);
        for (;;) {
            long held = ports.get(port);
            if (held == conn) return true;
            if (held == RESERVED || (held != 0 && conns.isLive(held))) return false;
            if (ports.compareAndSet(port, held, conn)) return true;
        }
    }

    /** Gives back a reserved port whose connection could not be made. */
    void release(int proto, int port) { ports(proto).compareAndSet(port, RESERVED, 0); }

    /** The connection a reply to this address and port belongs to, or -1 (never given, or reserved). */
    long connection(int proto, int port) {
        long held = ports(proto).get(port);
        return held == 0 || held == RESERVED ? -1 : held;
    }

    /**
     * The live FullNAT connection of {@code proto} a reply to this address and {@code port} belongs to, read into
     * {@code entry}; -1 when none holds the port.
     */
    long fullNatConnection(int proto, int port, ConnectionTable conns, io.jlvs.connections.ConnectionView entry,
                           long now) {
        long conn = connection(proto, port);
        if (conn < 0 || !conns.read(conn, entry, now) || entry.protocol() != proto
                || ConnFlags.method(entry) != ConnFlags.FULLNAT) return -1;
        return conn;
    }

    /** Ports held by live connections now (the control plane's count; walks every port). */
    int inUse(int proto, ConnectionTable conns) {
        AtomicLongArray ports = ports(proto);
        int n = 0;
        for (int p = FIRST_PORT; p < 65536; p++) {
            long held = ports.get(p);
            if (held == RESERVED || (held != 0 && conns.isLive(held))) n++;
        }
        return n;
    }
}
