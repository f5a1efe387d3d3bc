package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jlvs and Debian's keepalived (VRRP only) in one IPv6 VRRP group (RFC 5798 to ff02::12, an IPv6
 * virtual_ipaddress), multicast and unicast (unicast_src_ip, unicast_peer of IPv6): the higher priority is master and the other backup, in both orders; each takes over within
 * the master down interval when the master is killed, and the client's neighbour cache then points the VIP at the
 * new master's MAC (its unsolicited neighbour advertisements, before the client asks) and its ping6 of the VIP is
 * answered. keepalived never complains about a packet jlvs sent.
 */
class VrrpKeepalivedIpv6InteropTest {
    static final Duration START = Duration.ofSeconds(120);
    static final Duration STATE = Duration.ofSeconds(20);
    static final String VIP6 = LvsTopology.VIP6;
    /** keepalived's takeover is seen through its notify script, forked after the transition, and a poll. */
    static final long NOTIFY_SLACK_MILLIS = 1000;

    @ParameterizedTest(name = "unicast {0}")
    @ValueSource(booleans = {false, true})
    void jlvsAndKeepalivedElectAndFailOverAnIpv6Vip(boolean unicast) throws IOException {
        try (FailoverTopology topology = FailoverTopology.nat("jlvsv6" + (unicast ? "u" : ""), 1).withIpv6()) {
            Path logs = topology.processes().logDirectory();
            Path states = KeepalivedVrrp.notifyScript(logs);
            Path notify = logs.resolve("notify.sh");
            Path jlvsConfig = logs.resolve("jlvs.conf");
            String jlvsUnicast = unicast ? unicast(DIRECTOR_ADDRESSES6[0], DIRECTOR_ADDRESSES6[1]) : "";
            String keepalivedUnicast = unicast ? unicast(DIRECTOR_ADDRESSES6[1], DIRECTOR_ADDRESSES6[0]) : "";
            Files.writeString(jlvsConfig, config(150, null, jlvsUnicast));
            String jlvsMac = mac(topology, 1), keepalivedMac = mac(topology, 2);

            JlvsDirector jlvs = JlvsDirector.start(topology.seat(1), "nat", "afpacket", START,
                    List.of("--config", jlvsConfig.toString()));
            BackgroundProcess keepalived = KeepalivedVrrp.start(topology, 2, config(200, notify, keepalivedUnicast), "1");
            try {
                // keepalived (200) is master, jlvs (150) backup; the client reaches the VIP at keepalived's kernel.
                KeepalivedVrrp.awaitState(states, "MASTER", STATE);
                jlvs.awaitVrrpState("VI_6", "BACKUP", STATE);
                awaitPing(topology);
                assertEquals(keepalivedMac, neighbour(topology), "the client's neighbour entry for the VIP");

                long killed = System.currentTimeMillis();
                keepalived.kill();
                // A dead director's addresses go with it; keepalived killed leaves its VIP in the kernel.
                topology.inDirector(2, "ip", "-6", "addr", "del", VIP6 + "/64", "dev", "lan0");
                long master = VrrpWatch.awaitTransition(jlvs, "VI_6", "MASTER", killed, STATE);
                long bound = VrrpWatch.masterDownMillis(3, 100, 150);
                assertTrue(master - killed <= bound + VrrpWatch.LOG_SLACK_MILLIS,
                        "jlvs MASTER " + (master - killed) + " ms after keepalived died; bound " + bound + " ms");
                Conditions.await("the client's neighbour entry moved to jlvs's MAC by its advertisement",
                        Duration.ofSeconds(2), () -> jlvsMac.equals(neighbour(topology)));
                awaitPing(topology);
                assertEquals(jlvsMac, neighbour(topology), "jlvs answered the ping6 of the VIP");

                // keepalived comes back below jlvs: backup; jlvs killed: keepalived takes over.
                keepalived = KeepalivedVrrp.start(topology, 2, config(100, notify, keepalivedUnicast), "2");
                KeepalivedVrrp.awaitState(states, "BACKUP", STATE);
                assertTrue(Files.readAllLines(states).size() >= 3, "states so far: " + Files.readAllLines(states));
                jlvs.awaitVrrpState("VI_6", "MASTER", STATE);

                killed = System.currentTimeMillis();
                jlvs.kill();
                KeepalivedVrrp.awaitState(states, "MASTER", STATE);
                long took = System.currentTimeMillis() - killed;
                long keepalivedBound = VrrpWatch.masterDownMillis(3, 100, 100);
                assertTrue(took <= keepalivedBound + NOTIFY_SLACK_MILLIS,
                        "keepalived MASTER " + took + " ms after jlvs died; bound " + keepalivedBound + " ms");
                Conditions.await("the client's neighbour entry moved to keepalived's MAC by its advertisement",
                        Duration.ofSeconds(2), () -> keepalivedMac.equals(neighbour(topology)));
                awaitPing(topology);

                String log = KeepalivedVrrp.log(topology, "1", "2");
                assertEquals(List.of(), KeepalivedVrrp.complaints(topology, "1", "2"), "keepalived's log");
                assertTrue(log.contains("Entering BACKUP STATE"), "the log is keepalived's: " + log.lines().limit(5).toList());
            } finally {
                keepalived.stop(Duration.ofSeconds(5));
                jlvs.close();
            }
        }
    }

    /** The directors' own IPv6 addresses on lan0 (FailoverTopology.withIpv6). */
    static final String[] DIRECTOR_ADDRESSES6 = {"fd00:1::1", "fd00:1::3"};

    static String unicast(String source, String peer) {
        return "    unicast_src_ip " + source + "\n    unicast_peer {\n        " + peer + "\n    }\n";
    }

    /**
     * One IPv6 instance VI_6 on lan0 (version 3: keepalived and jlvs take it for IPv6 addresses); with unicast
     * lines its adverts go to the peer instead of ff02::12.
     */
    static String config(int priority, Path notify, String unicast) {
        return "global_defs {\n    router_id jlvs-test6-" + priority + "\n"
                + (notify != null ? "    script_user root\n    enable_script_security\n" : "")
                + "}\nvrrp_instance VI_6 {\n    state BACKUP\n    interface lan0\n    virtual_router_id 61\n"
                + "    priority " + priority + "\n    advert_int 1\n    virtual_ipaddress {\n"
                + "        " + VIP6 + "/64 dev lan0\n    }\n"
                + (notify != null ? "    notify " + notify + "\n" : "") + unicast + "}\n";
    }

    /** Director d's MAC on the client LAN. */
    static String mac(FailoverTopology topology, int d) {
        return topology.inDirector(d, "cat", "/sys/class/net/lan0/address").stdoutOrThrow().strip();
    }

    /** The MAC the client's neighbour cache has for the VIP, or "" when it has none. */
    static String neighbour(FailoverTopology topology) {
        String line = topology.inClient("ip", "-6", "neigh", "show", VIP6, "dev", "eth0").stdout().strip();
        String[] words = line.split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) if (words[i].equals("lladdr")) return words[i + 1];
        return "";
    }

    static void awaitPing(FailoverTopology topology) {
        Conditions.await("ping6 " + VIP6 + " answered", STATE, () -> {
            CommandResult r = topology.inClient("ping", "-6", "-c", "1", "-W", "1", VIP6);
            return r.succeeded();
        });
    }
}
