package io.jlvs.platform.packetio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One frame per block, checked against the kernel's placement rule written out here independently of the
 * geometry's own arithmetic (af_packet.c, tpacket_rcv and __packet_lookup_frame_in_block, SOCK_RAW, TPACKET_V3,
 * PACKET_VNET_HDR): macoff = TPACKET_ALIGN(68 + max(maclen, 16)) + reserve + 10 - maclen; a frame takes
 * ALIGN8(macoff + length); it goes into the current block only if it ends strictly before the block's end.
 */
class RxRingGeometryTest {
    private static final int BLOCK_DESCRIPTOR = 48;

    private static int macoff(int reserve, int maclen) {
        int hdr = (68 + Math.max(maclen, 16) + 15) & ~15;
        return hdr + reserve + 10 - maclen;
    }

    private static boolean fits(int used, int length, int reserve, int maclen, int blockSize) {
        int footprint = (macoff(reserve, maclen) + length + 7) & ~7;
        return BLOCK_DESCRIPTOR + used + footprint < blockSize;
    }

    @ParameterizedTest
    @ValueSource(ints = {576, 1280, 1500, 2000, 4000, 9000})
    void aWholeMtuFrameFitsAndNoTwoFramesShareABlock(int mtu) {
        RxRingGeometry g = RxRingGeometry.of(RxRingLayout.FRAME_PER_BLOCK, mtu, 1 << 20, 64);
        assertEquals(0, g.blockSize() % 4096, "page multiple");
        for (int maclen : new int[] {14, 18}) {
            int longest = mtu + maclen;
            assertTrue(fits(0, longest, g.reserve(), maclen, g.blockSize()), "MTU frame, maclen " + maclen);
            assertTrue(g.maxFrameLength() >= longest);
            int shortest = maclen;   // a header alone
            int first = (macoff(g.reserve(), maclen) + shortest + 7) & ~7;
            assertFalse(fits(first, shortest, g.reserve(), maclen, g.blockSize()),
                    "two frames of " + shortest + " bytes share a block, maclen " + maclen);
        }
        // The frame the kernel must refuse: one byte beyond what the geometry promises.
        assertFalse(fits(0, g.maxFrameLength() + 8, g.reserve(), 14, g.blockSize()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1500, 9000})
    void theRingKeepsTheMemoryOfTheOptionsInTheSmallestBlockThatFits(int mtu) {
        RxRingGeometry g = RxRingGeometry.of(RxRingLayout.FRAME_PER_BLOCK, mtu, 1 << 20, 64);
        long ring = (long) g.blockSize() * g.blockCount();
        assertTrue(ring <= 64L << 20 && ring > (64L << 20) - g.blockSize(), "ring of " + ring + " bytes");
        int smallerBlock = g.blockSize() - 4096;
        int smallerReserve = RxRingGeometry.reserveFor(smallerBlock);
        assertTrue(smallerBlock == 0 || !fits(0, mtu + 18, smallerReserve, 14, smallerBlock), "a smaller block would do");
    }

    @ParameterizedTest
    @ValueSource(ints = {1500, 9000})
    void packedKeepsTheConfiguredBlocksWithoutReserve(int mtu) {
        RxRingGeometry g = RxRingGeometry.of(RxRingLayout.PACKED, mtu, 1 << 20, 64);
        assertEquals(1 << 20, g.blockSize());
        assertEquals(64, g.blockCount());
        assertEquals(0, g.reserve());
    }
}
