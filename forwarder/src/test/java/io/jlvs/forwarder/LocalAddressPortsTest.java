package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.packets.Ipv4;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ports of one local address: unique while held, exhaustion refused, expiry frees them. */
class LocalAddressPortsTest {
    private static final long MAPPED = 0xFFFF_0000_0000L;

    private record Held(int port, long conn) {}

    private static Held connect(ConnectionTable table, LocalAddressPorts ports, int client, long now) {
        int port = ports.reserve(Ipv4.PROTO_TCP, table, now);
        if (port < 0) return null;
        ConnectionParam p = new ConnectionParam().protocol(Ipv4.PROTO_TCP)
                .client(0, MAPPED | client, 1024 + (client & 0x3FFF))
                .virtual(0, MAPPED | 0x0A000064, 80).real(0, MAPPED | 0xAC100002, 8080).binding(0, 0, 4);
        long conn = table.create(p, now);
        assertTrue(conn >= 0);
        ports.bind(Ipv4.PROTO_TCP, port, conn);
        return new Held(port, conn);
    }

    @Test
    void tenThousandConcurrentConnectionsGetDistinctPortsEachLeadingToItsConnection() throws Exception {
        try (ConnectionTable table = new ConnectionTable(20_000, ConnectionEvents.NONE)) {
            LocalAddressPorts ports = new LocalAddressPorts(0xAC100032);
            ConcurrentHashMap<Integer, Long> byPort = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                done.add(pool.submit(() -> {
                    long now = System.nanoTime();
                    for (int i = 0; i < 2_500; i++) {
                        Held r = connect(table, ports, 0x0B000000 | worker << 16 | i, now);
                        Long clash = byPort.put(r.port(), r.conn());
                        assertEquals(null, clash, "a port given twice");
                    }
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();
            assertEquals(10_000, byPort.size());
            assertEquals(10_000, ports.inUse(Ipv4.PROTO_TCP, table));
            for (var e : byPort.entrySet()) assertEquals((long) e.getValue(), ports.connection(Ipv4.PROTO_TCP, e.getKey()));
        }
    }

    @Test
    void everyPortHeldRefusesTheNextConnectionAndAnExpiredOneFreesItsPort() {
        try (ConnectionTable table = new ConnectionTable(LocalAddressPorts.PORTS + 16, ConnectionEvents.NONE)) {
            LocalAddressPorts ports = new LocalAddressPorts(0xAC100032);
            long now = System.nanoTime();
            BitSet seen = new BitSet(65536);
            Held last = null;
            for (int i = 0; i < LocalAddressPorts.PORTS; i++) {
                last = connect(table, ports, 0x0B000000 + i, now);
                int port = last.port();
                assertTrue(port >= LocalAddressPorts.FIRST_PORT && !seen.get(port), "port " + port);
                seen.set(port);
            }
            assertEquals(-1, ports.reserve(Ipv4.PROTO_TCP, table, now), "every port held");
            assertTrue(ports.reserve(Ipv4.PROTO_UDP, table, now) > 0, "UDP ports are another space");
            table.removeNow(last.conn());
            long later = now + 20_000_000L; // past the back-off after a full scan
            assertEquals(last.port(), ports.reserve(Ipv4.PROTO_TCP, table, later), "the freed port");
        }
    }
}
