package io.jlvs.platform.net;

import io.jlvs.platform.testkit.TestNamespaces;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlTest {
    @Test
    void writesAndReadsTheCallingThreadsNamespaceOnly() throws Exception {
        try (TestNamespaces ns = new TestNamespaces("jlvsnetY1", "jlvsnetY2")) {
            ns.in("jlvsnetY1", () -> {
                Sysctl.write("net.ipv4.ip_forward", "1");
                return null;
            });
            assertEquals("1", ns.in("jlvsnetY1", () -> Sysctl.read("net.ipv4.ip_forward")));
            assertEquals("0", ns.in("jlvsnetY2", () -> Sysctl.read("net.ipv4.ip_forward")), "another namespace is untouched");
            assertEquals("1", ns.sh("jlvsnetY1", "cat /proc/sys/net/ipv4/ip_forward").strip());
            ns.sh("jlvsnetY1", "ip link add eth0.100 type veth peer name other0");
            ns.in("jlvsnetY1", () -> {
                Sysctl.write("net/ipv4/conf/eth0.100/arp_ignore", "1");
                return null;
            });
            assertEquals("1", ns.sh("jlvsnetY1", "cat /proc/sys/net/ipv4/conf/eth0.100/arp_ignore").strip());
        }
        UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> Sysctl.read("net.ipv4.no_such_knob"));
        assertTrue(missing.getMessage().contains("net.ipv4.no_such_knob"), missing.getMessage());
    }
}
