package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;

/**
 * An AF_PACKET port without a socket ({@link PacketPorts#detached}): the caller plays the kernel on both rings.
 * Frames it injects come out of {@link #receive} as the kernel's would, one per receive block; what is sent is
 * counted, and dropped at the next {@link #settle()}.
 */
public interface DetachedPort extends PacketPort {
    /**
     * Copies a frame into the next free receive block, with {@link PacketPort#CSUM_PARTIAL} or
     * {@link PacketPort#CSUM_VALID} in {@code status} as the kernel's tp_status would say them.
     *
     * @return false when every receive block is still waiting to be read, or the frame does not fit a block
     */
    boolean inject(MemorySegment src, long offset, int length, int status);

    /** What the kernel does once flushed frames have left: every transmit slot available again. */
    void settle();
}
