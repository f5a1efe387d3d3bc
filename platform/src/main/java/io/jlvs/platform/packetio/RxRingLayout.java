package io.jlvs.platform.packetio;

import java.util.Locale;

/**
 * How the AF_PACKET receive ring hands frames over: TPACKET_V3 blocks (one frame each, or packed), or TPACKET_V2
 * frame slots.
 *
 * <p>The kernel hands a V3 block to user space only when the next frame does not fit in it or when its retire
 * timer fires (1 ms at the finest, a jiffy in fact: 4 ms at HZ=250). With many frames per block, a lone frame waits for that timer: at the tens of
 * thousands of small packets per second of keep-alive HTTP, a block never fills, and every pass through the
 * director costs up to a millisecond, which more than doubles the median keep-alive latency against one frame per
 * block.
 */
public enum RxRingLayout {
    /**
     * One frame per block (PACKET_RESERVE pads every frame to more than half a block), so a frame reaches user
     * space as soon as the next one arrives, and the timer bounds only the last frame of a burst. Frames longer than
     * the block holds (super-frames from a TSO peer) are truncated and counted.
     */
    FRAME_PER_BLOCK,
    /** Frames packed back to back, blocks of {@link PortOptions#blockSize()}: fewer block hand-overs under load. */
    PACKED,
    /**
     * TPACKET_V2: fixed frame slots, each handed to user space as soon as the kernel has written it, so no frame
     * waits for the next one or for the block timer. The timer's jiffy (4 ms at HZ=250) otherwise lands on every
     * frame of a lone request and its answer: one keep-alive connection measured 2.0 ms median per request through
     * a frame-per-block ring, 0.2 ms through this one. Frames longer than a slot (super-frames from a TSO peer)
     * are truncated and counted. The default.
     */
    FRAMES;

    /** The layout a director runs with unless told otherwise: {@link #FRAMES}. */
    public static final RxRingLayout DEFAULT = FRAMES;
    /** {@link #DEFAULT}'s spelling, for the command line's default. */
    public static final String DEFAULT_OPTION = "frames";

    /** The command-line spelling: frame-per-block, packed, frames. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #optionName()}; the error names the accepted spellings. */
    public static RxRingLayout parse(String text) {
        for (RxRingLayout layout : values()) {
            if (layout.optionName().equals(text)) return layout;
        }
        throw new IllegalArgumentException("--rx-ring must be frame-per-block, packed or frames, not '" + text + "'");
    }
}
