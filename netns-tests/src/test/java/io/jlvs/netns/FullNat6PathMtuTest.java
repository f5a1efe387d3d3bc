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
 * IPv6 FullNAT toward a real server two hops away, behind a router whose link to it takes 1300-byte packets only,
 * as {@link FullNatPathMtuTest} for IPv4: the server announces an MSS of 1440 (its own interface is 1500), so the
 * client's full-size segments reach the router and are refused there (IPv6 routers never fragment). The router's
 * Packet Too Big goes to the local address; the director relays it to the client from the VIP, quoting the client's
 * own segment, and the client's path MTU to the VIP falls to 1300; an upload of 4 MiB arrives intact. Without the
 * relay the upload stalls: no full-size segment ever passes.
 */
class FullNat6PathMtuTest {
    static final int PORT = 80, SMALL_MTU = 1300;
    static final String LOCAL_ADDRESS6 = "fd00:2::50", ROUTER_LAN = "fd00:2::fe", FAR_NET = "fd00:77::/64",
            ROUTER_FAR = "fd00:77::1", FAR_SERVER = "fd00:77::2";
    static final long UPLOAD = 4L << 20;

    @Test
    void aRoutersPacketTooBigReachesTheClientAndTheUploadPasses() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsf6pm", 1).withIpv6()) {
            NetnsTopology net = topology.network();
            String router = net.addNamespace("-rt");
            String far = net.addNamespace("-far");
            net.addVethPair(router, "lan0", topology.switchNamespace(), "r0");
            net.attachToBridge(topology.switchNamespace(), "r0", LvsTopology.SWITCH_BRIDGE);
            address6(net, router, "lan0", ROUTER_LAN);
            net.addVethPair(router, "far0", far, "eth0");
            net.check(router, "ip", "link", "set", "far0", "mtu", Integer.toString(SMALL_MTU));
            address6(net, router, "far0", ROUTER_FAR);
            address6(net, far, "eth0", FAR_SERVER);
            // Toward the local address; no route to the client's network.
            net.check(far, "ip", "-6", "route", "add", "default", "via", ROUTER_FAR);
            net.sysctl(router, "net.ipv6.conf.all.forwarding", "1");
            net.disableChecksumOffload(far, "eth0");
            net.check(topology.directorNamespace(), "ip", "-6", "route", "add", FAR_NET, "via", ROUTER_LAN);
            CommandResult before = topology.inClient("ip", "-6", "route", "get", LvsTopology.VIP6);
            assertTrue(before.succeeded(), before.describe());
            assertFalse(before.stdout().contains("mtu " + SMALL_MTU), "no smaller path MTU yet: " + before.describe());

            BackgroundProcess server = ServerLauncher.startJava(topology.processes(), far, "far-http",
                    HttpIdentityServer.class, "far", Integer.toString(PORT));
            server.awaitLogLine(HttpIdentityServer.READY_LINE, Duration.ofSeconds(60));
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120))) {
                String service = "[" + LvsTopology.VIP6 + "]:" + PORT;
                director.restore("-A -t " + service + " -s rr --laddr " + LOCAL_ADDRESS6 + "\n-a -t " + service
                        + " -r [" + FAR_SERVER + "]:" + PORT + " --fullnat\n");
                Path upload = topology.processes().logDirectory().resolve("upload");
                PatternFiles.write(upload, UPLOAD);
                String served = topology.processes().run(topology.clientNamespace(), List.of("curl", "-sS", "-g",
                        "--max-time", "60", "-H", "Expect:", "--data-binary", "@" + upload,
                        "http://" + service + "/digest"), Duration.ofSeconds(90)).stdoutOrThrow().strip();
                Files.delete(upload);
                assertEquals(PatternFiles.digestOfPattern(UPLOAD), served, "4 MiB to the far server, intact");
                String after = topology.inClient("ip", "-6", "route", "get", LvsTopology.VIP6).stdoutOrThrow();
                assertTrue(after.contains("mtu " + SMALL_MTU),
                        "the router's Packet Too Big reached the client: " + after);
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        }
    }

    /** An IPv6 address on {@code iface}, usable at once (no duplicate address detection). */
    private static void address6(NetnsTopology net, String namespace, String iface, String address) {
        net.check(namespace, "ip", "-6", "addr", "add", address + "/64", "dev", iface, "nodad");
    }
}
