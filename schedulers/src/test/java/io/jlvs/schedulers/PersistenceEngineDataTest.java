package io.jlvs.schedulers;

import static io.jlvs.schedulers.TestFlows.*;
import static org.junit.jupiter.api.Assertions.*;

import io.jlvs.packets.FlowDescription;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Templates keyed by a persistence engine's data too (--pe sip: the Call-ID), as the kernel's ct_match compares it. */
class PersistenceEngineDataTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final List<Destination> list = servers(1, 1, 1);
    private final ServiceScheduler service = new ServiceScheduler(SchedulerRegistry.create("rr"));
    private final FlowDescription client = tcp("10.0.0.5", 5060, "192.0.2.1", 5060);

    PersistenceEngineDataTest() {
        service.setServers(list);
        service.setPersistence(60, -1L, PersistenceTemplates.v4MaskLo(32), false);
    }

    private Destination schedule(String callId, long now) {
        byte[] buffer = new byte[255];
        byte[] id = callId.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, buffer, 0, id.length);
        Arrays.fill(buffer, id.length, buffer.length, (byte) 'x'); // bytes past the length must not count
        return service.schedule(client, buffer, id.length, now);
    }

    @Test
    void oneCallStaysOnOneServerAndAnotherCallFromTheSameClientIsScheduledApart() {
        Destination callA = schedule("a84b4c76e66710@pc33.atlanta.com", 0);
        Destination callB = schedule("f81d4fae-7dec-11d0", SECOND);
        assertNotSame(callA, callB, "a new Call-ID is a new template: rr moves on");
        for (int i = 2; i < 10; i++) {
            assertSame(callA, schedule("a84b4c76e66710@pc33.atlanta.com", i * SECOND));
            assertSame(callB, schedule("f81d4fae-7dec-11d0", i * SECOND));
        }
        assertEquals(2, service.templates().size());
        assertEquals(1, callA.persistConns());
    }

    @Test
    void callIdsThatDifferOnlyInLengthAreDifferentCalls() {
        Destination shorter = schedule("abc", 0);
        Destination longer = schedule("abcd", 0);
        assertNotSame(shorter, longer);
    }

    @Test
    void templatesCarryTheCallIdForListings() {
        schedule("call-1@host", 0);
        PersistenceTemplate t = service.templates().list().get(0);
        assertEquals("call-1@host", t.peData());
        assertEquals(5060, t.virtualPort());
    }

    @Test
    void withoutEngineDataTheKeyIsTheClientAlone() {
        Destination first = service.schedule(client, 0);
        assertSame(first, service.schedule(client, SECOND));
        assertEquals("", service.templates().list().get(0).peData());
        assertNotSame(first, schedule("some-call", SECOND), "a Call-ID template is not the client's plain template");
    }
}
