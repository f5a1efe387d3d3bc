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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * FullNAT connections outlive their director: streams through a FullNAT server with no route to the client go on
 * intact after the master is killed, on the backup that learnt them, local port included, from the connection sync.
 * VRRP moves the VIP and the local address together (a sync group; the local address is a VRRP address on the
 * servers' side), so the backup answers for both once it takes over; the rules come from jlvsadm on each director.
 */
class FullNatFailoverTest {
    static final int PORT = 80, STREAMS = 2, BYTES = 120 * 1024;
    static final String LOCAL_ADDRESS = "172.16.0.50";
    static final Duration START = Duration.ofSeconds(120);

    @Test
    void fullNatStreamsSurviveAFailoverToTheBackup() throws IOException {
        try (FailoverTopology topology = FailoverTopology.nat("jlvsnfo", 1)) {
            topology.inServer(1, "ip", "route", "del", "default");
            assertFalse(topology.inServer(1, "ip", "route", "get", LvsTopology.CLIENT_ADDRESS).succeeded(),
                    "the server has no route to the client");
            ServerLauncher.startJava(topology.processes(), topology.serverNamespace(1), "rs1-http",
                    HttpIdentityServer.class, "rs1", Integer.toString(PORT), "8")
                    .awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
            JlvsDirector first = start(topology, 1, 150);
            JlvsDirector second = start(topology, 2, 100);
            try {
                first.awaitVrrpState("VI_OUT", "MASTER", Duration.ofSeconds(20));
                second.awaitVrrpState("VI_OUT", "BACKUP", Duration.ofSeconds(20));
                String service = topology.vip() + ":" + PORT;
                String rules = "-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS + "\n-a -t " + service + " -r "
                        + topology.serverAddress(1) + ":" + PORT + " --fullnat\n";
                first.restore(rules);
                second.restore(rules);
                List<BackgroundProcess> streams = new ArrayList<>();
                for (int i = 1; i <= STREAMS; i++) {
                    streams.add(SlowUpload.start(topology.clientSeat(), "stream-" + i, PORT, BYTES));
                }
                JlvsDirector master = first;
                Conditions.await("the streams synced to the backup", Duration.ofSeconds(20),
                        () -> ListingCounts.established(second) == STREAMS && ListingCounts.established(master) == STREAMS);
                Conditions.await("the streams under way", Duration.ofSeconds(20),
                        () -> ListingCounts.inboundBytes(master) > 32 * 1024);

                first.kill();
                second.awaitVrrpState("VI_OUT", "MASTER", Duration.ofSeconds(20));
                for (BackgroundProcess stream : streams) {
                    SlowUpload.awaitFinished(stream, Duration.ofSeconds(60), BYTES);
                }
            } finally {
                second.close();
                first.close();
            }
        }
    }

    private static JlvsDirector start(FailoverTopology topology, int d, int priority) throws IOException {
        Path config = topology.processes().logDirectory().resolve("keepalived-d" + d + ".conf");
        String text = "global_defs {\n    router_id jlvs-" + priority + "\n    lvs_sync_daemon lan0 VI_OUT id 7\n}\n"
                + "vrrp_sync_group G {\n    group {\n        VI_OUT\n        VI_LADDR\n    }\n}\n"
                + instance("VI_OUT", "lan0", 51, priority, topology.vip() + "/24")
                + instance("VI_LADDR", "srv0", 52, priority, LOCAL_ADDRESS + "/24");
        Files.writeString(config, text);
        return JlvsDirector.start(topology.seat(d), "nat", "afpacket", START, List.of("--config", config.toString()));
    }

    private static String instance(String name, String iface, int vrid, int priority, String address) {
        return "vrrp_instance " + name + " {\n    state BACKUP\n    interface " + iface + "\n    virtual_router_id "
                + vrid + "\n    priority " + priority + "\n    advert_int 1\n    virtual_ipaddress {\n        "
                + address + " dev " + iface + "\n    }\n}\n";
    }
}
