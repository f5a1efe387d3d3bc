package io.jlvs.platform.net;

import io.jlvs.platform.testkit.TwoHostTopology;

import io.jlvs.platform.testkit.TestNamespaces;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.management.ThreadMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static io.jlvs.platform.testkit.TestNamespaces.ipv4;
import static io.jlvs.platform.testkit.TestNamespaces.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NextHopsTest {
    TwoHostTopology topo;
    NextHops hops;
    int d0;

    @BeforeEach
    void setUp() throws Exception {
        topo = new TwoHostTopology("N");
        d0 = topo.ns.in(topo.d, () -> Links.byName("d0").ifIndex());
        hops = topo.ns.in(topo.d, () -> NextHops.forInterfaces(List.of("d0")));
    }

    @AfterEach
    void tearDown() {
        if (hops != null) hops.close();
        if (topo != null) topo.close();
    }

    /** Polls {@code lookup} until {@code done} holds; returns the hop and fails after {@code limit}. */
    NextHop awaitHop(int dst, Predicate<NextHop> done, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        NextHop hop;
        while (!done.test(hop = hops.lookup(dst))) {
            if (System.nanoTime() > deadline) return null;
            Thread.sleep(2);
        }
        return hop;
    }

    @Test
    void missReturnsNullAtOnceThenTheNeighbourIsResolvedByArp() throws Exception {
        assertFalse(topo.ns.sh(topo.d, "ip neigh show dev d0").contains("10.0.0.2"), "the ARP cache must start empty");
        // null, not a hop: the lookup returned before the kernel could have resolved the neighbour.
        assertNull(hops.lookup(ipv4("10.0.0.2")));

        NextHop hop = awaitHop(ipv4("10.0.0.2"), h -> h != null, Duration.ofSeconds(2));
        assertNotNull(hop, "not resolved within 2 s");
        assertEquals(d0, hop.ifIndex());
        assertEquals(mac(TwoHostTopology.PEER_MAC), hop.dstMac());
        assertEquals(mac(TwoHostTopology.DIRECTOR_MAC), hop.srcMac());
        assertEquals(1400, hop.mtu());
        assertEquals(ipv4("10.0.0.1"), hop.sourceV4());
        assertTrue(hop.directlyConnected());
        assertTrue(topo.ns.sh(topo.d, "ip neigh show dev d0").contains(TwoHostTopology.PEER_MAC), "the kernel did the ARP");
    }

    @Test
    void gatewayedDestinationUsesTheGatewaysMac() throws Exception {
        NextHop hop = hops.lookupBlocking(ipv4("10.9.1.1"), Duration.ofSeconds(3));
        assertEquals(ipv4("10.0.0.2"), hop.gatewayV4());
        assertFalse(hop.directlyConnected());
        assertEquals(mac(TwoHostTopology.PEER_MAC), hop.dstMac());
    }

    @Test
    void followsANeighbourMacChangeWithinASecond() throws Exception {
        hops.lookupBlocking(ipv4("10.0.0.2"), Duration.ofSeconds(3));
        topo.ns.sh(topo.d, "ip neigh replace 10.0.0.2 lladdr 02:00:00:00:0e:99 dev d0 nud permanent");
        NextHop hop = awaitHop(ipv4("10.0.0.2"), h -> h != null && h.dstMac() == mac("02:00:00:00:0e:99"), Duration.ofSeconds(1));
        assertNotNull(hop, "MAC change not followed within 1 s: " + hops.lookup(ipv4("10.0.0.2")));
    }

    @Test
    void followsARouteChangeWithinASecond() throws Exception {
        assertEquals(ipv4("10.0.0.2"), hops.lookupBlocking(ipv4("10.9.1.1"), Duration.ofSeconds(3)).gatewayV4());
        topo.ns.sh(topo.d, "ip route replace 10.9.0.0/16 via 10.0.0.3");
        NextHop hop = awaitHop(ipv4("10.9.1.1"), h -> h != null && h.gatewayV4() == ipv4("10.0.0.3"), Duration.ofSeconds(1));
        assertNotNull(hop, "route change not followed within 1 s: " + hops.lookup(ipv4("10.9.1.1")));
    }

    @Test
    void followsAnMtuChange() throws Exception {
        hops.lookupBlocking(ipv4("10.0.0.2"), Duration.ofSeconds(3));
        topo.ns.sh(topo.d, "ip link set d0 mtu 1300");
        assertNotNull(awaitHop(ipv4("10.0.0.2"), h -> h != null && h.mtu() == 1300, Duration.ofSeconds(1)));
    }

    @Test
    void silentNeighbourFailsWithAReasonAndUnmanagedInterfaceIsRefused() throws Exception {
        IOException silent = assertThrows(IOException.class, () -> hops.lookupBlocking(ipv4("10.0.0.77"), Duration.ofSeconds(6)));
        assertTrue(silent.getMessage().contains("10.0.0.77") && silent.getMessage().contains("ARP"), silent.getMessage());
        topo.ns.sh(topo.d, "ip link add other7 type veth peer name other7p && ip link set other7 up && ip link set other7p up && ip addr add 172.16.7.1/24 dev other7");
        IOException unmanaged = assertThrows(IOException.class, () -> hops.lookupBlocking(ipv4("172.16.7.9"), Duration.ofSeconds(3)));
        assertTrue(unmanaged.getMessage().contains("other7"), unmanaged.getMessage());
    }

    @Test
    void lookupHitAllocatesNothing() throws Exception {
        int dst = ipv4("10.0.0.2");
        NextHop expected = hops.lookupBlocking(dst, Duration.ofSeconds(3));
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++) lookups(dst, 100_000); // JIT-compile lookups() itself
        // The least of a few runs: a one-off (a deoptimisation, the table replaced by a neighbour update) shows in
        // one run, an allocation per lookup in every run.
        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            long baselineStart = threads.getCurrentThreadAllocatedBytes();
            long baseline = threads.getCurrentThreadAllocatedBytes() - baselineStart;
            long before = threads.getCurrentThreadAllocatedBytes();
            long mtuSum = lookups(dst, 100_000);
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before - baseline);
            assertEquals(100_000L * expected.mtu(), mtuSum);
        }
        System.out.println("100k lookup hits allocated " + allocated + " bytes");
        // one object per lookup would be at least 1.6 MB; allow a few bytes of measurement noise only
        assertTrue(allocated < 256, "100k lookup hits allocated " + allocated + " bytes");
    }

    private long lookups(int dst, int count) {
        long mtuSum = 0;
        for (int i = 0; i < count; i++) mtuSum += hops.lookup(dst).mtu();
        return mtuSum;
    }
}
