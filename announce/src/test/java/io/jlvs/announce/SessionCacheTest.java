package io.jlvs.announce;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SessionCacheTest {
    /** A routing daemon that counts the questions and answers "uplink up N" (or fails while failing is set). */
    static final class CountingDaemon implements RoutingDaemon {
        final AtomicInteger asked = new AtomicInteger();
        volatile boolean failing;

        @Override
        public String name() { return "bird"; }

        @Override
        public void reconfigure() {}

        @Override
        public List<String> sessions() throws IOException {
            int n = asked.incrementAndGet();
            if (failing) throw new IOException("birdc: no socket");
            return List.of("uplink BGP --- up " + n);
        }
    }

    @Test
    void sessionsAreAskedForOncePerTtlAndAgainAfterItOrAReconfiguration() throws IOException {
        CountingDaemon daemon = new CountingDaemon();
        AtomicLong clock = new AtomicLong();
        SessionCache cache = new SessionCache(daemon, Duration.ofSeconds(1), clock::get);
        for (int i = 0; i < 50; i++) assertEquals(List.of("uplink BGP --- up 1"), cache.sessions());
        assertEquals(1, daemon.asked.get(), "fifty calls within the TTL ask once");
        clock.addAndGet(999_000_000L);
        assertEquals(List.of("uplink BGP --- up 1"), cache.sessions());
        clock.addAndGet(1_000_000L);
        assertEquals(List.of("uplink BGP --- up 2"), cache.sessions(), "asked again once the TTL is over");
        cache.reconfigure();
        assertEquals(List.of("uplink BGP --- up 3"), cache.sessions(), "asked again after a reconfiguration");
        assertEquals(3, daemon.asked.get());
    }

    @Test
    void aFailureIsKeptForTheTtlToo() throws IOException {
        CountingDaemon daemon = new CountingDaemon();
        AtomicLong clock = new AtomicLong();
        SessionCache cache = new SessionCache(daemon, Duration.ofSeconds(1), clock::get);
        daemon.failing = true;
        assertEquals("birdc: no socket", assertThrows(IOException.class, cache::sessions).getMessage());
        assertThrows(IOException.class, cache::sessions);
        assertEquals(1, daemon.asked.get(), "a failing BIRD is not asked on every call");
        daemon.failing = false;
        clock.addAndGet(1_000_000_000L);
        assertEquals(List.of("uplink BGP --- up 2"), cache.sessions());
    }
}
