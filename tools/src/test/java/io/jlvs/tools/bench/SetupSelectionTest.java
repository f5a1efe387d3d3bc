package io.jlvs.tools.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bench --setups}: only the named setups are measured, and a misspelt one is refused with the valid keys. */
class SetupSelectionTest {
    @Test
    void aListSelectsExactlyItsSetups() {
        SetupSelection s = SetupSelection.parse("routing, afpacket");
        assertTrue(s.includes("routing"));
        assertTrue(s.includes("afpacket"));
        for (String other : new String[] {"routing-all", "nft", "haproxy", "pcap", "workers", "fullnat", "ipv6"}) {
            assertFalse(s.includes(other), other);
        }
    }

    @Test
    void theDefaultSelectsEverySetup() {
        SetupSelection.KNOWN.forEach(k -> assertTrue(SetupSelection.all().includes(k), k));
    }

    @Test
    void anUnknownOrEmptyKeyIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SetupSelection.parse("routing,nftables"));
        assertTrue(e.getMessage().contains("'nftables'") && e.getMessage().contains("routing,routing-all,nft"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SetupSelection.parse("routing,"));
        assertThrows(IllegalArgumentException.class, () -> SetupSelection.parse(""));
    }

    @Test
    void askingForAKeyThatIsNoSetupIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> SetupSelection.all().includes("ipvs"));
    }
}
