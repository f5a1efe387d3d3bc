package io.jlvs.platform.net;

import io.jlvs.platform.testkit.TwoHostTopology;

import io.jlvs.platform.testkit.TestNamespaces;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static io.jlvs.platform.testkit.TestNamespaces.ipv4;
import static io.jlvs.platform.testkit.TestNamespaces.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinksAndRoutesTest {
    static TwoHostTopology topo;

    @BeforeAll
    static void setUp() throws IOException {
        topo = new TwoHostTopology("L");
    }

    @AfterAll
    static void tearDown() {
        if (topo != null) topo.close();
    }

    @Test
    void byNameReportsTheKernelsIndexMacMtuAndAddresses() throws Exception {
        int kernelIndex = Integer.parseInt(topo.ns.sh(topo.d, "cat /sys/class/net/d0/ifindex 2>/dev/null || ip -o link show d0 | cut -d: -f1").strip());
        Link link = topo.ns.in(topo.d, () -> Links.byName("d0"));
        assertEquals(kernelIndex, link.ifIndex());
        assertEquals(mac(TwoHostTopology.DIRECTOR_MAC), link.mac());
        assertEquals(1400, link.mtu());
        assertTrue(link.up());
        assertArrayEquals(new int[] {ipv4("10.0.0.1")}, link.ipv4Addresses());
        assertArrayEquals(new int[] {24}, link.prefixLengths());
        assertEquals(link, topo.ns.in(topo.d, () -> Links.byIndex(kernelIndex)));
    }

    @Test
    void byNameSeesOnlyTheCallersNamespace() throws Exception {
        Set<String> names = topo.ns.in(topo.p, () -> Set.copyOf(Links.all().stream().map(Link::name).toList()));
        assertEquals(Set.of("lo", "p0"), names);
        IOException missing = assertThrows(IOException.class, () -> topo.ns.in(topo.p, () -> Links.byName("d0")));
        assertTrue(missing.getMessage().contains("d0"), missing.getMessage());
    }

    @Test
    void routeToConnectedDestinationHasNoGateway() throws Exception {
        Route route = topo.ns.in(topo.d, () -> {
            try (NextHops hops = new NextHops(Set.of())) {
                return hops.route(ipv4("10.0.0.2"));
            }
        });
        int d0 = topo.ns.in(topo.d, () -> Links.byName("d0").ifIndex());
        assertEquals(new Route(d0, 0, ipv4("10.0.0.1"), 24), route);
        assertTrue(route.directlyConnected());
    }

    @Test
    void routeThroughGatewayNamesGatewayAndMatchingPrefix() throws Exception {
        Route route = topo.ns.in(topo.d, () -> {
            try (Netlink netlink = Netlink.open()) {
                return Routes.route(netlink, ipv4("10.9.1.1"));
            }
        });
        int d0 = topo.ns.in(topo.d, () -> Links.byName("d0").ifIndex());
        assertEquals(new Route(d0, ipv4("10.0.0.2"), ipv4("10.0.0.1"), 16), route);
        assertFalse(route.directlyConnected());
    }

    @Test
    void unreachableAndLocalDestinationsAreErrorsThatSayWhy() throws Exception {
        IOException unreachable = assertThrows(IOException.class, () -> topo.ns.in(topo.d, () -> {
            try (Netlink netlink = Netlink.open()) {
                return Routes.route(netlink, ipv4("172.16.99.1"));
            }
        }));
        assertTrue(unreachable.getMessage().contains("172.16.99.1") && unreachable.getMessage().contains("unreachable"),
                unreachable.getMessage());
        IOException local = assertThrows(IOException.class, () -> topo.ns.in(topo.d, () -> {
            try (Netlink netlink = Netlink.open()) {
                return Routes.route(netlink, ipv4("10.0.0.1"));
            }
        }));
        assertTrue(local.getMessage().contains("local"), local.getMessage());
    }
}
