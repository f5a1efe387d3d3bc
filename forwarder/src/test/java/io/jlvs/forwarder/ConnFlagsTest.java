package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionEvents;
import io.jlvs.connections.ConnectionParam;
import io.jlvs.connections.ConnectionTable;
import io.jlvs.connections.ConnectionView;
import io.jlvs.packets.FlowDescription;
import io.jlvs.packets.Ipv4;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConnFlagsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aStaleOrMissingConnectionHasNoForwardingMethod() {
        try (ConnectionTable t = new ConnectionTable(4, ConnectionEvents.NONE)) {
            ConnectionParam key = new ConnectionParam().protocol(Ipv4.PROTO_UDP)
                    .client(0, FlowDescription.mappedLo(0x0A000001), 5353)
                    .virtual(0, FlowDescription.mappedLo(0xC0000201), 53)
                    .real(0, FlowDescription.mappedLo(0xAC100001), 53)
                    .binding(1, 0, ConnFlags.ROUTE);
            ConnectionView entry = new ConnectionView();
            assertEquals(ConnFlags.NO_METHOD, ConnFlags.method(entry), "a view that never held a connection");
            long h = t.create(key, 0, entry);
            assertEquals(ConnFlags.ROUTE, ConnFlags.method(entry));
            assertEquals(1, t.expire(400 * S), "the UDP entry timed out");

            assertFalse(t.read(h, entry, 400 * S), "the handle is stale");
            assertEquals(ConnFlags.NO_METHOD, ConnFlags.method(entry));
            assertEquals(-1, t.lookup(key, ConnectionTable.DIR_INPUT, entry));
            int method = ConnFlags.method(entry);
            assertEquals(ConnFlags.NO_METHOD, method);
            for (int real : new int[] {ConnFlags.MASQ, ConnFlags.LOCAL, ConnFlags.TUNNEL, ConnFlags.ROUTE}) {
                assertNotEquals(real, method, "an invalid view decodes to no forwarding method");
            }
        }
    }
}
