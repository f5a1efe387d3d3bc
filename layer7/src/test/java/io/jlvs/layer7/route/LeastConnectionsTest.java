package io.jlvs.layer7.route;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The least-loaded choice, and a keep-alive client's own connection not counted against its server. */
class LeastConnectionsTest {
    private static Backend backend(int port, int active) {
        Backend b = new Backend(new InetSocketAddress("127.0.0.1", port), 1);
        for (int i = 0; i < active; i++) b.opened();
        return b;
    }

    @Test
    void theKeptServerStaysWhileNoOtherIsLessLoadedWithoutItsOwnConnection() {
        Backend kept = backend(1, 1), other = backend(2, 0);
        List<Backend> both = List.of(kept, other);
        assertSame(other, LeastConnections.pick(both), "a new client goes to the idle server");
        assertSame(kept, LeastConnections.pick(both, kept), "the client holding the connection stays");
        kept.opened();   // another client's connection too: now the other server is less loaded
        assertSame(other, LeastConnections.pick(both, kept));
    }
}
