package io.jlvs.platform.packetio;

/**
 * The TPACKET_V3 receive ring's shape: block size and count, and the PACKET_RESERVE padding before each frame.
 *
 * <p>Where a frame lands (Linux af_packet.c, tpacket_rcv for a SOCK_RAW V3 socket with PACKET_VNET_HDR): the first
 * frame of a block starts after the 48-byte block descriptor; a frame's MAC header starts at
 * {@code macoff = TPACKET_ALIGN(68 + max(maclen, 16)) + reserve + 10 - maclen} from the frame's start (68: the
 * tpacket3_hdr plus sockaddr_ll; 10: the virtio_net_hdr); the frame takes {@code ALIGN8(macoff + length)} bytes;
 * it goes into the current block only if it ends strictly before the block's end, else the block is handed to user
 * space and the frame opens the next one.
 *
 * @param blockSize      bytes per block, a multiple of the page size
 * @param blockCount     blocks in the ring
 * @param reserve        PACKET_RESERVE: padding before every frame (0 when packed)
 * <p>A TPACKET_V2 ring ({@link RxRingLayout#FRAMES}) is fixed-size frame slots instead: a slot's MAC header starts
 * at {@code TPACKET_ALIGN(52 + max(maclen, 16)) + 10 - maclen} (52: the tpacket2_hdr plus sockaddr_ll), 76 for an
 * untagged frame; slots are a power of two that holds an MTU frame with a VLAN tag, blocks a page or one slot.
 *
 * @param maxFrameLength the longest frame a block (V2: a slot) holds whole; longer ones are truncated (and counted)
 * @param frameSize      tp_frame_size: V2's slot size; V3 frames are variable, and the kernel only checks that it
 *                       holds the frame header plus the reserve and that frame_nr matches, so one frame per block
 *                       gives it the whole block
 */
public record RxRingGeometry(int blockSize, int blockCount, int reserve, int maxFrameLength, int frameSize) {
    static final int PAGE = 4096;
    static final int BLOCK_HEADER = 48;
    /** macoff without the reserve, for an untagged (maclen 14) frame: 96 + 10 - 14. */
    static final int FRAME_OVERHEAD = 92;
    /** A VLAN tag left in the frame makes maclen 18: the same frame then takes 4 bytes less (macoff shrinks). */
    private static final int TAG_SLACK = 4;
    /** The shortest frame the kernel can queue: an Ethernet header alone. */
    private static final int MIN_FRAME = 14;
    /** tp_frame_size of a packed ring: only checked by the kernel for V3, whose frames are variable. */
    private static final int PACKED_FRAME_SIZE = 2048;

    /** Where a V2 slot's untagged frame starts (its MAC header), from the slot's start. */
    static final int V2_FRAME_OVERHEAD = 76;

    /** Frames in the ring: V2's slots, or for V3 what the kernel takes as frame_nr. */
    int frameCount() {
        return blockCount * (blockSize / frameSize);
    }

    /**
     * The ring for a layout and an interface MTU, within the memory {@code blockSize * blockCount} of the port
     * options (at least two blocks).
     */
    public static RxRingGeometry of(RxRingLayout layout, int mtu, int blockSize, int blockCount) {
        long ringBytes = (long) blockSize * blockCount;
        int longest = mtu + 14 + 4;   // Ethernet header and a VLAN tag
        if (layout == RxRingLayout.PACKED) {
            return new RxRingGeometry(blockSize, blockCount, 0, blockSize - BLOCK_HEADER - FRAME_OVERHEAD - 8,
                    PACKED_FRAME_SIZE);
        }
        if (layout == RxRingLayout.FRAMES) {
            int slot = Integer.highestOneBit(V2_FRAME_OVERHEAD + longest - 1) << 1;
            int block = Math.max(PAGE, slot);
            int count = (int) Math.max(2, Math.min(Integer.MAX_VALUE, ringBytes / block));
            return new RxRingGeometry(block, count, 0, slot - V2_FRAME_OVERHEAD, slot);
        }
        int size = PAGE;
        while (maxFrame(size) < longest) size += PAGE;
        int count = (int) Math.max(2, Math.min(Integer.MAX_VALUE, ringBytes / size));
        return new RxRingGeometry(size, count, reserveFor(size), maxFrame(size), size);
    }

    /**
     * The smallest reserve for which two frames never share a block: two of the shortest frames, each
     * {@code FRAME_OVERHEAD + reserve + MIN_FRAME - TAG_SLACK} long, must not end before the block does.
     */
    static int reserveFor(int blockSize) {
        int usable = blockSize - BLOCK_HEADER;
        return (usable + 1) / 2 - FRAME_OVERHEAD - MIN_FRAME + TAG_SLACK;
    }

    /** The longest frame that ends strictly before the block's end after the descriptor and reserve (8-aligned). */
    static int maxFrame(int blockSize) {
        int usable = blockSize - BLOCK_HEADER;
        return (usable - 1) / 8 * 8 - FRAME_OVERHEAD - reserveFor(blockSize);
    }
}
