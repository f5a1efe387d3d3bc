package io.jlvs.schedulers;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulerRegistryTest {
    @Test
    void everyIpvsadmNameCreatesTheSchedulerOfThatName() {
        assertEquals(Set.of("rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "lblc", "lblcr", "dh", "sh", "mh", "twos"),
                SchedulerRegistry.names());
        for (String name : SchedulerRegistry.names()) assertEquals(name, SchedulerRegistry.create(name).name());
    }

    @Test
    void unknownNameSaysSchedulerNotFound() {
        var e = assertThrows(IllegalArgumentException.class, () -> SchedulerRegistry.create("xyz"));
        assertEquals("Scheduler not found", e.getMessage());
    }

    @Test
    void flagsMapToTheKernelsBitsWhateverTheirSpelling() {
        assertEquals("sh-fallback,sh-port", SchedulerRegistry.create("sh", Set.of("flag-1", "flag-2"), Map.of()).flagsText());
        assertEquals("mh-fallback", SchedulerRegistry.create("mh", Set.of("sh-fallback"), Map.of()).flagsText());
        assertThrows(IllegalArgumentException.class, () -> SchedulerRegistry.create("sh", Set.of("bogus"), Map.of()));
    }
}
