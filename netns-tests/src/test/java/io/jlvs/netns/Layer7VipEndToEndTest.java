package io.jlvs.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A layer-7 service on a VIP beside a layer-4 service on the same VIP: NAT forwards VIP:80 through the user-space
 * data plane while the director's kernel terminates VIP:8080 for the proxy (tcpvsadm -l VIP:8080). Both answer the
 * client through the director; the VIP is owned by jlvs alone (ARP from the director's MAC, its kernel's ARP input
 * never sees the requests, ping answered); a layer-4 service and a layer-7 listener cannot share a VIP:port,
 * whichever comes second; once the listener stops, its port gets no answer; a crash's local route is undone by the
 * next daemon, and once the daemon stops, no local route and no nftables table is left.
 */
class Layer7VipEndToEndTest {
    static final int HTTP = 80, L7_PORT = 8080;

    static LvsTopology topology;
    static JlvsDirector director;

    @BeforeAll
    static void start() {
        topology = LvsTopology.nat("jlvsvp", 2);
        ServerLauncher.startHttpIdentityServers(topology, HTTP);
        director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120), List.of());
    }

    @AfterAll
    static void stop() {
        if (director != null) director.close();
        if (topology != null) topology.close();
    }

    private static String vip(int port) {
        return topology.vip() + ":" + port;
    }

    private static void tcpvs(String... args) {
        CommandResult r = director.tcpvs(args);
        assertEquals(0, r.exitCode(), "tcpvsadm " + String.join(" ", args) + ": " + r.describe());
    }

    private static CommandResult get(int port) {
        return topology.inClient("curl", "-sS", "--max-time", "3", "http://" + vip(port) + "/where");
    }

    private static HttpIdentityServer.Reply served(int port) {
        CommandResult r = get(port);
        assertEquals(0, r.exitCode(), "GET " + vip(port) + ": " + r.describe());
        return HttpIdentityServer.Reply.parse(r.stdout());
    }

    private static String localRoutes() {
        return topology.inDirector("ip", "-4", "route", "show", "table", "all", "type", "local").stdoutOrThrow();
    }

    private static boolean localRouteForVip() {
        return localRoutes().lines().anyMatch(l -> l.startsWith("local " + topology.vip() + " "));
    }

    /** Packets the director's nftables ARP rule kept from its kernel's ARP input. */
    private static long arpRequestsKeptFromTheKernel() {
        String chain = topology.inDirector("nft", "list", "chain", "arp", "jlvs", "input").stdoutOrThrow();
        Matcher m = Pattern.compile("@kernel_vips counter packets (\\d+)").matcher(chain);
        assertTrue(m.find(), chain);
        return Long.parseLong(m.group(1));
    }

    /** Layer-7 service web on VIP:8080, its one rule to rs1, not started. */
    private static void addWebOnVip() {
        tcpvs("-A", "-i", "web", "-s", "http", "-l", vip(L7_PORT));
        tcpvs("-a", "-i", "web", "-r", topology.serverAddress(1) + ":" + HTTP);
        tcpvs("--add-rule", "-i", "web", "-p", "^/", "-r", topology.serverAddress(1) + ":" + HTTP);
    }

    @Test
    void aLayer7ServiceAndANatServiceShareAVipAndTheKernelLetsGoOfItsPortAtStop() {
        director.addServiceWithAllServers("-t", HTTP, "rr", "-m");
        addWebOnVip();
        assertFalse(localRouteForVip(), "a stopped layer-7 service has no local route for its VIP:\n" + localRoutes());
        tcpvs("--start", "-i", "web");
        assertTrue(localRouteForVip(), "the started listener's VIP is local to the kernel:\n" + localRoutes());
        String ports = topology.inDirector("nft", "list", "set", "inet", "jlvs", "kernel_ports").stdoutOrThrow();
        assertTrue(ports.contains(topology.vip() + " . " + L7_PORT), ports);

        // Both paths answer through the director: NAT keeps the client's address, the proxy connects from its own.
        HttpIdentityServer.Reply l4 = served(HTTP);
        assertEquals(topology.clientAddress(), l4.clientAddress(), "NAT forwards the client's own connection");
        HttpIdentityServer.Reply l7 = served(L7_PORT);
        assertEquals("rs1", l7.server(), "the layer-7 rule places the request");
        assertEquals(topology.directorServerAddress(), l7.clientAddress(), "the proxy's connection to the server");
        String addresses = topology.inDirector("ip", "-4", "-o", "addr").stdoutOrThrow();
        assertFalse(addresses.contains(topology.vip()), "the VIP is on no interface of the director:\n" + addresses);

        // jlvs owns the VIP: its ARP answer, the director's MAC; its kernel's ARP input never sees the requests.
        String directorMac = topology.network().macAddress(topology.directorNamespace(), topology.directorClientSide());
        long keptBefore = arpRequestsKeptFromTheKernel();
        topology.inClient("ip", "neigh", "flush", "to", topology.vip()).stdoutOrThrow();
        CommandResult ping = topology.inClient("ping", "-c", "1", "-W", "2", topology.vip());
        assertTrue(ping.succeeded(), "a ping of the VIP answers: " + ping.describe());
        String neighbour = topology.inClient("ip", "neigh", "show", topology.vip()).stdoutOrThrow();
        assertTrue(neighbour.contains("lladdr " + directorMac), "the client's neighbour entry: " + neighbour);
        assertTrue(arpRequestsKeptFromTheKernel() > keptBefore, "the ARP request reached the kernel's ARP input");

        // Whichever comes second is refused, and nothing changes.
        CommandResult l4Clash = director.adm("-A", "-t", vip(L7_PORT), "-s", "rr");
        assertEquals(255, l4Clash.exitCode(), l4Clash.describe());
        assertTrue(l4Clash.stderr().contains("is where layer-7 service web (tcpvsadm) listens"), l4Clash.describe());
        tcpvs("-A", "-i", "clash", "-s", "http", "-l", vip(HTTP));
        tcpvs("-a", "-i", "clash", "-r", topology.serverAddress(2) + ":" + HTTP);
        CommandResult l7Clash = director.tcpvs("--start", "-i", "clash");
        assertEquals(255, l7Clash.exitCode(), l7Clash.describe());
        assertTrue(l7Clash.stderr().contains("layer-7 service clash cannot listen on " + vip(HTTP)
                + ": the layer-4 service TCP " + vip(HTTP) + " (jlvsadm) forwards it"), l7Clash.describe());
        assertFalse(director.admOrThrow("-L", "-n").contains(":" + L7_PORT), "no layer-4 service on the listener's port");
        assertEquals(topology.clientAddress(), served(HTTP).clientAddress(), "VIP:80 is still NAT's");
        assertEquals("rs1", served(L7_PORT).server(), "VIP:8080 is still the proxy's");
        tcpvs("-D", "-i", "clash");

        // Stopped, the listener's port is the data plane's again: no answer at all (not even a reset).
        tcpvs("--stop", "-i", "web");
        CommandResult after = get(L7_PORT);
        assertEquals(28, after.exitCode(), "curl timed out without any answer: " + after.describe());
        assertFalse(localRouteForVip(), "the local route goes with the listener:\n" + localRoutes());
        assertEquals(topology.clientAddress(), served(HTTP).clientAddress(), "VIP:80 forwards on");

        // Started again, the daemon crashes: its local route stays until the next daemon's start undoes it.
        tcpvs("--start", "-i", "web");
        assertEquals("rs1", served(L7_PORT).server());
        director.kill();
        Conditions.await("the killed daemon gone", Duration.ofSeconds(10), () -> !director.daemon().isAlive());
        assertTrue(localRouteForVip(), "a crash leaves the local route behind:\n" + localRoutes());
        director = director.startAgain(2, Duration.ofSeconds(120));
        assertFalse(localRouteForVip(), "the next daemon undid the crashed one's local route:\n" + localRoutes());
        assertEquals(topology.clientAddress(), served(HTTP).clientAddress(), "the restarted daemon forwards VIP:80");

        // Started on the new daemon, then the daemon stops: nothing of the kernel's path is left.
        addWebOnVip();
        tcpvs("--start", "-i", "web");
        assertEquals("rs1", served(L7_PORT).server());
        director.close();
        Conditions.await("the daemon gone", Duration.ofSeconds(10), () -> !director.daemon().isAlive());
        assertFalse(localRouteForVip(), "a local route left after stop:\n" + localRoutes());
        String ruleset = topology.inDirector("nft", "list", "ruleset").stdoutOrThrow();
        assertFalse(ruleset.contains("jlvs"), "nftables after stop:\n" + ruleset);
    }
}
