package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.NetnsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FullNAT toward a real server two hops away, behind a router whose link to it takes 1000-byte packets only: the
 * server announces an MSS of 1460 (its own interface is 1500), so the client's full-size segments reach the router
 * with DF set and are refused there. The router's "fragmentation needed" goes to the local address (the segments'
 * source toward it); the director translates it for the client, whose path MTU to the VIP falls to 1000, and an
 * upload of 4 MiB arrives intact. Without the translation the upload stalls: no full-size segment ever passes.
 */
class FullNatPathMtuTest {
    static final int PORT = 80;
    static final String LOCAL_ADDRESS = "172.16.0.50", ROUTER_LAN = "172.16.0.254", FAR_NET = "192.168.77.0/24",
            ROUTER_FAR = "192.168.77.1", FAR_SERVER = "192.168.77.2";
    static final int SMALL_MTU = 1000;
    static final long UPLOAD = 4L << 20;

    @Test
    void aRoutersFragmentationNeededReachesTheClientAndTheUploadPasses() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsnpm", 1)) {
            NetnsTopology net = topology.network();
            String router = net.addNamespace("-rt");
            String far = net.addNamespace("-far");
            net.addVethPair(router, "lan0", topology.switchNamespace(), "r0");
            net.attachToBridge(topology.switchNamespace(), "r0", LvsTopology.SWITCH_BRIDGE);
            net.addAddress(router, "lan0", ROUTER_LAN + "/24");
            net.addVethPair(router, "far0", far, "eth0");
            net.check(router, "ip", "link", "set", "far0", "mtu", Integer.toString(SMALL_MTU));
            net.addAddress(router, "far0", ROUTER_FAR + "/24");
            net.addAddress(far, "eth0", FAR_SERVER + "/24");
            net.addDefaultRoute(far, ROUTER_FAR); // toward the local address; no route to the client's network
            net.sysctl(router, "net.ipv4.ip_forward", "1");
            net.disableChecksumOffload(far, "eth0");
            net.addRoute(topology.directorNamespace(), FAR_NET, ROUTER_LAN);
            CommandResult before = topology.inClient("ip", "route", "get", topology.vip());
            assertFalse(before.stdout().contains("mtu " + SMALL_MTU), "no smaller path MTU yet: " + before.describe());

            BackgroundProcess server = ServerLauncher.startJava(topology.processes(), far, "far-http",
                    HttpIdentityServer.class, "far", Integer.toString(PORT));
            server.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS + "\n-a -t " + service
                        + " -r " + FAR_SERVER + ":" + PORT + " --fullnat\n");
                Path upload = topology.processes().logDirectory().resolve("upload");
                PatternFiles.write(upload, UPLOAD);
                String served = topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS",
                        "--max-time", "60", "-H", "Expect:", "--data-binary", "@" + upload,
                        "http://" + service + "/digest"), Duration.ofSeconds(90)).stdoutOrThrow().strip();
                Files.delete(upload);
                assertEquals(PatternFiles.digestOfPattern(UPLOAD), served, "4 MiB to the far server, intact");
                String after = topology.inClient("ip", "route", "get", topology.vip()).stdoutOrThrow();
                assertTrue(after.contains("mtu " + SMALL_MTU),
                        "the router's fragmentation needed reached the client: " + after);
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        }
    }
}
