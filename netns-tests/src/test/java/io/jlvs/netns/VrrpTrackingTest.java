package io.jlvs.netns;

import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.JlvsDirector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two jlvs directors in one VRRP instance: a tracked interface going down puts the master in FAULT and the backup
 * takes the VIP; a failing track_script with a negative weight drops the master's priority below the backup's and
 * hands the VIP over; notify scripts run with keepalived's arguments at each step.
 */
class VrrpTrackingTest {
    static final Duration START = Duration.ofSeconds(120);
    static final Duration STATE = Duration.ofSeconds(20);

    @Test
    void trackedInterfacesAndScriptsMoveTheVipAndNotifyScriptsSayHow() throws Exception {
        try (FailoverTopology topology = FailoverTopology.dr("jlvsvt", 1)) {
            Path logs = topology.processes().logDirectory();
            // A veth pair inside the director (this kernel has no dummy interfaces): trk0 is the tracked one.
            topology.network().check(topology.directorNamespace(1), "ip", "link", "add", "trk0", "type", "veth",
                    "peer", "name", "trk1");
            topology.network().check(topology.directorNamespace(1), "ip", "link", "set", "trk1", "up");
            topology.network().check(topology.directorNamespace(1), "ip", "link", "set", "trk0", "up");
            Path healthy = logs.resolve("healthy");
            Files.writeString(healthy, "");
            Path notified = logs.resolve("notified");
            Path notify = logs.resolve("notify.sh");
            Files.writeString(notify, "#!/bin/sh\necho \"$1 $2 $3 $4\" >> " + notified + "\n");
            Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwx------"));
            String firstExtra = """
                        track_interface {
                            trk0
                        }
                        track_script {
                            chk_healthy
                        }
                        notify %s
                    """.formatted(notify);
            String firstScript = "vrrp_script chk_healthy {\n    script \"test -e " + healthy
                    + "\"\n    interval 1\n    weight -100\n    fall 1\n    rise 1\n}\n";
            List<JlvsDirector> pair = ConcurrentStarts.all(List.of(
                    () -> start(topology, 1, 150, firstExtra, firstScript), () -> start(topology, 2, 100, "", "")));
            JlvsDirector first = pair.get(0), second = pair.get(1);
            try {
                VrrpWatch.awaitState(first, "VI_1", "MASTER", STATE);
                VrrpWatch.awaitState(second, "VI_1", "BACKUP", STATE);

                topology.network().check(topology.directorNamespace(1), "ip", "link", "set", "trk0", "down");
                VrrpWatch.awaitState(first, "VI_1", "FAULT", STATE);
                VrrpWatch.awaitState(second, "VI_1", "MASTER", STATE);
                topology.network().check(topology.directorNamespace(1), "ip", "link", "set", "trk0", "up");
                VrrpWatch.awaitState(first, "VI_1", "MASTER", STATE);
                VrrpWatch.awaitState(second, "VI_1", "BACKUP", STATE);

                Files.delete(healthy); // the script fails: 150 - 100 = 50, below the backup's 100
                VrrpWatch.awaitState(second, "VI_1", "MASTER", STATE);
                VrrpWatch.awaitState(first, "VI_1", "BACKUP", STATE);
                String status = first.jlvs("status").stdout();
                assertTrue(status.contains("priority 50 (base 150)"), status);
                Files.writeString(healthy, "");
                VrrpWatch.awaitState(first, "VI_1", "MASTER", STATE);

                Conditions.await("notify lines", STATE, () -> lines(notified).size() >= 5);
                List<String> got = lines(notified);
                assertTrue(got.containsAll(List.of("INSTANCE VI_1 MASTER 150", "INSTANCE VI_1 FAULT 150",
                        "INSTANCE VI_1 BACKUP 50")), got.toString());
            } finally {
                second.close();
                first.close();
            }
        }
    }

    private static JlvsDirector start(FailoverTopology topology, int d, int priority, String instanceExtra,
                                      String topExtra) throws IOException {
        Path config = topology.processes().logDirectory().resolve("jlvs-d" + d + ".conf");
        Files.writeString(config, topExtra + "vrrp_instance VI_1 {\n    state BACKUP\n    interface lan0\n"
                + "    virtual_router_id 61\n    priority " + priority + "\n    advert_int 1\n"
                + "    virtual_ipaddress {\n        10.0.0.100/24 dev lan0\n    }\n" + instanceExtra + "}\n");
        return JlvsDirector.start(topology.seat(d), "dr", "afpacket", START, List.of("--config", config.toString()));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
