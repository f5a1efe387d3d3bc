package io.jlvs.forwarder.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard's nftables scripts; HostGuardTest runs them through nft in a namespace. */
class NftRulesTest {
    @Test
    void theIngressChainHooksEachInterfaceOnceQuoted() {
        String script = NftRules.createTables(List.of("eth0", "veth-1.2", "eth0"));
        assertTrue(script.contains("devices = { \"eth0\", \"veth-1.2\" }"), script);
        assertTrue(script.startsWith(NftRules.deleteTables()), "a leftover of an earlier run is replaced");
    }

    @Test
    void withoutInterfacesTheIngressTableHasNoChain() {
        String script = NftRules.createTables(List.of());
        assertTrue(script.contains("table netdev jlvs"), script);
        assertFalse(script.contains("hook ingress"), script);
    }

    @Test
    void aNameNftCannotQuoteIsRefused() {
        for (String bad : new String[] {"a\"b", "a b", "a\\b", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NftRules.createTables(List.of(bad)));
            assertTrue(e.getMessage().contains("interface name"), e.getMessage());
        }
    }

    @Test
    void setsAreReplacedInBothTablesAlike() {
        String script = NftRules.replaceSets(new int[] {0x0A000064, 0x0A000064}, List.of(new NatBackend(0xAC100002, 6, 80)));
        for (String table : List.of("inet jlvs", "netdev jlvs")) {
            assertTrue(script.contains("flush set " + table + " vips\n"), script);
            assertTrue(script.contains("add element " + table + " vips { 10.0.0.100 }\n"), script);
            assertTrue(script.contains("add element " + table + " nat_backends { 172.16.0.2 . 6 . 80 }\n"), script);
        }
        assertEquals(4, script.split("add element", -1).length - 1, "one vips and one backends line per table:\n" + script);
    }
}
