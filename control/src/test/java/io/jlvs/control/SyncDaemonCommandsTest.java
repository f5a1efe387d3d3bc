package io.jlvs.control;

import io.jlvs.control.command.AdmCommand;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.control.protocol.ControlReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --start-daemon, --stop-daemon and -L --daemon through the executor, with ipvsadm's output and errors. */
class SyncDaemonCommandsTest {
    /** Sync daemons kept in memory, one per role, refused as the kernel refuses them. */
    static final class InMemoryDaemons implements ClusterOperations {
        final Map<String, ControlReply.SyncDaemonRow> running = new LinkedHashMap<>();

        @Override public List<ServiceHealth> status() { return List.of(); }
        @Override public void drain(ServiceKey s, long hi, long lo, int p) {}
        @Override public void undrain(ServiceKey s, long hi, long lo, int p) {}
        @Override public List<String> reload() { return List.of(); }

        @Override
        public void startSyncDaemon(AdmCommand.StartDaemon d) throws AdmException {
            if (running.containsKey(d.state())) throw AdmException.refused("Daemon has already run");
            running.put(d.state(), new ControlReply.SyncDaemonRow(d.state(), d.multicastInterface(), d.syncId(),
                    d.maxLength() > 0 ? d.maxLength() : 1472, d.group() != null ? d.group() : "224.0.0.81", d.port(),
                    d.ttl()));
        }

        @Override
        public void stopSyncDaemon(String state) throws AdmException {
            if (running.remove(state) == null) throw AdmException.refused("No daemon is running");
        }

        @Override
        public List<ControlReply.SyncDaemonRow> syncDaemons() { return List.copyOf(running.values()); }
    }

    final AdmHarness h = new AdmHarness();

    @BeforeEach
    void daemons() {
        h.executor.setOperations(new InMemoryDaemons());
    }

    @Test
    void startListAndStopWithIpvsadmsLayoutAndErrors() {
        h.ok("--start-daemon master --mcast-interface eth0 --syncid 7");
        h.ok("--start-daemon backup --mcast-interface eth1 --syncid 7 --sync-maxlen 1400 --mcast-group 224.0.0.82 "
                + "--mcast-port 8849 --mcast-ttl 2");
        h.ok("-L --daemon");
        assertEquals("""
                master sync daemon (mcast=eth0, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)
                backup sync daemon (mcast=eth1, syncid=7, maxlen=1400, group=224.0.0.82, port=8849, ttl=2)
                """, h.out);
        assertEquals(255, h.run("--start-daemon master --mcast-interface eth0"));
        assertEquals("Daemon has already run\n", h.err);
        h.ok("--stop-daemon master");
        assertEquals(255, h.run("--stop-daemon master"));
        assertEquals("No daemon is running\n", h.err);
        h.ok("-L --daemon");
        assertEquals("backup sync daemon (mcast=eth1, syncid=7, maxlen=1400, group=224.0.0.82, port=8849, ttl=2)\n",
                h.out);
    }
}
