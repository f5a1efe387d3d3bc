package io.jlvs.control;

import io.jlvs.control.model.IpvsSysctl;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class IpvsSysctlTest {
    @Test
    void defaultsAreTheKernelsAndInsideTheirRanges() {
        assertEquals(0, IpvsSysctl.EXPIRE_NODEST_CONN.defaultValue());
        assertEquals(0, IpvsSysctl.EXPIRE_QUIESCENT_TEMPLATE.defaultValue());
        assertEquals(1, IpvsSysctl.CONN_REUSE_MODE.defaultValue());
        assertEquals(0, IpvsSysctl.SLOPPY_TCP.defaultValue());
        assertEquals(0, IpvsSysctl.NAT_ICMP_SEND.defaultValue());
        assertEquals(1, IpvsSysctl.PMTU_DISC.defaultValue());
        Set<String> names = new HashSet<>();
        for (IpvsSysctl s : IpvsSysctl.values()) {
            assertTrue(s.allows(s.defaultValue()), s + " default in range");
            assertTrue(names.add(s.sysctlName()), s + " name unique");
            assertFalse(s.meaning().isBlank(), s + " says what it does");
        }
    }

    @Test
    void namesResolveWithOrWithoutThePrefixAndRangesAreEnforced() {
        assertSame(IpvsSysctl.SLOPPY_TCP, IpvsSysctl.byName("sloppy_tcp"));
        assertSame(IpvsSysctl.SLOPPY_TCP, IpvsSysctl.byName("net.ipv4.vs.sloppy_tcp"));
        assertNull(IpvsSysctl.byName("nosuch"));
        assertNull(IpvsSysctl.byName("all"));
        assertFalse(IpvsSysctl.SLOPPY_TCP.allows(2));
        assertTrue(IpvsSysctl.CONN_REUSE_MODE.allows(3));
        assertFalse(IpvsSysctl.CONN_REUSE_MODE.allows(4));
        assertFalse(IpvsSysctl.CONN_REUSE_MODE.allows(-1));
        assertEquals("takes 0 or 1", IpvsSysctl.PMTU_DISC.rangeText());
        assertEquals("takes 0 to 3", IpvsSysctl.CONN_REUSE_MODE.rangeText());
    }

    @Test
    void theHelpTextNamesEveryKnobOfTheTable() {
        String help = UsageText.text();
        for (IpvsSysctl knob : IpvsSysctl.values()) {
            assertTrue(help.matches("(?s).*\\b" + knob.sysctlName() + "\\b.*"), "jlvsadm -h names " + knob.sysctlName());
        }
    }
}
