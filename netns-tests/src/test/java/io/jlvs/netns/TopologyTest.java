package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.CommandResult;
import io.jlvs.tools.netns.HttpIdentityServer;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.NetnsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyTest {

    @Test
    void natTopologyComesUpAndRealServersAnswerHttpFromTheDirector() {
        try (LvsTopology topology = LvsTopology.nat("jlvsnt-up", 2)) {
            ServerLauncher.startHttpIdentityServers(topology, 80);
            for (int k = 1; k <= 2; k++) {
                String body = topology.inDirector("curl", "-sS", "--max-time", "5",
                        "http://" + topology.serverAddress(k) + "/").stdoutOrThrow();
                HttpIdentityServer.Reply reply = HttpIdentityServer.Reply.parse(body);
                assertEquals(topology.serverName(k), reply.server());
                assertEquals(topology.directorServerAddress(), reply.clientAddress(),
                        "the server must see the director's own address on the server LAN");
            }
            String echoed = topology.inDirector("curl", "-sS", "--max-time", "5", "--data-binary", "ping-42",
                    "http://" + topology.serverAddress(2) + "/echo").stdoutOrThrow();
            assertEquals("ping-42", echoed);
        }
    }

    @Test
    void clientReachesTheDirectorButNotTheVipWhichTheDirectorKernelMustNotHold() {
        try (LvsTopology topology = LvsTopology.nat("jlvsnt-ping", 1)) {
            CommandResult toDirector = topology.inClient("ping", "-c", "1", "-W", "2", topology.directorClientAddress());
            assertTrue(toDirector.succeeded(), toDirector.describe());
            CommandResult toVip = topology.inClient("ping", "-c", "1", "-W", "1", topology.vip());
            assertFalse(toVip.succeeded(), "nothing may answer for the VIP until a director owns it");
            String directorAddresses = topology.inDirector("ip", "-4", "-o", "addr").stdoutOrThrow();
            assertFalse(directorAddresses.contains(topology.vip()), directorAddresses);
        }
    }

    @Test
    void checksumOffloadIsOffOnClientAndServers() {
        try (LvsTopology topology = LvsTopology.nat("jlvsnt-csum", 1)) {
            for (String ns : List.of(topology.clientNamespace(), topology.serverNamespace(1))) {
                String features = topology.network().check(ns, "ethtool", "-k", LvsTopology.HOST_INTERFACE);
                assertTrue(features.contains("rx-checksumming: off"), ns + ": " + features);
                assertTrue(features.contains("tx-checksumming: off"), ns + ": " + features);
            }
        }
    }

    @Test
    void teardownRemovesEveryNamespaceAndProcessEvenWhenTheBodyThrows() {
        AtomicLong serverPid = new AtomicLong();
        AtomicReference<List<String>> made = new AtomicReference<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (LvsTopology topology = LvsTopology.nat("jlvsnt-fail", 2)) {
                made.set(topology.network().namespaces());
                BackgroundProcess server = ServerLauncher.startHttpIdentityServers(topology, 80).getFirst();
                serverPid.set(server.pid());
                throw new IllegalStateException("test body failed");
            }
        });
        assertEquals("test body failed", thrown.getMessage());
        assertEquals(5, made.get().size(), "client, director, switch and two servers: " + made.get());
        List<String> left = NetnsTopology.listNamespaces().stream().filter(n -> n.startsWith("jlvsnt-fail")).toList();
        assertEquals(List.of(), left);
        assertFalse(ProcessHandle.of(serverPid.get()).map(ProcessHandle::isAlive).orElse(false),
                "the server JVM must be stopped at teardown");
    }

    @Test
    void closeIsIdempotent() {
        LvsTopology topology = LvsTopology.nat("jlvsnt-twice", 1);
        topology.close();
        topology.close();
        assertTrue(NetnsTopology.listNamespaces().stream().noneMatch(n -> n.startsWith("jlvsnt-twice")));
    }

    @Test
    void drTopologyPutsTheVipOnServerLoopbackAndServersAnswerTheClientDirectly() {
        try (LvsTopology topology = LvsTopology.dr("jlvsnt-dr", 2)) {
            ServerLauncher.startHttpIdentityServers(topology, 80);
            String lo = topology.inServer(1, "ip", "-4", "-o", "addr", "show", "dev", "lo").stdoutOrThrow();
            assertTrue(lo.contains(topology.vip() + "/32"), lo);
            String body = topology.inClient("curl", "-sS", "--max-time", "5",
                    "http://" + topology.serverAddress(2) + "/").stdoutOrThrow();
            HttpIdentityServer.Reply reply = HttpIdentityServer.Reply.parse(body);
            assertEquals(topology.serverName(2), reply.server());
            assertEquals(topology.clientAddress(), reply.clientAddress());
            // arp_ignore=1: the servers must not answer ARP for the VIP held on lo.
            assertFalse(topology.inClient("ping", "-c", "1", "-W", "1", topology.vip()).succeeded());
        }
    }
}
