package io.jlvs.platform.hostguard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jlvs.platform.testkit.TestNamespaces.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host guard's nftables scripts: kernel ports pass ahead of the VIP drop, and their VIPs get no ARP reply. */
class NftRulesTest {
    static final int VIP = ipv4("10.0.0.100"), OTHER = ipv4("10.0.0.101");

    @Test
    void kernelPortsAndTheirIcmpErrorsAreAcceptedBeforeTheVipDrop() {
        String table = NftRules.createTable();
        int ports = table.indexOf("ip daddr . tcp dport @kernel_ports counter accept");
        int errors = table.indexOf("ip daddr @kernel_vips icmp type { destination-unreachable, time-exceeded, "
                + "parameter-problem } counter accept");
        int drop = table.indexOf("ip daddr @vips counter drop");
        assertTrue(ports > 0 && errors > ports && drop > errors, table);
        assertTrue(table.contains("arp operation request arp daddr ip @kernel_vips counter drop"), table);
    }

    @Test
    void laterFragmentsOfUnNatedRepliesAreDroppedWhenTheirFirstIsOfBothFamilies() {
        String table = NftRules.createTable();
        for (String family : new String[] {"ip", "ip6"}) {
            String v6 = family.equals("ip6") ? "6" : "";
            String backend = family + " saddr . meta l4proto . th sport @nat_backends" + v6 + " fib daddr type != local";
            String datagram = family.equals("ip") ? "ip saddr . ip daddr . ip protocol . ip id" : "ip6 saddr . ip6 daddr . frag id";
            String firstFragment = family.equals("ip") ? "ip frag-off & 0x3fff == 0x2000 "
                    : "meta nfproto ipv6 frag frag-off 0 frag more-fragments 1 ";
            String laterFragment = family.equals("ip") ? "ip frag-off & 0x1fff != 0 " : "meta nfproto ipv6 frag frag-off != 0 ";
            int remember = table.indexOf(firstFragment + backend + " add @nat_reply_fragments" + v6 + " { " + datagram + " }");
            int drop = table.indexOf(backend + " counter drop");
            int later = table.indexOf(laterFragment + datagram + " @nat_reply_fragments" + v6 + " counter drop");
            assertTrue(remember > 0 && drop > remember && later > drop, family + ": " + table);
            assertTrue(table.contains("typeof " + datagram + "\n"), table);
        }
        assertTrue(table.contains("timeout 30s") && table.contains("timeout 60s"), "each family's ipfrag_time");
    }

    @Test
    void deletingRemovesBothTables() {
        assertEquals("table inet jlvs\ndelete table inet jlvs\ntable arp jlvs\ndelete table arp jlvs\n",
                NftRules.deleteTable());
    }

    @Test
    void kernelPortsFillThePortSetAndTheirVipsBothVipSetsOnce() {
        String script = NftRules.replaceSets(new int[] {VIP, OTHER}, List.of(),
                List.of(new KernelPort(VIP, 8080), new KernelPort(VIP, 8443), new KernelPort(VIP, 8080)));
        assertEquals("""
                flush set inet jlvs vips
                flush set inet jlvs nat_backends
                flush set inet jlvs kernel_ports
                flush set inet jlvs kernel_vips
                flush set arp jlvs kernel_vips
                add element inet jlvs vips { 10.0.0.100, 10.0.0.101 }
                add element inet jlvs kernel_ports { 10.0.0.100 . 8080, 10.0.0.100 . 8443 }
                add element inet jlvs kernel_vips { 10.0.0.100 }
                add element arp jlvs kernel_vips { 10.0.0.100 }
                """, script);
        assertEquals(List.of(VIP), NftRules.kernelVips(List.of(new KernelPort(VIP, 8080), new KernelPort(VIP, 8443))));
    }

    @Test
    void withoutKernelPortsTheirSetsAreOnlyFlushed() {
        String script = NftRules.replaceSets(new int[] {VIP}, List.of(new NatBackend(OTHER, 6, 80)), List.of());
        assertTrue(script.contains("flush set inet jlvs kernel_ports\n") && script.contains("flush set arp jlvs kernel_vips\n"));
        assertFalse(script.contains("add element inet jlvs kernel") || script.contains("add element arp"), script);
    }

    @Test
    void theIpv6SetsAreReplacedWithEachElementOnceAndTheChainDropsThem() {
        Ipv6Endpoint vip = Ipv6Endpoint.address(0xFD00_0001_0000_0000L, 0x100);
        String script = NftRules.replaceIpv6Sets(List.of(vip, vip),
                List.of(new Ipv6Endpoint(0xFD00_0002_0000_0000L, 2, 6, 80)));
        assertEquals("flush set inet jlvs vips6\nflush set inet jlvs nat_backends6\n"
                + "add element inet jlvs vips6 { fd00:1:0:0:0:0:0:100 }\n"
                + "add element inet jlvs nat_backends6 { fd00:2:0:0:0:0:0:2 . 6 . 80 }\n", script);
        String table = NftRules.createTable();
        assertTrue(table.contains("ip6 daddr @vips6 counter drop") && table.contains("@nat_backends6"), table);
    }
}
