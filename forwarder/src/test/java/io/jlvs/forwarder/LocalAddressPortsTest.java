package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.control.model.Addresses;
import io.jlvs.packets.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ports of one local address: unique toward one real server while held, shared between servers, exhaustion
 * refused per server, expiry frees them, a reply found by its port and its server.
 */
class LocalAddressPortsTest {
    static final long RS_A = Addresses.mappedLo(0xAC100002), RS_B = Addresses.mappedLo(0xAC100003);
    static final int RS_PORT = 8080;

    record Held(int port, long conn) {}

    /** A TCP connection from {@code client} to the server at {@code realLo}, through a port of {@code ports}. */
    static Held connect(ConnectionTable table, LocalAddressPorts ports, int client, long realLo, int proto) {
        int slot = ports.reserve(proto, 0, realLo, RS_PORT, table);
        if (slot < 0) return null;
        ConnectionParam p = new ConnectionParam().protocol(proto)
                .client(0, Addresses.mappedLo(client), 1024 + (client & 0x3FFF))
                .virtual(0, Addresses.mappedLo(0x0A000064), 80).real(0, realLo, RS_PORT).binding(0, 0, 4);
        long conn = table.create(p, System.nanoTime());
        assertTrue(conn >= 0);
        ports.bind(slot, conn);
        return new Held(ports.port(slot), conn);
    }

    static LocalAddressPorts localAddress(ConnectionTable table) {
        return new LocalAddressPorts(0xAC100032, new FullNatPorts(table.capacity()));
    }

    @Test
    void tenThousandConcurrentConnectionsGetDistinctPortsEachLeadingToItsConnection() throws Exception {
        try (ConnectionTable table = new ConnectionTable(20_000, ConnectionEvents.NONE)) {
            FullNatPorts shared = new FullNatPorts(table.capacity());
            LocalAddressPorts ports = new LocalAddressPorts(0xAC100032, shared);
            ConcurrentHashMap<Integer, Long> byPort = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 2_500; i++) {
                        Held r = connect(table, ports, 0x0B000000 | worker << 16 | i, RS_A, Ipv4.PROTO_TCP);
                        assertNotNull(r);
                        Long clash = byPort.put(r.port(), r.conn());
                        assertEquals(null, clash, "a port given twice toward one server");
                    }
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();
            assertEquals(10_000, byPort.size());
            assertEquals(10_000, shared.inUse(table));
            for (var e : byPort.entrySet()) {
                assertEquals((long) e.getValue(), ports.connection(Ipv4.PROTO_TCP, e.getKey(), 0, RS_A, RS_PORT, table));
            }
        }
    }

    @Test
    void twoServersShareALocalPortAndEachReplyFindsItsOwnConnection() {
        try (ConnectionTable table = new ConnectionTable(2 * LocalAddressPorts.PORTS + 16, ConnectionEvents.NONE)) {
            LocalAddressPorts ports = localAddress(table);
            long[] towardA = new long[65536];
            for (int i = 0; i < LocalAddressPorts.PORTS; i++) {
                Held a = connect(table, ports, 0x0B000000 + i, RS_A, Ipv4.PROTO_TCP);
                assertNotNull(a, "connection " + i + " toward A");
                towardA[a.port()] = a.conn();
            }
            // Every port is held toward A: a connection toward B still gets one, shared with a connection toward A.
            Held b = connect(table, ports, 0x0C000001, RS_B, Ipv4.PROTO_TCP);
            assertNotNull(b, "a port toward another server");
            assertTrue(towardA[b.port()] != 0, "the port is also held toward A");
            assertEquals(b.conn(), ports.connection(Ipv4.PROTO_TCP, b.port(), 0, RS_B, RS_PORT, table), "B's reply");
            assertEquals(towardA[b.port()], ports.connection(Ipv4.PROTO_TCP, b.port(), 0, RS_A, RS_PORT, table), "A's reply");
            assertEquals(-1, ports.connection(Ipv4.PROTO_TCP, b.port(), 0, RS_B, RS_PORT + 1, table), "B's other port");
        }
    }

    @Test
    void everyPortHeldTowardAServerRefusesItsNextConnectionOnlyAndAnExpiredOneFreesItsPort() {
        try (ConnectionTable table = new ConnectionTable(LocalAddressPorts.PORTS + 16, ConnectionEvents.NONE)) {
            LocalAddressPorts ports = localAddress(table);
            BitSet seen = new BitSet(65536);
            Held last = null;
            for (int i = 0; i < LocalAddressPorts.PORTS; i++) {
                last = connect(table, ports, 0x0B000000 + i, RS_A, Ipv4.PROTO_TCP);
                assertNotNull(last);
                int port = last.port();
                assertTrue(port >= LocalAddressPorts.FIRST_PORT && !seen.get(port), "port " + port);
                seen.set(port);
            }
            assertEquals(-1, ports.reserve(Ipv4.PROTO_TCP, 0, RS_A, RS_PORT, table), "every port held toward A");
            int toB = ports.reserve(Ipv4.PROTO_TCP, 0, RS_B, RS_PORT, table);
            assertTrue(toB >= 0, "ports toward B are another space");
            ports.release(toB);
            int udp = ports.reserve(Ipv4.PROTO_UDP, 0, RS_A, RS_PORT, table);
            assertTrue(udp >= 0, "UDP ports are another space");
            ports.release(udp);
            table.removeNow(last.conn());
            int again = ports.reserve(Ipv4.PROTO_TCP, 0, RS_A, RS_PORT, table);
            assertTrue(again >= 0, "a port freed by its connection's end");
            assertEquals(last.port(), ports.port(again), "the freed port");
        }
    }

    @Test
    void aClaimedPortIsRefusedToAnotherConnectionTowardTheSameServerWhileItsConnectionLives() {
        try (ConnectionTable table = new ConnectionTable(1024, ConnectionEvents.NONE)) {
            LocalAddressPorts ports = localAddress(table);
            Held first = connect(table, ports, 0x0B000001, RS_A, Ipv4.PROTO_TCP);
            Held second = connect(table, ports, 0x0B000002, RS_A, Ipv4.PROTO_TCP);
            assertTrue(ports.claim(Ipv4.PROTO_TCP, first.port(), 0, RS_A, RS_PORT, first.conn(), table), "its own");
            assertFalse(ports.claim(Ipv4.PROTO_TCP, first.port(), 0, RS_A, RS_PORT, second.conn(), table),
                    "held by a live connection");
            assertTrue(ports.claim(Ipv4.PROTO_TCP, first.port(), 0, RS_B, RS_PORT, second.conn(), table),
                    "the same port toward another server");
            table.removeNow(first.conn());
            assertTrue(ports.claim(Ipv4.PROTO_TCP, first.port(), 0, RS_A, RS_PORT, second.conn(), table),
                    "free once its connection ended");
            assertEquals(second.conn(), ports.connection(Ipv4.PROTO_TCP, first.port(), 0, RS_A, RS_PORT, table));
        }
    }

    @Test
    void workersReservingOneKeyAtOnceNeverBothHoldIt() throws Exception {
        try (ConnectionTable table = new ConnectionTable(1024, ConnectionEvents.NONE)) {
            FullNatPorts shared = new FullNatPorts(table.capacity());
            long key = FullNatPorts.key(Ipv4.PROTO_TCP, 0xAC100032, 5000, 0, RS_A, RS_PORT);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            int won = 0;
            try {
                for (int round = 0; round < 2_000; round++) {
                    List<Future<Integer>> slots = new ArrayList<>();
                    for (int w = 0; w < 4; w++) slots.add(pool.submit(() -> shared.reserve(key, table)));
                    List<Integer> held = new ArrayList<>();
                    for (Future<Integer> f : slots) if (f.get() >= 0) held.add(f.get());
                    for (int slot : held) shared.release(slot);
                    won += held.size();
                    assertTrue(held.size() <= 1, "round " + round + ": " + held.size() + " reservations of one key");
                }
            } finally {
                pool.shutdown();
            }
            assertEquals(2_000, won, "one reservation a round: the key was free each time");
        }
    }
}
