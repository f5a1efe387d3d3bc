package io.jlvs.platform.packetio;

import io.jlvs.platform.testkit.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;

import static io.jlvs.platform.packetio.VethNamespaces.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue counts AF_XDP workers are checked against, read from veths of one namespace: q2a/q2b with two queues
 * each way, q31a with three receive queues and one transmit queue, q1a/q1b made without counts, and a bridge,
 * whose driver reports no channels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class InterfaceQueuesTest {
    private final String ns = "jlvsxq-" + ProcessHandle.current().pid() + "-queues";

    @BeforeAll
    void createNamespace() throws IOException {
        try {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "add", "q2a", "numtxqueues", "2", "numrxqueues", "2", "type", "veth",
                    "peer", "name", "q2b", "numtxqueues", "2", "numrxqueues", "2");
            run("ip", "-n", ns, "link", "add", "q31a", "numtxqueues", "1", "numrxqueues", "3", "type", "veth",
                    "peer", "name", "q31b");
            run("ip", "-n", ns, "link", "add", "q1a", "type", "veth", "peer", "name", "q1b");
            run("ip", "-n", ns, "link", "add", "qbr", "type", "bridge");
        } catch (IOException | RuntimeException e) {
            removeNamespace();
            throw e;
        }
    }

    @AfterAll
    void removeNamespace() {
        try {
            run("ip", "netns", "del", ns);
        } catch (IOException ignored) {
            // not created
        }
    }

    @Test
    void aVethReportsTheQueuesItWasMadeWithInEachDirectionAndOneEachByDefault() throws Exception {
        assertEquals(new InterfaceQueues(2, 2), NetNs.callIn(ns, () -> InterfaceQueues.query("q2a")));
        assertEquals(new InterfaceQueues(3, 1), NetNs.callIn(ns, () -> InterfaceQueues.query("q31a")));
        assertEquals(new InterfaceQueues(1, 1), NetNs.callIn(ns, () -> InterfaceQueues.query("q1a")));
    }

    @Test
    void anInterfaceWithoutChannelsReportsNone() throws Exception {
        assertNull(NetNs.callIn(ns, () -> InterfaceQueues.query("qbr")));
    }

    @Test
    void asManyWorkersAsQueuesEachWayPassAndOneMoreIsRefusedNamingTheCounts() throws Exception {
        NetNs.callIn(ns, () -> {
            AfXdpPort.requireQueues(List.of("q2a", "q2b"), 2);
            return null;
        });

        IOException tooMany = assertThrows(IOException.class,
                () -> NetNs.callIn(ns, () -> {
                    AfXdpPort.requireQueues(List.of("q2a", "q31a"), 2);
                    return null;
                }));
        assertTrue(tooMany.getMessage().contains("q31a has 3 receive and 1 transmit queue(s)"), tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("use at most 1"), tooMany.getMessage());
    }
}
