package io.jlvs.control;

import io.jlvs.control.model.Timeouts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TimeoutsTest {
    @Test
    void mergingTimeoutsKeepsTheValuesAnUpdateLeavesAtZero() {
        Timeouts current = new Timeouts(900, 120, 300);
        assertEquals(new Timeouts(100, 120, 30), current.merge(new Timeouts(100, 0, 30)));
        assertEquals(current, current.merge(new Timeouts(0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> new Timeouts(-1, 0, 0));
    }
}
