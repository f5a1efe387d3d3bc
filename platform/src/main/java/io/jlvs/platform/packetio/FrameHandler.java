package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;

/** Receives frames from {@link PacketPort#receive}; the frame is {@code length} bytes at {@code offset} in {@code seg}. */
@FunctionalInterface
public interface FrameHandler {
    /**
     * @param status bits {@link PacketPort#CSUM_PARTIAL}, {@link PacketPort#CSUM_VALID}, {@link PacketPort#CSUM_UNKNOWN}
     */
    void onFrame(MemorySegment seg, long offset, int length, int status);
}
