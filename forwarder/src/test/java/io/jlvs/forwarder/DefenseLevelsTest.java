package io.jlvs.forwarder;

import io.jlvs.control.model.IpvsSysctl;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPVS's defence levels over the table's free room: 0 off, 1 and 2 following the room, 3 on. */
class DefenseLevelsTest {
    final Knobs knobs = new Knobs();
    final DefenseLevels defense = new DefenseLevels(knobs);

    @Test
    void level1SwitchesOnBelowTheThresholdReadsTwoThenComesBackToOne() {
        knobs.set(IpvsSysctl.SECURE_TCP, 1);
        defense.update(400, 1000);                        // 60% free, amemthresh 50%
        assertFalse(defense.secureTcp());
        assertEquals(1, knobs.get(IpvsSysctl.SECURE_TCP));
        defense.update(600, 1000);                        // 40% free
        assertTrue(defense.secureTcp());
        assertTrue(defense.tableShort());
        assertEquals(2, knobs.get(IpvsSysctl.SECURE_TCP), "the kernel's sysctl reads 2 while the defence is on");
        defense.update(300, 1000);
        assertFalse(defense.secureTcp());
        assertEquals(1, knobs.get(IpvsSysctl.SECURE_TCP));
    }

    @Test
    void level0IsNeverAndLevel3IsAlways() {
        knobs.set(IpvsSysctl.DROP_ENTRY, 0);
        knobs.set(IpvsSysctl.SECURE_TCP, 3);
        defense.update(999, 1000);
        assertFalse(defense.dropEntry());
        defense.update(0, 1000);
        assertTrue(defense.secureTcp());
        assertEquals(3, knobs.get(IpvsSysctl.SECURE_TCP));
    }

    @Test
    void dropEntryIsOnByDefaultBelowHalfTheTableFree() {
        defense.update(499, 1000);
        assertFalse(defense.dropEntry());
        defense.update(501, 1000);
        assertTrue(defense.dropEntry());
    }

    @Test
    void dropPacketsRateGrowsAsTheRoomShrinksAndLevel3UsesAmDroprate() {
        knobs.set(IpvsSysctl.DROP_PACKET, 1);
        defense.update(400, 1000);
        assertEquals(0, defense.dropRate());
        defense.update(600, 1000);                        // 400 free of a 500 threshold: 500 / 100
        assertEquals(5, defense.dropRate());
        defense.update(900, 1000);                        // 100 free: 500 / 400
        assertEquals(1, defense.dropRate());
        defense.update(1000, 1000);
        assertEquals(1, defense.dropRate(), "a full table drops every new connection");
        knobs.set(IpvsSysctl.DROP_PACKET, 3);
        knobs.set(IpvsSysctl.AM_DROPRATE, 7);
        defense.update(0, 1000);
        assertEquals(7, defense.dropRate());
    }

    @Test
    void anOperatorsWriteBetweenTwoUpdatesWins() {
        knobs.set(IpvsSysctl.DROP_PACKET, 1);
        defense.update(600, 1000);
        assertEquals(2, knobs.get(IpvsSysctl.DROP_PACKET));
        knobs.set(IpvsSysctl.DROP_PACKET, 0);
        defense.update(300, 1000);
        assertEquals(0, knobs.get(IpvsSysctl.DROP_PACKET), "not switched back to 1 over the operator's 0");
        assertEquals(0, defense.dropRate());
    }
}
