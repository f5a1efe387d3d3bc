package io.jlvs.platform.packetio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RxRingLayoutTest {
    @Test
    void theOptionSpellingsParseBackToTheirLayouts() {
        assertEquals("frame-per-block", RxRingLayout.FRAME_PER_BLOCK.optionName());
        assertEquals("packed", RxRingLayout.PACKED.optionName());
        assertEquals("frames", RxRingLayout.FRAMES.optionName());
        for (RxRingLayout layout : RxRingLayout.values()) assertEquals(layout, RxRingLayout.parse(layout.optionName()));
    }

    @Test
    void anUnknownSpellingIsRefusedWithTheAcceptedOnesNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RxRingLayout.parse("FRAME_PER_BLOCK"));
        assertEquals("--rx-ring must be frame-per-block, packed or frames, not 'FRAME_PER_BLOCK'", e.getMessage());
    }

    @Test
    void theDefaultIsFramesInThePortOptionsAndOnTheCommandLine() {
        assertEquals(RxRingLayout.FRAMES, PortOptions.defaults().rxLayout());
        assertEquals(RxRingLayout.DEFAULT, RxRingLayout.parse(RxRingLayout.DEFAULT_OPTION));
    }
}
