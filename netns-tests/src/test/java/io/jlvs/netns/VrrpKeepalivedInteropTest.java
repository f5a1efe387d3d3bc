package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.JlvsDirector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jlvs and Debian's keepalived (VRRP only, `keepalived -P`) in one VRRP group, version 2 and version 3, multicast
 * and unicast (unicast_src_ip, unicast_peer): the higher
 * priority wins the election, each takes over when the other stops (keepalived after jlvs's priority-0 advert,
 * jlvs after keepalived's SIGKILL within the master down interval), each preempts the other on its return, and
 * keepalived never complains about a packet jlvs sent.
 */
class VrrpKeepalivedInteropTest {
    static final Duration START = Duration.ofSeconds(120);
    static final Duration STATE = Duration.ofSeconds(20);

    @ParameterizedTest(name = "VRRP version {0}, advert_int {1}, unicast {2}")
    @CsvSource({"2, 1, false", "3, 0.2, false", "2, 1, true"})
    void jlvsAndKeepalivedElectFailOverAndPreemptEachOther(int version, String advert, boolean unicast)
            throws IOException {
        int centis = (int) Math.round(Double.parseDouble(advert) * 100);
        try (FailoverTopology topology = FailoverTopology.dr("jlvsvk" + version + (unicast ? "u" : ""), 1)) {
            Path logs = topology.processes().logDirectory();
            Path states = KeepalivedVrrp.notifyScript(logs);
            Path notify = logs.resolve("notify.sh");
            Path jlvsConfig = logs.resolve("jlvs.conf");
            Files.writeString(jlvsConfig, config(version, advert, 150, null, unicast ? topology.directorAddress(1) : null,
                    unicast ? topology.directorAddress(2) : null));

            JlvsDirector jlvs = JlvsDirector.start(topology.seat(1), "dr", "afpacket", START,
                    List.of("--config", jlvsConfig.toString()));
            BackgroundProcess keepalived = startKeepalived(topology, version, advert, 100, notify, "1", unicast);
            try {
                VrrpWatch.awaitState(jlvs, "VI_1", "MASTER", STATE);
                awaitKeepalived(states, "BACKUP");

                jlvs.close(); // priority 0: keepalived takes over after its skew
                awaitKeepalived(states, "MASTER");

                jlvs = jlvs.startAgain(2, START);
                VrrpWatch.awaitState(jlvs, "VI_1", "MASTER", STATE);
                awaitKeepalived(states, "BACKUP");

                keepalived.stop(Duration.ofSeconds(5));
                keepalived = startKeepalived(topology, version, advert, 200, notify, "2", unicast);
                awaitKeepalived(states, "MASTER");
                VrrpWatch.awaitState(jlvs, "VI_1", "BACKUP", STATE);

                long killed = System.currentTimeMillis();
                keepalived.kill();
                long master = VrrpWatch.awaitTransition(jlvs, "VI_1", "MASTER", killed, STATE);
                long bound = VrrpWatch.masterDownMillis(version, centis, 150);
                assertTrue(master - killed <= bound + VrrpWatch.LOG_SLACK_MILLIS,
                        "jlvs MASTER " + (master - killed) + " ms after keepalived died; bound " + bound + " ms");

                String log = KeepalivedVrrp.log(topology, "1", "2");
                assertEquals(List.of(), KeepalivedVrrp.complaints(topology, "1", "2"), "keepalived's log");
                assertTrue(log.contains("Entering BACKUP STATE"), "the log is keepalived's: " + log.lines().limit(5).toList());
            } finally {
                keepalived.stop(Duration.ofSeconds(5));
                jlvs.close();
            }
        }
    }

    private static BackgroundProcess startKeepalived(FailoverTopology topology, int version, String advert, int priority,
                                                     Path notify, String run, boolean unicast) throws IOException {
        return KeepalivedVrrp.start(topology, 2, config(version, advert, priority, notify,
                unicast ? topology.directorAddress(2) : null, unicast ? topology.directorAddress(1) : null), run);
    }

    /** One instance VI_1; with a unicast source and peer its adverts go to the peer instead of 224.0.0.18. */
    static String config(int version, String advert, int priority, Path notify, String unicastSource, String peer) {
        String unicast = unicastSource == null ? ""
                : "    unicast_src_ip " + unicastSource + "\n    unicast_peer {\n        " + peer + "\n    }\n";
        return "global_defs {\n    router_id jlvs-test-" + priority + "\n    vrrp_version " + version + "\n"
                + (notify != null ? "    script_user root\n    enable_script_security\n" : "")
                + "}\nvrrp_instance VI_1 {\n    state BACKUP\n    interface lan0\n    virtual_router_id 51\n"
                + "    priority " + priority + "\n    advert_int " + advert + "\n    virtual_ipaddress {\n"
                + "        10.0.0.100/24 dev lan0\n    }\n"
                + (notify != null ? "    notify " + notify + "\n" : "") + unicast + "}\n";
    }

    private static void awaitKeepalived(Path states, String state) {
        KeepalivedVrrp.awaitState(states, state, STATE);
    }
}
