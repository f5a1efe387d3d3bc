package io.jlvs.platform.xdp;

/**
 * struct xdp_statistics of one AF_XDP socket, totals since it was made: frames dropped for want of room
 * ({@code rxRingFull}: the rx ring was full; {@code rxFillRingEmpty}: no free frame in the fill ring; both are the
 * overload signals), dropped for other reasons, and invalid descriptors user space gave the kernel.
 */
public record XdpStatistics(long rxDropped, long rxInvalidDescriptors, long txInvalidDescriptors, long rxRingFull,
                            long rxFillRingEmpty, long txRingEmpty) {
    public static final XdpStatistics NONE = new XdpStatistics(0, 0, 0, 0, 0, 0);
}
