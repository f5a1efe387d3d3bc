package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ipvsadm's sync daemon commands between two jlvs daemons: the master's connections appear in the backup's table
 * with their state and real server, -L --daemon shows both in ipvsadm's layout, and --stop-daemon stops them.
 */
class SyncDaemonCommandsEndToEndTest {
    static final Duration START = Duration.ofSeconds(120);
    static final String BACKUP_CONSOLE = "127.0.0.1:9183";

    @Test
    void theBackupStartedByJlvsadmHoldsTheMastersConnections() {
        try (FailoverTopology topology = FailoverTopology.dr("jlvssd", 2)) {
            for (int k = 1; k <= 2; k++) {
                BackgroundProcess server = ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k),
                        "rs" + k, HttpIdentityServer.class, "rs" + k, "80");
                server.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
            }
            JlvsDirector master = JlvsDirector.start(topology.seat(1), "dr", "afpacket", START, List.of());
            JlvsDirector backup = JlvsDirector.start(topology.seat(2), "dr", "afpacket", START,
                    List.of("--http", BACKUP_CONSOLE));
            try {
                master.addServiceWithAllServers("-t", 80, "rr", "-g");
                backup.addServiceWithAllServers("-t", 80, "rr", "-g");
                // Both directors answer ARP for the VIP without VRRP: the client is pointed at the master.
                String mac = topology.network().macAddress(topology.directorNamespace(1), "lan0");
                topology.network().check(topology.clientNamespace(), "ip", "neigh", "replace", topology.vip(),
                        "lladdr", mac, "dev", "eth0", "nud", "permanent");
                master.admOrThrow("--start-daemon", "master", "--mcast-interface", "lan0", "--syncid", "9");
                backup.admOrThrow("--start-daemon", "backup", "--mcast-interface", "lan0", "--syncid", "9");
                assertEquals("master sync daemon (mcast=lan0, syncid=9, maxlen=1472, group=224.0.0.81, port=8848, "
                        + "ttl=1)\n", master.admOrThrow("-L", "--daemon"));
                CommandResult again = master.adm("--start-daemon", "master", "--mcast-interface", "lan0");
                assertEquals(255, again.exitCode());
                assertEquals("Daemon has already run\n", again.stderr());

                ClientRequests.Batch batch = ClientRequests.get(topology.clientSeat(), 80, 6);
                assertEquals(6, batch.replies().size(), batch.describe());
                Set<String> onMaster = flows(master);
                assertEquals(6, onMaster.size(), onMaster.toString());
                Conditions.await("the master's connections in the backup's table", Duration.ofSeconds(10),
                        () -> flows(backup).containsAll(onMaster));
                long created = importedConnections(topology, "created");
                assertTrue(created >= 6, "the backup's metrics count the connections it learnt: " + created);
                assertEquals(0, importedConnections(topology, "no_service"), "none refused");

                backup.admOrThrow("--stop-daemon", "backup");
                assertEquals("", backup.admOrThrow("-L", "--daemon"));
                CommandResult none = backup.adm("--stop-daemon", "backup");
                assertEquals("No daemon is running\n", none.stderr());
                assertTrue(master.admOrThrow("-L", "--daemon").startsWith("master sync daemon"));
            } finally {
                backup.close();
                master.close();
            }
        }
    }

    /** "client -> real" of every entry of jlvsadm -L -n -c, whatever its state. */
    private static Set<String> flows(JlvsDirector director) {
        Set<String> flows = new TreeSet<>();
        for (String line : director.admOrThrow("-L", "-n", "-c").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && f[0].equals("TCP")) flows.add(f[3] + " -> " + f[5]);
        }
        return flows;
    }

    /** jlvs_sync_imported_connections_total{result} from the backup's /metrics. */
    private static long importedConnections(FailoverTopology topology, String result) {
        String metrics = topology.processes().run(topology.directorNamespace(2), List.of("curl", "-s", "--max-time",
                "10", "http://" + BACKUP_CONSOLE + "/metrics"), Duration.ofSeconds(15)).stdoutOrThrow();
        String prefix = "jlvs_sync_imported_connections_total{result=\"" + result + "\"} ";
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) return (long) Double.parseDouble(line.substring(prefix.length()));
        }
        throw new AssertionError("no " + prefix + "in the backup's metrics:\n" + metrics);
    }
}
