package io.jlvs.forwarder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a connection has shown enough packets to enter the fast path. */
class FastPathPromotionTest {
    /** A handle: generation in the high half, slot in the low one, as the table makes them. */
    private static long handle(int generation, int slot) {
        return (long) generation << 32 | slot;
    }

    @Test
    void aConnectionIsDueAtItsNthPacketAndStaysDue() {
        FastPathPromotion promotion = new FastPathPromotion(1024, 4);
        long conn = handle(1, 7);
        assertFalse(promotion.counted(conn, true), "the first packet");
        assertFalse(promotion.counted(conn, false));
        assertFalse(promotion.counted(conn, false));
        assertTrue(promotion.counted(conn, false), "the fourth packet");
        for (int i = 0; i < 600; i++) assertTrue(promotion.counted(conn, false), "past the byte's range: " + i);
    }

    @Test
    void aNewConnectionInTheSlotStartsFromOne() {
        FastPathPromotion promotion = new FastPathPromotion(1024, 3);
        for (int i = 0; i < 5; i++) promotion.counted(handle(1, 9), i == 0);
        assertFalse(promotion.counted(handle(2, 9), true), "the slot's next connection, first packet");
        assertFalse(promotion.counted(handle(2, 9), false));
        assertTrue(promotion.counted(handle(2, 9), false));
    }

    @Test
    void slotsCountApart() {
        FastPathPromotion promotion = new FastPathPromotion(1024, 2);
        promotion.counted(handle(1, 1), true);
        assertFalse(promotion.counted(handle(1, 2), true));
        assertTrue(promotion.counted(handle(1, 1), false));
    }

    @Test
    void zeroMakesEveryPacketDueAndNeedsNoCounts() {
        FastPathPromotion promotion = new FastPathPromotion(1 << 20, 0);
        assertTrue(promotion.counted(handle(1, 5), true));
        assertEquals(0, promotion.afterPackets());
    }

    @Test
    void aCountOutsideTheByteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FastPathPromotion(1024, 256));
        assertThrows(IllegalArgumentException.class, () -> new FastPathPromotion(1024, -1));
    }
}
