package io.jlvs.forwarder;

import io.jlvs.connections.SyncRule;
import io.jlvs.control.AdmException;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.platform.net.NextHops;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SyncKnobsTest {

    @Test
    void theSyncKnobsReachTheConnectionTableAndARefusedPairChangesNothing() throws AdmException {
        DataPlane plane = new DataPlane(1024, NextHops.fixed(Map.of()));
        try {
            IpvsRuntime ipvs = new IpvsRuntime(plane, ForwardMethod.MASQ, EnumSet.of(ForwardMethod.MASQ), null);
            assertEquals(SyncRule.IPVS_DEFAULTS, plane.connections().syncRule());
            ipvs.setSysctl(IpvsSysctl.SYNC_PERIOD, 10);
            ipvs.setSysctl(IpvsSysctl.SYNC_THRESHOLD, 7);
            ipvs.setSysctl(IpvsSysctl.SYNC_REFRESH_PERIOD, 30);
            ipvs.setSysctl(IpvsSysctl.SYNC_RETRIES, 2);
            assertEquals(new SyncRule(7, 10, 30_000_000_000L, 2), plane.connections().syncRule());
            AdmException e = assertThrows(AdmException.class, () -> ipvs.setSysctl(IpvsSysctl.SYNC_PERIOD, 5));
            assertEquals("sync_threshold must be below sync_period unless that is 0 (they would be 7 and 5)",
                    e.getMessage());
            assertEquals(10, ipvs.sysctl(IpvsSysctl.SYNC_PERIOD));
            assertEquals(new SyncRule(7, 10, 30_000_000_000L, 2), plane.connections().syncRule());
        } finally {
            plane.connections().close();
        }
    }
}
