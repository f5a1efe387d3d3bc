package io.jlvs.connections;

import io.jlvs.packets.Ipv4;
import org.junit.jupiter.api.Test;

import static io.jlvs.connections.TestAddresses.v4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionRestoreTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long NOW = 1_000 * SECOND;

    private static ConnectionParam flow(int proto, int clientPort) {
        return new ConnectionParam().protocol(proto).client(0, v4(10, 0, 0, 1), clientPort)
                .virtual(0, v4(10, 0, 0, 100), 80).real(0, v4(192, 168, 1, 2), 80).binding(1, 2, 0);
    }

    @Test
    void restoreCreatesInTheGivenStateWithTheGivenDeadlineAndRefusesADuplicate() {
        CountingEvents events = new CountingEvents(4);
        try (ConnectionTable table = new ConnectionTable(1024, events)) {
            long h = table.restore(flow(Ipv4.PROTO_TCP, 1), TcpState.ESTABLISHED, NOW + 42 * SECOND);
            assertTrue(h >= 0);
            assertEquals(TcpState.ESTABLISHED, table.state(h));
            assertEquals(NOW + 42 * SECOND, table.expiresAtNanos(h));
            assertEquals(1, events.totalActive());
            assertEquals(ConnectionTable.EXISTS, table.restore(flow(Ipv4.PROTO_TCP, 1), TcpState.FIN_WAIT, NOW));
            assertEquals(1, table.size());
        }
    }

    @Test
    void updateMovesStateCountsAndDeadlineAndAnEarlierDeadlineExpiresOnTime() {
        CountingEvents events = new CountingEvents(4);
        try (ConnectionTable table = new ConnectionTable(1024, events)) {
            long h = table.restore(flow(Ipv4.PROTO_TCP, 1), TcpState.ESTABLISHED, NOW + 900 * SECOND);
            table.expire(NOW); // filed at its 900 s deadline
            assertTrue(table.update(h, TcpState.FIN_WAIT, NOW + 5 * SECOND));
            assertEquals(TcpState.FIN_WAIT, table.state(h));
            assertEquals(0, events.totalActive());
            assertEquals(1, events.totalInactive());
            assertEquals(0, table.expire(NOW + 4 * SECOND));
            assertEquals(1, table.expire(NOW + 6 * SECOND), "refiled at the earlier deadline");
            assertFalse(table.update(h, TcpState.CLOSE, NOW), "stale handle");
        }
    }

    @Test
    void aFullTableAndABadStateAreTold() {
        try (ConnectionTable table = new ConnectionTable(1, null)) {
            assertTrue(table.restore(flow(Ipv4.PROTO_UDP, 1), 0, NOW + SECOND) >= 0);
            assertEquals(ConnectionTable.FULL, table.restore(flow(Ipv4.PROTO_UDP, 2), 0, NOW + SECOND));
            assertThrows(IllegalArgumentException.class,
                    () -> table.restore(flow(Ipv4.PROTO_UDP, 3), TcpState.ESTABLISHED, NOW));
        }
    }
}
