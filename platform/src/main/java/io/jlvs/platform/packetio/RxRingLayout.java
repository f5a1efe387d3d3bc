package io.jlvs.platform.packetio;

import java.util.Locale;

/**
 * How the AF_PACKET receive ring packs frames into its TPACKET_V3 blocks.
 *
 * <p>The kernel hands a V3 block to user space only when the next frame does not fit in it or when its retire
 * timer fires (1 ms at the finest). With many frames per block, a lone frame waits for that timer: at the tens of
 * thousands of small packets per second of keep-alive HTTP, a block never fills, and every pass through the
 * director costs up to a millisecond, which more than doubles the median keep-alive latency against one frame per
 * block.
 */
public enum RxRingLayout {
    /**
     * One frame per block (PACKET_RESERVE pads every frame to more than half a block), so a frame reaches user
     * space as soon as the next one arrives, and the timer bounds only the last frame of a burst. Frames longer than
     * the block holds (super-frames from a TSO peer) are truncated and counted. The default.
     */
    FRAME_PER_BLOCK,
    /** Frames packed back to back, blocks of {@link PortOptions#blockSize()}: fewer block hand-overs under load. */
    PACKED;

    /** The command-line spelling: frame-per-block, packed. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #optionName()}; the error names the accepted spellings. */
    public static RxRingLayout parse(String text) {
        for (RxRingLayout layout : values()) {
            if (layout.optionName().equals(text)) return layout;
        }
        throw new IllegalArgumentException("--rx-ring must be frame-per-block or packed, not '" + text + "'");
    }
}
