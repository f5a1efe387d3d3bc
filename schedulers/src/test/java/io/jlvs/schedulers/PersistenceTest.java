package io.jlvs.schedulers;

import static io.jlvs.schedulers.TestFlows.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PersistenceTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final List<Destination> list = servers(1, 1, 1);
    private final ServiceScheduler service = new ServiceScheduler(SchedulerRegistry.create("rr"));

    PersistenceTest() {
        service.setServers(list);
        service.setPersistence(300, -1L, PersistenceTemplates.v4MaskLo(24), false);
    }

    @Test
    void clientStaysOnItsServerWhileTheTemplateLives() {
        FlowDescription client = tcp("10.0.0.5", 40000, "192.0.2.1", 80);
        Destination first = service.schedule(client, 0);
        assertSame(list.get(0), first);
        for (int i = 1; i <= 10; i++) {
            client.srcPort = 40000 + i;
            assertSame(first, service.schedule(client, i * 29 * SECOND), "rr alone would rotate");
        }
        assertEquals(1, first.persistConns());
        assertSame(first, service.schedule(tcp("10.0.0.77", 1, "192.0.2.1", 80), 300 * SECOND),
                "same /24, and each use restarted the 300 s timer");
    }

    @Test
    void clientMovesAfterTheTemplateExpires() {
        FlowDescription client = tcp("10.0.0.5", 40000, "192.0.2.1", 80);
        Destination first = service.schedule(client, 0);
        Destination later = service.schedule(client, 300 * SECOND);
        assertNotSame(first, later, "expired: rr picks the next server");
        assertEquals(0, first.persistConns());
        assertEquals(1, later.persistConns());
    }

    @Test
    void expireDropsOldTemplatesAndTheirCounts() {
        service.schedule(tcp("10.0.0.5", 1, "192.0.2.1", 80), 0);
        service.schedule(tcp("10.0.1.5", 1, "192.0.2.1", 80), 100 * SECOND);
        assertEquals(2, service.templates().size());
        assertEquals(1, service.expire(301 * SECOND));
        assertEquals(1, service.templates().size());
        assertEquals(0, list.get(0).persistConns());
        assertEquals(1, list.get(1).persistConns());
    }

    @Test
    void clientMovesWhenItsServerIsRemoved() {
        FlowDescription client = tcp("10.0.0.5", 40000, "192.0.2.1", 80);
        Destination first = service.schedule(client, 0);
        service.setServers(List.of(list.get(1), list.get(2)));
        assertFalse(first.available());
        Destination next = service.schedule(client, SECOND);
        assertNotSame(first, next);
        assertEquals(0, first.persistConns());
    }

    @Test
    void quiescentServerKeepsClientsUnlessExpireQuiescentTemplateIsOn() {
        FlowDescription client = tcp("10.0.0.5", 40000, "192.0.2.1", 80);
        Destination first = service.schedule(client, 0);
        first.setWeight(0);
        assertSame(first, service.schedule(client, SECOND), "drain keeps persistent clients by default");
        service.setExpireQuiescentTemplate(true);
        assertNotSame(first, service.schedule(client, 2 * SECOND));
    }

    @Test
    void overloadedServerKeepsItsPersistentClients() {
        FlowDescription client = tcp("10.0.0.5", 40000, "192.0.2.1", 80);
        Destination first = service.schedule(client, 0);
        first.setUpperThreshold(1);
        first.addActive(1);
        assertTrue(first.overloaded());
        assertSame(first, service.schedule(client, SECOND));
    }

    @Test
    void templatesIncludeTheVirtualPortUnlessPortZeroOrFwmark() {
        Destination toHttp = service.schedule(tcp("10.0.0.5", 1, "192.0.2.1", 80), 0);
        Destination toHttps = service.schedule(tcp("10.0.0.5", 1, "192.0.2.1", 443), 0);
        assertNotSame(toHttp, toHttps, "one template per virtual port");

        ServiceScheduler fwmark = new ServiceScheduler(SchedulerRegistry.create("rr"));
        fwmark.setServers(servers(1, 1));
        fwmark.setPersistence(300, -1L, PersistenceTemplates.v4MaskLo(32), true);
        Destination a = fwmark.schedule(tcp("10.0.0.5", 1, "192.0.2.1", 80), 0);
        assertSame(a, fwmark.schedule(tcp("10.0.0.5", 1, "192.0.2.1", 443), 0), "port-0/fwmark: one template per client");
        assertNotSame(a, fwmark.schedule(tcp("10.0.0.6", 1, "192.0.2.1", 443), 0), "mask /32: another client");
    }

    @Test
    void ipv6ClientsAreMaskedByPrefix() {
        service.setPersistence(300, PersistenceTemplates.v6MaskHi(64), PersistenceTemplates.v6MaskLo(64), true);
        FlowDescription a = tcp("0.0.0.0", 1, "192.0.2.1", 80);
        a.srcHi = 0x2001_0db8_0000_0001L;
        a.srcLo = 0x1111;
        Destination first = service.schedule(a, 0);
        a.srcLo = 0x2222;
        assertSame(first, service.schedule(a, 0), "same /64");
        a.srcHi = 0x2001_0db8_0000_0002L;
        assertNotSame(first, service.schedule(a, 0), "another /64");
    }

    @Test
    void turningPersistenceOffDropsTemplates() {
        service.schedule(tcp("10.0.0.5", 1, "192.0.2.1", 80), 0);
        service.setPersistence(0, -1L, -1L, false);
        assertEquals(0, service.templates().size());
        assertEquals(0, list.get(0).persistConns());
    }
}
