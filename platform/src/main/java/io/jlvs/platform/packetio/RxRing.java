package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;

/** The receive ring of an AF_PACKET socket, as the kernel fills it: TPACKET_V3 blocks or TPACKET_V2 frames. */
interface RxRing {
    /** Hands up to {@code maxFrames} frames the kernel has published to {@code handler}; returns how many. */
    int receive(FrameHandler handler, int maxFrames);

    /**
     * The kernel's part, for a port without a socket: one frame published into the ring as the kernel would
     * (status bits of {@link PacketPort}); false when the ring has no room.
     */
    boolean inject(MemorySegment src, long offset, int length, int status);

    /** The frame status bits of {@link PacketPort} from a tpacket header's tp_status (V2 and V3 share them). */
    static int statusBits(int kernelStatus) {
        int bits = 0;
        if ((kernelStatus & TP_STATUS_CSUMNOTREADY) != 0) bits |= PacketPort.CSUM_PARTIAL;
        if ((kernelStatus & TP_STATUS_CSUM_VALID) != 0) bits |= PacketPort.CSUM_VALID;
        return bits;
    }

    /** tp_status bits the kernel sets and the readers look at. */
    int TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1, TP_STATUS_CSUMNOTREADY = 1 << 3, TP_STATUS_CSUM_VALID = 1 << 7;

    /** The kernel's tp_status for a frame injected with {@link PacketPort} status bits. */
    static int kernelStatus(int status) {
        int kernelStatus = TP_STATUS_USER;
        if ((status & PacketPort.CSUM_PARTIAL) != 0) kernelStatus |= TP_STATUS_CSUMNOTREADY;
        if ((status & PacketPort.CSUM_VALID) != 0) kernelStatus |= TP_STATUS_CSUM_VALID;
        return kernelStatus;
    }
}
