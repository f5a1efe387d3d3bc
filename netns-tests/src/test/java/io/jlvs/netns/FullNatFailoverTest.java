package io.jlvs.netns;

import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.JlvsDirector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * FullNAT connections outlive their director: streams through a FullNAT server with no route to the client go on
 * intact after the master is killed, on the backup that learnt them, local port included, from the connection sync.
 * VRRP moves the VIP and the local address together (a sync group; the local address is a VRRP address on the
 * servers' side), so the backup answers for both once it takes over; the rules come from jlvsadm on each director.
 * {@link FullNat6FailoverTest} is the same for an IPv6 service.
 */
class FullNatFailoverTest {
    @Test
    void fullNatStreamsSurviveAFailoverToTheBackup() throws IOException {
        try (FailoverTopology topology = FailoverTopology.nat("jlvsnfo", 1)) {
            streamsSurviveAFailover(topology, FullNatStreams.ipv4(topology), topology.vip() + "/24",
                    FullNatStreams.LOCAL_ADDRESS + "/24");
        }
    }

    /**
     * Two directors, the first MASTER of the VIP and the local address ({@code vip}, {@code local} as CIDRs), the
     * second BACKUP and synced: the family's streams survive the first's kill -9.
     */
    static void streamsSurviveAFailover(FailoverTopology topology, FullNatStreams family, String vip, String local)
            throws IOException {
        family.prepareTheServer(topology);
        JlvsDirector first = start(topology, 1, 150, vip, local);
        JlvsDirector second = start(topology, 2, 100, vip, local);
        try {
            first.awaitVrrpState("VI_OUT", "MASTER", Duration.ofSeconds(20));
            second.awaitVrrpState("VI_OUT", "BACKUP", Duration.ofSeconds(20));
            first.restore(family.rules());
            second.restore(family.rules());
            family.surviveAFailover(first, second, () -> {
                first.kill();
                second.awaitVrrpState("VI_OUT", "MASTER", Duration.ofSeconds(20));
            });
        } finally {
            second.close();
            first.close();
        }
    }

    /**
     * Director d with VRRP: VI_OUT holds the VIP on lan0, VI_IN {@code serverSideAddress} on srv0 (FullNAT's local
     * address, or the NAT servers' gateway), in one sync group that the connection sync follows; no service.
     */
    static JlvsDirector start(FailoverTopology topology, int d, int priority, String vip, String serverSideAddress)
            throws IOException {
        Path config = topology.processes().logDirectory().resolve("keepalived-d" + d + ".conf");
        String text = "global_defs {\n    router_id jlvs-" + priority + "\n    lvs_sync_daemon lan0 VI_OUT id 7\n}\n"
                + "vrrp_sync_group G {\n    group {\n        VI_OUT\n        VI_IN\n    }\n}\n"
                + instance("VI_OUT", "lan0", 51, priority, vip)
                + instance("VI_IN", "srv0", 52, priority, serverSideAddress);
        Files.writeString(config, text);
        return JlvsDirector.start(topology.seat(d), "nat", "afpacket", FullNatStreams.START,
                List.of("--config", config.toString()));
    }

    private static String instance(String name, String iface, int vrid, int priority, String address) {
        return "vrrp_instance " + name + " {\n    state BACKUP\n    interface " + iface + "\n    virtual_router_id "
                + vrid + "\n    priority " + priority + "\n    advert_int 1\n    virtual_ipaddress {\n        "
                + address + " dev " + iface + "\n    }\n}\n";
    }
}
