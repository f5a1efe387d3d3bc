package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.packets.Ipv4;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any sequence of connections made toward a few real servers and ended: no two live connections hold one local port
 * toward one server, and each live connection's reply (its port, its server) finds it.
 */
class LocalAddressPortsProperties {
    private static final long[] SERVERS = {LocalAddressPortsTest.RS_A, LocalAddressPortsTest.RS_B,
            io.jlvs.control.model.Addresses.mappedLo(0xAC100004)};

    private record Live(int server, LocalAddressPortsTest.Held held) {}

    /** Each step: below 0 ends the live connection at (-step - 1) modulo their number, else connects to a server. */
    @Property(tries = 200)
    void livePortsStayUniquePerServerAndLeadToTheirConnections(
            @ForAll @Size(max = 300) List<@IntRange(min = -20, max = 2) Integer> steps) {
        try (ConnectionTable table = new ConnectionTable(1024, ConnectionEvents.NONE)) {
            LocalAddressPorts ports = LocalAddressPortsTest.localAddress(table);
            List<Live> live = new ArrayList<>();
            int client = 0x0B000000;
            for (int step : steps) {
                if (step < 0) {
                    if (live.isEmpty()) continue;
                    Live ended = live.remove((-step - 1) % live.size());
                    assertTrue(table.removeNow(ended.held().conn()));
                    continue;
                }
                LocalAddressPortsTest.Held held = LocalAddressPortsTest.connect(table, ports, client++, SERVERS[step],
                        Ipv4.PROTO_TCP);
                assertNotNull(held, "a port toward server " + step);
                live.add(new Live(step, held));
            }
            Set<Long> taken = new HashSet<>();
            for (Live l : live) {
                assertTrue(taken.add((long) l.server() << 16 | l.held().port()),
                        "port " + l.held().port() + " held twice toward server " + l.server());
                assertEquals(l.held().conn(), ports.connection(Ipv4.PROTO_TCP, l.held().port(), 0, SERVERS[l.server()],
                        LocalAddressPortsTest.RS_PORT, table));
            }
        }
    }
}
