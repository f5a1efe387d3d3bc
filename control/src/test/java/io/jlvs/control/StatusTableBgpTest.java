package io.jlvs.control;

import io.jlvs.control.model.BgpStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusTableBgpTest {
    @Test
    void showsTheDirectorsStateItsSessionsAndEachVipWithItsReason() {
        BgpStatus bgp = new BgpStatus("bird", "/etc/bird/jlvs-vips.conf", false,
                List.of("router1    BGP  ---  up  10:00:01  Established"), "",
                List.of(new BgpStatus.Vip("10.0.0.100/32", true, "2 of 2 services live"),
                        new BgpStatus.Vip("10.0.0.101/32", false, "no live real server")));
        assertEquals("""
                BGP (bird, include /etc/bird/jlvs-vips.conf): announcing
                  session router1    BGP  ---  up  10:00:01  Established
                  10.0.0.100/32 announced: 2 of 2 services live
                  10.0.0.101/32 withdrawn: no live real server
                """, StatusTable.formatBgp(bgp));
    }

    @Test
    void aDrainedDirectorAndAFailingRoutingDaemonSaySo() {
        BgpStatus bgp = new BgpStatus("bird", "/run/jlvs.conf", true, List.of(), "birdc: cannot connect",
                List.of(new BgpStatus.Vip("10.0.0.100/32", false, "director drained")));
        assertEquals("""
                BGP (bird, include /run/jlvs.conf): director drained, every VIP withdrawn
                  problem: birdc: cannot connect
                  10.0.0.100/32 withdrawn: director drained
                """, StatusTable.formatBgp(bgp));
    }
}
