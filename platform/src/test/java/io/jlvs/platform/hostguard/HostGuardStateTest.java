package io.jlvs.platform.hostguard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.jlvs.platform.testkit.TestNamespaces.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host-state file keeps the local routes of kernel ports' VIPs, so that the next start removes a crash's. */
class HostGuardStateTest {
    @Test
    void localRoutesSurviveAWriteAndARead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("host-1.state");
        int vip = ipv4("10.0.0.100"), other = ipv4("10.0.0.101");
        HostGuardState state = new HostGuardState(42, 7).withTable().withLocalRoute(vip).withLocalRoute(other)
                .withLocalRoute(vip);
        state.write(file);
        assertTrue(Files.readString(file).contains("localroute 10.0.0.100\nlocalroute 10.0.0.101\n"), Files.readString(file));
        HostGuardState read = HostGuardState.read(file).orElseThrow();
        assertEquals(List.of(vip, other), read.localRoutes());
        assertEquals(List.of(other), read.withoutLocalRoute(vip).localRoutes());
        assertTrue(read.table());
    }

    @Test
    void xdpLinksSurviveAWriteAndARead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("host-2.state");
        new HostGuardState(42, 7).withXdpLink("eth0").withXdpLink("eth1").withXdpLink("eth0").write(file);
        assertTrue(Files.readString(file).contains("xdp eth0\nxdp eth1\n"), Files.readString(file));
        assertEquals(List.of("eth0", "eth1"), HostGuardState.read(file).orElseThrow().xdpLinks());
    }
}
