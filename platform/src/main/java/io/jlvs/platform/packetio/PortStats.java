package io.jlvs.platform.packetio;

import io.jlvs.platform.xdp.XdpStatistics;

/**
 * Counters of one port since it was opened.
 *
 * @param received     frames handed to the handler
 * @param receivedBytes their bytes
 * @param sent         frames accepted by {@code send} (queued; they leave at flush)
 * @param sentBytes    their bytes
 * @param txFull       frames refused because the transmit queue was full
 * @param txTooLong    frames refused because they are longer than a transmit slot
 * @param oversize     received frames longer than MTU + 14 (GRO/GSO super-frames, reassembled fragments)
 * @param truncated    received frames cut short by the ring (not handed over)
 * @param kernelDrops  frames the kernel dropped because the ring was full (PACKET_STATISTICS / pcap ps_drop)
 * @param flushErrors  flushes the kernel refused (they are retried at the next flush)
 * @param xdp          the AF_XDP socket's XDP_STATISTICS ({@link XdpStatistics#NONE} for the other backends);
 *                     kernelDrops already holds its rx_dropped and rx_ring_full
 */
public record PortStats(long received, long receivedBytes, long sent, long sentBytes, long txFull, long txTooLong,
                        long oversize, long truncated, long kernelDrops, long flushErrors, XdpStatistics xdp) {
    public PortStats(long received, long receivedBytes, long sent, long sentBytes, long txFull, long txTooLong,
                     long oversize, long truncated, long kernelDrops, long flushErrors) {
        this(received, receivedBytes, sent, sentBytes, txFull, txTooLong, oversize, truncated, kernelDrops, flushErrors,
                XdpStatistics.NONE);
    }
}
