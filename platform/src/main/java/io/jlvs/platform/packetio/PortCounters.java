package io.jlvs.platform.packetio;

import io.jlvs.platform.xdp.XdpStatistics;

/**
 * Per-port counters, written only by the port's worker thread with plain stores (no atomics on the hot path).
 * {@link #snapshot} may run on another thread and then sees values that are at worst slightly stale.
 */
final class PortCounters {
    long received, receivedBytes, sent, sentBytes, txFull, txTooLong, oversize, truncated, flushErrors;

    /** Frame accounting shared by both backends; frames above the MTU plus Ethernet header count as oversize. */
    void countReceived(int length, int mtu) {
        received++;
        receivedBytes += length;
        if (length > mtu + 14) oversize++;
    }

    PortStats snapshot(long kernelDrops) {
        return new PortStats(received, receivedBytes, sent, sentBytes, txFull, txTooLong, oversize, truncated,
                kernelDrops, flushErrors);
    }

    PortStats snapshot(long kernelDrops, XdpStatistics xdp) {
        return new PortStats(received, receivedBytes, sent, sentBytes, txFull, txTooLong, oversize, truncated,
                kernelDrops, flushErrors, xdp);
    }
}
