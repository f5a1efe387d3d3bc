package io.jlvs.platform.packetio;

import java.util.Objects;

/**
 * How a port is opened.
 *
 * @param fanoutGroupId      PACKET_FANOUT group (1..65535) shared by the workers' sockets on one interface; 0 = none
 * @param blockSize          receive ring block size when {@link RxRingLayout#PACKED}, a multiple of 4096; at
 *                           least 64 KiB + headers so a GRO super-frame fits whole. With one frame per block,
 *                           blockSize * blockCount is the ring's memory, cut into blocks that fit one MTU frame
 *                           (pcap: blockSize * blockCount is libpcap's buffer size)
 * @param blockCount         receive ring blocks (see blockSize)
 * @param rxLayout           how the receive ring packs frames into blocks (AF_PACKET only)
 * @param frameSize          transmit slot size (power of two, 48 bytes of it are the slot header); rounded up at open
 *                           if the interface MTU does not fit
 * @param txFrames           transmit slots (AF_PACKET ring slots / pcap staging slots)
 * @param blockTimeoutMillis a partly filled receive block is handed to user space after this long
 * @param qdiscBypass        PACKET_QDISC_BYPASS: transmit straight to the driver, skipping the qdisc (and taps)
 * @param filter             kernel socket filter installed before the socket is bound, so no unfiltered frame is
 *                           ever queued
 */
public record PortOptions(int fanoutGroupId, int blockSize, int blockCount, RxRingLayout rxLayout, int frameSize,
                          int txFrames, int blockTimeoutMillis, boolean qdiscBypass, BpfProgram filter) {
    public static final int MIN_BLOCK_SIZE = 128 * 1024;

    public PortOptions {
        if (fanoutGroupId < 0 || fanoutGroupId > 0xFFFF) throw new IllegalArgumentException("fanout group " + fanoutGroupId);
        if (blockSize < MIN_BLOCK_SIZE || blockSize % 4096 != 0) {
            throw new IllegalArgumentException("blockSize must be a multiple of 4096 and >= " + MIN_BLOCK_SIZE);
        }
        if (blockCount < 2) throw new IllegalArgumentException("blockCount < 2");
        if (frameSize < 128 || Integer.bitCount(frameSize) != 1) throw new IllegalArgumentException("frameSize " + frameSize);
        if (txFrames < 1) throw new IllegalArgumentException("txFrames < 1");
        if (blockTimeoutMillis < 1) throw new IllegalArgumentException("blockTimeoutMillis < 1");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(rxLayout, "rxLayout");
    }

    /**
     * 64 MiB of receive ring of TPACKET_V2 frames (a V3 ring's block timeout: 2 ms), 4096 transmit slots of 2 KiB, qdisc
     * bypass, accept all.
     */
    public static PortOptions defaults() {
        return new PortOptions(0, 1 << 20, 64, RxRingLayout.DEFAULT, 2048, 4096, 2, true, BpfProgram.acceptAll());
    }

    public PortOptions withFanout(int group) {
        return new PortOptions(group, blockSize, blockCount, rxLayout, frameSize, txFrames, blockTimeoutMillis, qdiscBypass, filter);
    }

    public PortOptions withRing(int blockSize, int blockCount) {
        return new PortOptions(fanoutGroupId, blockSize, blockCount, rxLayout, frameSize, txFrames, blockTimeoutMillis, qdiscBypass, filter);
    }

    public PortOptions withRxLayout(RxRingLayout layout) {
        return new PortOptions(fanoutGroupId, blockSize, blockCount, layout, frameSize, txFrames, blockTimeoutMillis, qdiscBypass, filter);
    }

    public PortOptions withTx(int frameSize, int txFrames) {
        return new PortOptions(fanoutGroupId, blockSize, blockCount, rxLayout, frameSize, txFrames, blockTimeoutMillis, qdiscBypass, filter);
    }

    public PortOptions withBlockTimeout(int millis) {
        return new PortOptions(fanoutGroupId, blockSize, blockCount, rxLayout, frameSize, txFrames, millis, qdiscBypass, filter);
    }

    public PortOptions withQdiscBypass(boolean bypass) {
        return new PortOptions(fanoutGroupId, blockSize, blockCount, rxLayout, frameSize, txFrames, blockTimeoutMillis, bypass, filter);
    }

    public PortOptions withFilter(BpfProgram program) {
        return new PortOptions(fanoutGroupId, blockSize, blockCount, rxLayout, frameSize, txFrames, blockTimeoutMillis, qdiscBypass, program);
    }
}
