package io.jlvs.schedulers;

import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import org.junit.jupiter.api.Test;

class DestinationOverloadTest {
    private final Destination server = TestFlows.server("172.16.0.1", 80, 1);

    @Test
    void reachingUpperThresholdSetsOverload() {
        server.setUpperThreshold(10);
        for (int i = 0; i < 9; i++) server.addActive(1);
        assertFalse(server.overloaded(), "9 of 10");
        server.addInactive(1);
        assertTrue(server.overloaded(), "active + inactive = 10 reaches the upper threshold");
    }

    @Test
    void withoutLowerThresholdClearsBelowThreeQuartersOfUpper() {
        server.setUpperThreshold(12);
        for (int i = 0; i < 12; i++) server.addActive(1);
        assertTrue(server.overloaded());
        for (int total = 11; total >= 9; total--) {
            server.addActive(-1);
            assertTrue(server.overloaded(), "still overloaded at " + total + " (9*4 = 36 is not < 36)");
        }
        server.addActive(-1);
        assertFalse(server.overloaded(), "8*4 < 12*3 clears");
    }

    @Test
    void lowerThresholdClearsBelowIt() {
        server.setUpperThreshold(10);
        server.setLowerThreshold(4);
        for (int i = 0; i < 10; i++) server.addInactive(1);
        assertTrue(server.overloaded());
        for (int i = 0; i < 6; i++) server.addInactive(-1);
        assertTrue(server.overloaded(), "total 4 is not below the lower threshold 4");
        server.addInactive(-1);
        assertFalse(server.overloaded(), "total 3 < 4 clears");
    }

    @Test
    void noThresholdNeverOverloads() {
        for (int i = 0; i < 100_000; i++) server.addActive(1);
        assertFalse(server.overloaded());
    }

    @Test
    void persistentTemplatesReevaluateButDoNotCountTowardsTotal() {
        server.setUpperThreshold(2);
        server.addPersistent(1);
        server.addPersistent(1);
        assertFalse(server.overloaded(), "templates are not part of active + inactive");
        assertEquals(2, server.persistConns());
    }

    @Test
    void raisingOrRemovingUpperThresholdClearsOverload() {
        server.setUpperThreshold(2);
        server.addActive(2);
        assertTrue(server.overloaded());
        server.setUpperThreshold(2);
        assertTrue(server.overloaded(), "the same limit keeps the flag");
        server.setUpperThreshold(3);
        assertFalse(server.overloaded(), "a higher limit clears it");
        server.setUpperThreshold(1);
        server.addActive(1);
        assertTrue(server.overloaded());
        server.setUpperThreshold(0);
        assertFalse(server.overloaded(), "no limit clears it");
    }

    @Test
    void stateChangeAtTheThresholdDoesNotSetOverload() {
        server.setUpperThreshold(3);
        server.addConnections(0, 2);
        server.addConnections(1, -1);   // inactive -> active: total stays 2
        assertFalse(server.overloaded(), "a transient total of 3 must not count");
        assertEquals(1, server.activeConns());
        server.addConnections(0, 1);    // a new connection: total 3
        assertTrue(server.overloaded());
        server.addConnections(-1, 1);   // active -> inactive: total stays 3
        assertTrue(server.overloaded(), "a state change does not clear it either");
    }

    @Test
    void stateChangeBetweenActiveAndInactiveKeepsTotals() {
        server.addInactive(1);
        server.moveInactiveToActive();
        assertEquals(1, server.activeConns());
        assertEquals(0, server.inactiveConns());
        assertEquals(256, server.overhead());
    }

    @Test
    void weightOutsideRangeIsRejectedAndZeroKeepsLastWeight() {
        assertThrows(IllegalArgumentException.class, () -> server.setWeight(65536));
        assertThrows(IllegalArgumentException.class, () -> server.setWeight(-1));
        server.setWeight(7);
        server.setWeight(0);
        assertEquals(0, server.weight());
        assertEquals(7, server.lastWeight());
        assertFalse(server.acceptsNewConnections());
        assertTrue(server.available(), "quiescent is still available in the kernel's sense");
    }

    @Test
    void idsAreDenseAndReusedAfterRetire() {
        DestinationIds ids = new DestinationIds();
        Destination a = new Destination(ids, 0, FlowDescription.mappedLo(0xAC100901), 80, 1);
        Destination b = new Destination(ids, 0, FlowDescription.mappedLo(0xAC100902), 80, 1);
        assertEquals(0, a.id(), "ids start at 0 in each allocator");
        assertEquals(1, b.id());
        assertSame(a, ids.lookup(0));
        assertSame(b, ids.lookup(1));
        a.retire();
        assertNull(ids.lookup(0));
        assertEquals(1, ids.size());
        Destination c = new Destination(ids, 0, FlowDescription.mappedLo(0xAC100903), 80, 1);
        assertEquals(0, c.id(), "the lowest free id is reused");
        assertSame(c, ids.lookup(0));
        a.retire();
        assertSame(c, ids.lookup(0), "retiring twice does not release the id's new owner");
        Destination elsewhere = new Destination(new DestinationIds(), 0, FlowDescription.mappedLo(0xAC100904), 80, 1);
        assertEquals(0, elsewhere.id(), "another allocator (another data plane) has its own ids");
        assertSame(c, ids.lookup(0));
    }
}
