package io.jlvs.platform.packetio;

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
 */
public record PortStats(long received, long receivedBytes, long sent, long sentBytes, long txFull, long txTooLong,
                        long oversize, long truncated, long kernelDrops, long flushErrors) {}
