package io.jlvs.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jlvs.control.ConfigChanges;
import io.jlvs.schedulers.SchedulerRegistry;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The control language accepts exactly the schedulers the data plane can create, though neither module sees the other. */
class SchedulerNamesTest {
    @Test
    void theControlPlaneAcceptsExactlyTheRegisteredSchedulers() {
        Set<String> accepted = new TreeSet<>(ConfigChanges.SCHEDULERS);
        assertEquals(SchedulerRegistry.names(), accepted);
    }
}
