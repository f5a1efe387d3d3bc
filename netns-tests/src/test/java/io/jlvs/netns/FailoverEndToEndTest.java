package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two jlvs directors in one VRRP sync group with the connection sync following it, three real servers, long-lived
 * TCP streams and a steady stream of new connections: SIGKILL of the master makes the backup MASTER within
 * 3 x advert_int + skew, every stream continues with every byte echoed back, and new connections are served after
 * the takeover; the killed director started again resyncs the table, preempts, and the streams survive that move
 * too. NAT (the servers' gateway is the inside instance's address) and DR.
 */
class FailoverEndToEndTest {
    static final int PORT = 80;
    static final Duration START = Duration.ofSeconds(120);
    /** advert_int 1 at priority 100: 3 x 1 s + (256 - 100) / 256 s. */
    static final long MASTER_DOWN_MILLIS = VrrpWatch.masterDownMillis(2, 100, 100);

    @Test
    void natStreamsSurviveAFailoverAndTheReturnOfTheMaster() throws Exception {
        try (FailoverTopology topology = FailoverTopology.nat("jlvsfon", 3)) {
            failOverAndBack(topology, "nat");
        }
    }

    @Test
    void drStreamsSurviveAFailoverAndTheReturnOfTheMaster() throws Exception {
        try (FailoverTopology topology = FailoverTopology.dr("jlvsfod", 3)) {
            failOverAndBack(topology, "dr");
        }
    }

    private static void failOverAndBack(FailoverTopology topology, String mode) throws Exception {
        List<BackgroundProcess> servers = new ArrayList<>();
        for (int k = 1; k <= topology.serverCount(); k++) {
            servers.add(ServerLauncher.startJava(topology.processes(), topology.serverNamespace(k), "rs" + k + "-http",
                    HttpIdentityServer.class, "rs" + k, Integer.toString(PORT), "8"));
        }
        servers.forEach(p -> p.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60)));
        List<JlvsDirector> pair = ConcurrentStarts.all(List.of(() -> start(topology, 1, 150, mode),
                () -> start(topology, 2, 100, mode)));
        JlvsDirector first = pair.get(0), second = pair.get(1);
        try {
            VrrpWatch.awaitState(first, "VI_OUT", "MASTER", Duration.ofSeconds(20));
            VrrpWatch.awaitState(second, "VI_OUT", "BACKUP", Duration.ofSeconds(20));
            List<SlowUpload> streams = new ArrayList<>();
            for (int i = 1; i <= 3; i++) streams.add(SlowUpload.start(topology.clientSeat(), "stream-" + i, PORT));
            RequestLoop load = RequestLoop.start(topology.clientSeat(), "load", PORT);
            load.awaitMoreBatches(2);
            JlvsDirector master = first;
            Conditions.await("the streams synced to the backup", Duration.ofSeconds(20),
                    () -> established(second) >= 3 && established(master) >= 3);

            long killedAt = System.currentTimeMillis();
            first.kill();
            long tookOver = VrrpWatch.awaitTransition(second, "VI_OUT", "MASTER", killedAt, Duration.ofSeconds(20));
            assertTrue(tookOver - killedAt <= MASTER_DOWN_MILLIS + VrrpWatch.LOG_SLACK_MILLIS,
                    "MASTER " + (tookOver - killedAt) + " ms after the kill; bound " + MASTER_DOWN_MILLIS + " ms");
            RequestLoop.Outcome afterTakeover = load.awaitMoreBatches(1);
            RequestLoop.Outcome later = load.awaitMoreBatches(2);
            assertEquals(0, later.failuresSince(afterTakeover), "new connections after the takeover: " + later);

            long restartedAt = System.currentTimeMillis();
            first = first.startAgain(2, START);
            VrrpWatch.awaitTransition(first, "VI_OUT", "MASTER", restartedAt, Duration.ofSeconds(40));
            VrrpWatch.awaitState(second, "VI_OUT", "BACKUP", Duration.ofSeconds(20));
            RequestLoop.Outcome afterReturn = load.awaitMoreBatches(1);
            RequestLoop.Outcome end = load.awaitMoreBatches(2);
            assertEquals(0, end.failuresSince(afterReturn), "new connections after the preemption: " + end);
            load.finish();
            SlowUpload.finishAll(streams, Duration.ofSeconds(60));
        } finally {
            second.close();
            first.close();
        }
    }

    private static JlvsDirector start(FailoverTopology topology, int d, int priority, String mode) throws IOException {
        Path config = topology.processes().logDirectory().resolve("keepalived-d" + d + ".conf");
        Files.writeString(config, config(topology, priority, mode));
        return JlvsDirector.start(topology.seat(d), mode, "afpacket", START, List.of("--config", config.toString()));
    }

    static String config(FailoverTopology topology, int priority, String mode) {
        boolean nat = topology.kind() == LvsTopology.Kind.NAT;
        StringBuilder c = new StringBuilder();
        c.append("global_defs {\n    router_id jlvs-").append(priority).append("\n    lvs_sync_daemon lan0 VI_OUT id 7\n}\n");
        if (nat) {
            c.append("vrrp_sync_group G {\n    group {\n        VI_OUT\n        VI_IN\n    }\n}\n");
        }
        c.append(instance("VI_OUT", "lan0", 51, priority, topology.vip() + "/24"));
        if (nat) c.append(instance("VI_IN", "srv0", 52, priority, FailoverTopology.NAT_GATEWAY + "/24"));
        c.append("virtual_server ").append(topology.vip()).append(' ').append(PORT).append(" {\n")
                .append("    delay_loop 2\n    lb_algo rr\n    lb_kind ").append(nat ? "NAT" : "DR")
                .append("\n    protocol TCP\n");
        for (String server : topology.serverAddresses()) {
            c.append("    real_server ").append(server).append(' ').append(PORT).append(" {\n        weight 1\n")
                    .append("        TCP_CHECK {\n            connect_timeout 1\n        }\n    }\n");
        }
        return c.append("}\n").toString();
    }

    private static String instance(String name, String iface, int vrid, int priority, String address) {
        return "vrrp_instance " + name + " {\n    state BACKUP\n    interface " + iface + "\n    virtual_router_id "
                + vrid + "\n    priority " + priority + "\n    advert_int 1\n    virtual_ipaddress {\n        "
                + address + " dev " + iface + "\n    }\n}\n";
    }

    /** ESTABLISHED entries of jlvsadm -L -n -c. */
    private static long established(JlvsDirector director) {
        try {
            return director.admOrThrow("-L", "-n", "-c").lines().filter(l -> l.contains(" ESTABLISHED ")).count();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException(e.getMessage()));
        }
    }
}
