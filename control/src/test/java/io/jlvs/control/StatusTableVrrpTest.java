package io.jlvs.control;

import io.jlvs.control.model.VrrpStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusTableVrrpTest {
    @Test
    void eachInstanceShowsItsStateForHowLongItsPriorityTheMasterAndWhy() {
        VrrpStatus master = new VrrpStatus("VI_1", "G1", "eth0", 51, 3, "MASTER", 100, 150, "10.0.0.2",
                "higher priority than the master's 120", 10_000, 42, 7, 1, "10.0.0.100 172.16.0.1");
        VrrpStatus backup = new VrrpStatus("VI_2", "", "eth1", 52, 2, "BACKUP", 90, 90, "10.0.1.3", "", 0, 0, 3, 0,
                "10.0.1.100");
        assertEquals("""
                VRRP VI_1 (group G1)  eth0 vrid 51 v3: MASTER for 2m00s, priority 150 (base 100), master 10.0.0.2
                  because: higher priority than the master's 120
                  addresses: 10.0.0.100 172.16.0.1  adverts sent 42, received 7, dropped 1
                VRRP VI_2  eth1 vrid 52 v2: BACKUP, priority 90, master 10.0.1.3
                  addresses: 10.0.1.100  adverts sent 0, received 3, dropped 0
                """, StatusTable.formatVrrp(List.of(master, backup), 130_000));
        assertEquals("", StatusTable.formatVrrp(List.of(), 0));
    }
}
